package dev.nlpstreams.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * What the container tests need: a Docker daemon and the locally built images. Without them a
 * test is skipped with a message saying what to run, except under CI=true, where it fails: CI must
 * never pass by skipping its container tests.
 */
final class ContainerTests {

  /** Built by docker/build-images.sh kafka (Maven Central jars, no registry). */
  static final String KAFKA_IMAGE = "nlp-streams/kafka:4.1.2-local";
  /** Built by docker/build-base-images.sh; the processor image starts from it. */
  static final String BASE_IMAGE = "nlp-streams/base-jre:local";
  /** Built once per test JVM from docker/Dockerfile and this build's jar. */
  static final String PROCESSOR_IMAGE = "nlp-streams/processor:it";

  private static String processorImage;

  private ContainerTests() {}

  /** Skips (or, under CI=true, fails) unless Docker runs and the local images exist. */
  static void requireDockerAndImages() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      unavailable("No Docker daemon is reachable; start one (see README, Deployment) to run the"
          + " container tests.");
    }
    for (String image : List.of(KAFKA_IMAGE, BASE_IMAGE)) {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        unavailable("Image " + image + " is missing; build it with docker/build-images.sh base"
            + " kafka.");
      }
    }
  }

  /** Skips (fails under CI=true) unless a local image exists; {@code target} builds it. */
  static void requireImage(String image, String target) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      unavailable("Image " + image + " is missing; build it with docker/build-images.sh "
          + target + ".");
    }
  }

  /** Skips (fails under CI=true) unless a command runs, for example docker-compose. */
  static void requireCommand(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor() == 0) {
        return;
      }
    } catch (IOException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    unavailable("'" + command[0] + "' is not installed (apt-get install " + command[0] + ").");
  }

  private static void unavailable(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true: container tests must run, but: " + message);
    }
    // Surefire/failsafe do not print a skip's reason: say it where the build log shows it.
    System.err.println("Container test skipped: " + message);
    Assumptions.abort(message);
  }

  static DockerImageName kafkaImage() {
    // The local image honours apache/kafka's environment contract, which KafkaContainer drives.
    return DockerImageName.parse(KAFKA_IMAGE).asCompatibleSubstituteFor("apache/kafka");
  }

  /**
   * The processor image, built from docker/Dockerfile with the jar and lib/ of this build (the
   * same context docker/build-images.sh stages), so the tests always run the code under test.
   */
  static synchronized String processorImage() {
    if (processorImage == null) {
      Path root = projectRoot();
      Path jar = root.resolve("target/nlp-streams.jar");
      if (!Files.isRegularFile(jar)) {
        Assertions.fail("target/nlp-streams.jar is missing: run the container tests with"
            + " `mvn verify`, which packages it first.");
      }
      ImageFromDockerfile image = new ImageFromDockerfile(PROCESSOR_IMAGE, false)
          .withFileFromPath("Dockerfile", root.resolve("docker/Dockerfile"))
          .withFileFromPath("nlp-streams.sh", root.resolve("docker/nlp-streams.sh"))
          .withFileFromPath("nlp-streams.jar", jar)
          .withFileFromString("models/README", "Models baked into the image go here.\n");
      try (Stream<Path> libs = Files.list(root.resolve("target/lib"))) {
        libs.filter(ContainerTests::runtimeLib)
            .forEach(lib -> image.withFileFromPath("lib/" + lib.getFileName(), lib));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      processorImage = image.get();
    }
    return processorImage;
  }

  /** As docker/build-images.sh: the optional Testcontainers jars stay out of the image. */
  private static boolean runtimeLib(Path lib) {
    String name = lib.getFileName().toString();
    return !(name.startsWith("testcontainers-") || name.startsWith("docker-java-")
        || name.startsWith("duct-tape-"));
  }

  static Path projectRoot() {
    Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException("Run from the project directory (no pom.xml in " + root + ")");
    }
    return root;
  }

  /** The largest sample of {@code metric} in a Prometheus scrape whose labels match. */
  static double maxSample(String scrape, String metric, String labelFragment) {
    double max = Double.NaN;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        if (labelFragment != null && !line.contains(labelFragment)) {
          continue;
        }
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        max = Double.isNaN(max) ? value : Math.max(max, value);
      }
    }
    if (Double.isNaN(max)) {
      // NaN would pass isPositive() (Double.compare orders it above everything): fail here.
      throw new AssertionError("No sample of " + metric + (labelFragment == null ? ""
          : " with " + labelFragment) + " in the scrape");
    }
    return max;
  }

  /** True when the scrape has a positive sample of {@code metric} whose labels match. */
  static boolean hasPositiveSample(String scrape, String metric, String labelFragment) {
    try {
      return maxSample(scrape, metric, labelFragment) > 0;
    } catch (AssertionError e) {
      return false;
    }
  }
}
