package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Writes a benchmark's Markdown and JSON reports side by side under one time stamp. */
final class BenchReportFiles {

  private BenchReportFiles() {}

  /**
   * Writes {@code <dir>/<name>-<stamp>.md} (a title line, then {@code markdown}) and the matching
   * {@code .json}; returns the Markdown file.
   */
  static Path write(Path dir, String name, String title, String markdown, Map<String, ?> json)
      throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.now();
    String stamp = now.toString().replace(':', '-');
    Path md = dir.resolve(name + "-" + stamp + ".md");
    Files.writeString(md, "# " + title + ", " + now + "\n\n" + markdown);
    new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(name + "-" + stamp + ".json").toFile(), json);
    return md;
  }
}
