package dev.nlpstreams.inference.hub;

import java.util.regex.Pattern;

/**
 * A model on the Hugging Face Hub: {@code hf:org/name} or {@code hf:org/name@revision}, where the
 * revision is a branch, a tag or a commit hash (default {@code main}).
 */
public record HubReference(String repoId, String revision) {

  public static final String PREFIX = "hf:";
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  public static boolean isHubReference(String reference) {
    return reference.startsWith(PREFIX);
  }

  /** Parses {@code hf:org/name[@revision]}; throws IllegalArgumentException showing the form. */
  public static HubReference parse(String reference) {
    if (!isHubReference(reference)) {
      throw new IllegalArgumentException("'" + reference + "' is not a Hub reference (hf:org/name)");
    }
    String rest = reference.substring(PREFIX.length()).strip();
    int at = rest.indexOf('@');
    String repo = at < 0 ? rest : rest.substring(0, at);
    String revision = at < 0 ? "main" : rest.substring(at + 1);
    if (!REPO.matcher(repo).matches() || repo.contains("..")
        || !REVISION.matcher(revision).matches() || revision.contains("..")) {
      throw new IllegalArgumentException("'" + reference + "' is not a Hub reference; write"
          + " hf:org/name or hf:org/name@revision, for example hf:Xenova/opus-mt-en-de@main");
    }
    return new HubReference(repo, revision);
  }

  /** The repository's last path element, used as the model's name in outputs. */
  public String name() {
    return repoId.substring(repoId.lastIndexOf('/') + 1);
  }

  public boolean revisionIsCommit() {
    return COMMIT.matcher(revision).matches();
  }

  /** The cache folder name Hugging Face uses: {@code models--org--name}. */
  String cacheFolder() {
    return "models--" + repoId.replace("/", "--");
  }

  @Override
  public String toString() {
    return PREFIX + repoId + "@" + revision;
  }
}
