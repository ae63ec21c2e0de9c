package dev.nlpstreams.inference.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Hub models come from and where they are cached, from the environment variables the
 * Hugging Face libraries use, so a cache filled by {@code huggingface-cli download} is shared:
 * {@code HF_ENDPOINT}, {@code HF_HUB_CACHE} (else {@code HF_HOME}/hub, else
 * ~/.cache/huggingface/hub), {@code HF_HUB_OFFLINE}, {@code HF_TOKEN}.
 *
 * @param token bearer token for gated or private models, or null
 */
public record HubSettings(URI endpoint, Path cacheDir, boolean offline, String token) {

  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  public static HubSettings fromEnvironment(Map<String, String> env) {
    String endpoint = env.get("HF_ENDPOINT");
    Path cache;
    if (env.get("HF_HUB_CACHE") != null) {
      cache = Path.of(env.get("HF_HUB_CACHE"));
    } else if (env.get("HF_HOME") != null) {
      cache = Path.of(env.get("HF_HOME"), "hub");
    } else {
      cache = Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    }
    String offline = env.getOrDefault("HF_HUB_OFFLINE", "").strip().toLowerCase(Locale.ROOT);
    String token = env.get("HF_TOKEN");
    return new HubSettings(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT
        : URI.create(endpoint.strip()), cache, offline.equals("1") || offline.equals("true")
        || offline.equals("yes") || offline.equals("on"),
        token == null || token.isBlank() ? null : token.strip());
  }

  @Override
  public String toString() {
    // Never print the token.
    return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", offline=" + offline
        + ", token=" + (token == null ? "none" : "set") + "]";
  }
}
