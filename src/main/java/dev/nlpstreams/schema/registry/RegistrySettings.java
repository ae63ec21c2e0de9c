package dev.nlpstreams.schema.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Schema Registry client settings under Confluent's names, so that a serializer configuration
 * users already have works unchanged. Parsed and checked once; a bad value or combination is
 * refused with a message that says what to change. Secrets never appear in {@link #toString()}.
 */
public final class RegistrySettings {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  /** Older Confluent name of {@link #BASIC_AUTH_USER_INFO}, still accepted by their serializers. */
  public static final String LEGACY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String SSL_PREFIX = "schema.registry.ssl.";
  public static final String SSL_TRUSTSTORE_LOCATION = SSL_PREFIX + "truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = SSL_PREFIX + "truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = SSL_PREFIX + "truststore.type";
  public static final String SSL_KEYSTORE_LOCATION = SSL_PREFIX + "keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD = SSL_PREFIX + "keystore.password";
  public static final String SSL_KEYSTORE_TYPE = SSL_PREFIX + "keystore.type";
  public static final String SSL_KEY_PASSWORD = SSL_PREFIX + "key.password";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String KEY_SUBJECT_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_STRATEGY = "value.subject.name.strategy";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
  public static final String CACHE_CAPACITY = "max.schemas.per.subject";

  /** Every key this class reads; none of them means anything to Kafka Streams itself. */
  public static final Set<String> KEYS = Set.of(URL, BASIC_AUTH_SOURCE, BASIC_AUTH_USER_INFO,
      LEGACY_BASIC_AUTH_USER_INFO, BEARER_AUTH_SOURCE, BEARER_AUTH_TOKEN, SSL_TRUSTSTORE_LOCATION,
      SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD,
      SSL_KEYSTORE_TYPE, SSL_KEY_PASSWORD, AUTO_REGISTER, USE_LATEST_VERSION, KEY_SUBJECT_STRATEGY,
      VALUE_SUBJECT_STRATEGY, MAX_RETRIES, RETRIES_WAIT_MS, RETRIES_MAX_WAIT_MS, CONNECT_TIMEOUT_MS,
      READ_TIMEOUT_MS, LATEST_CACHE_TTL_SEC, CACHE_CAPACITY);

  /**
   * The longest one registry call may take, retries included, whatever the retry settings say.
   * Kafka Streams must keep polling (max.poll.interval.ms) and, under exactly_once_v2, finish its
   * transaction: a record that needs an unreachable registry is better handed back to Kafka
   * (thread replaced, record re-read) than waited for here.
   */
  public static final Duration CALL_BUDGET = Duration.ofSeconds(10);

  private final List<URI> urls;
  private final String authorizationHeader;
  private final String authDescription;
  private final SslSettings ssl;
  private final boolean autoRegister;
  private final boolean useLatestVersion;
  private final SubjectNameStrategy keyStrategy;
  private final SubjectNameStrategy valueStrategy;
  private final int maxRetries;
  private final long retriesWaitMs;
  private final long retriesMaxWaitMs;
  private final long connectTimeoutMs;
  private final long readTimeoutMs;
  private final long latestCacheTtlSec;
  private final int cacheCapacity;

  /** Keystore and truststore for https registries; empty locations use the JDK defaults. */
  public record SslSettings(String truststoreLocation, String truststorePassword,
      String truststoreType, String keystoreLocation, String keystorePassword, String keystoreType,
      String keyPassword) {
    public boolean configured() {
      return truststoreLocation != null || keystoreLocation != null;
    }

    @Override
    public String toString() {
      return "SslSettings[truststore=" + truststoreLocation + " (" + truststoreType + "), keystore="
          + keystoreLocation + " (" + keystoreType + "), passwords=[hidden]]";
    }
  }

  private RegistrySettings(Map<String, ?> config) {
    String urlList = string(config, URL, null);
    if (urlList == null || urlList.isBlank()) {
      throw new ConfigException(URL, urlList, "a schema registry needs at least one URL, for"
          + " example http://registry:8081 (several separated by commas for failover)");
    }
    String basicSource = string(config, BASIC_AUTH_SOURCE, "USER_INFO").toUpperCase(Locale.ROOT);
    String userInfo = string(config, BASIC_AUTH_USER_INFO,
        string(config, LEGACY_BASIC_AUTH_USER_INFO, null));
    List<URI> parsed = new ArrayList<>();
    String urlUserInfo = null;
    for (String raw : urlList.split(",")) {
      if (raw.isBlank()) {
        continue;
      }
      URI uri;
      try {
        uri = new URI(raw.trim());
      } catch (URISyntaxException e) {
        throw new ConfigException(URL, "[hidden]", "not a URL: " + e.getReason());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new ConfigException(URL, redact(uri), "each URL needs http:// or https:// and a"
            + " host (a host name with '_' is not a valid URL host; percent-encode '@' in a"
            + " password)");
      }
      if (uri.getRawUserInfo() != null) {
        urlUserInfo = uri.getRawUserInfo();
        uri = withoutUserInfo(uri);
      }
      parsed.add(uri);
    }
    this.urls = List.copyOf(parsed);

    String bearerSource = string(config, BEARER_AUTH_SOURCE, null);
    String token = string(config, BEARER_AUTH_TOKEN, null);
    String basic = switch (basicSource) {
      case "USER_INFO" -> userInfo;
      case "URL" -> {
        if (urlUserInfo == null) {
          throw new ConfigException(BASIC_AUTH_SOURCE, basicSource, "URL takes the credentials from"
              + " schema.registry.url (http://user:password@host:port), but no URL has them");
        }
        yield urlUserInfo;
      }
      default -> throw new ConfigException(BASIC_AUTH_SOURCE, basicSource,
          "supported: USER_INFO (with basic.auth.user.info=user:password) or URL; SASL_INHERIT is"
              + " not supported, give the registry credentials explicitly");
    };
    if (basic != null && !basic.contains(":")) {
      throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]", "must be user:password");
    }
    if (bearerSource != null && !bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
      throw new ConfigException(BEARER_AUTH_SOURCE, bearerSource,
          "supported: STATIC_TOKEN (with bearer.auth.token)");
    }
    if (bearerSource != null && (token == null || token.isBlank())) {
      throw new ConfigException(BEARER_AUTH_TOKEN, "[hidden]",
          "bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
    }
    if (token != null && basic != null) {
      throw new ConfigException(BEARER_AUTH_TOKEN, "[hidden]", "both basic and bearer credentials"
          + " are configured; keep one: remove basic.auth.user.info or bearer.auth.token");
    }
    if (token != null) {
      this.authorizationHeader = "Bearer " + token;
      this.authDescription = "bearer token";
    } else if (basic != null) {
      this.authorizationHeader = "Basic " + Base64.getEncoder().encodeToString(
          basic.getBytes(StandardCharsets.UTF_8));
      this.authDescription = "basic (" + basic.substring(0, basic.indexOf(':')) + ")";
    } else {
      this.authorizationHeader = null;
      this.authDescription = "none";
    }

    this.ssl = new SslSettings(string(config, SSL_TRUSTSTORE_LOCATION, null),
        string(config, SSL_TRUSTSTORE_PASSWORD, null), string(config, SSL_TRUSTSTORE_TYPE, "JKS"),
        string(config, SSL_KEYSTORE_LOCATION, null), string(config, SSL_KEYSTORE_PASSWORD, null),
        string(config, SSL_KEYSTORE_TYPE, "JKS"), string(config, SSL_KEY_PASSWORD, null));

    this.autoRegister = bool(config, AUTO_REGISTER, true);
    this.useLatestVersion = bool(config, USE_LATEST_VERSION, false);
    if (autoRegister && useLatestVersion) {
      throw new ConfigException(USE_LATEST_VERSION, true, "use.latest.version writes with the"
          + " latest registered schema and never registers: also set auto.register.schemas=false");
    }
    this.keyStrategy = strategy(config, KEY_SUBJECT_STRATEGY);
    this.valueStrategy = strategy(config, VALUE_SUBJECT_STRATEGY);
    this.maxRetries = (int) number(config, MAX_RETRIES, 3, 0, 20);
    this.retriesWaitMs = number(config, RETRIES_WAIT_MS, 250, 0, 60_000);
    this.retriesMaxWaitMs = number(config, RETRIES_MAX_WAIT_MS, 1_000, 0, 60_000);
    if (retriesMaxWaitMs < retriesWaitMs) {
      throw new ConfigException(RETRIES_MAX_WAIT_MS, retriesMaxWaitMs,
          "must be at least retries.wait.ms (" + retriesWaitMs + ")");
    }
    this.connectTimeoutMs = number(config, CONNECT_TIMEOUT_MS, 2_000, 1, 600_000);
    this.readTimeoutMs = number(config, READ_TIMEOUT_MS, 5_000, 1, 600_000);
    this.latestCacheTtlSec = number(config, LATEST_CACHE_TTL_SEC, -1, -1, Integer.MAX_VALUE);
    this.cacheCapacity = (int) number(config, CACHE_CAPACITY, 1000, 1, 1_000_000);
  }

  /** Parses Confluent-named settings out of a larger map (other keys are ignored). */
  public static RegistrySettings from(Map<String, ?> config) {
    return new RegistrySettings(config);
  }

  /** Whether the map names a registry at all (the switch between the two wire formats). */
  public static boolean isConfigured(Map<String, ?> config) {
    Object url = config.get(URL);
    return url != null && !url.toString().isBlank();
  }

  /** Whether a key belongs to the registry client rather than to Kafka. */
  public static boolean isRegistryKey(String key) {
    return KEYS.contains(key) || key.startsWith(SSL_PREFIX);
  }

  /** Exponential backoff before retry number {@code attempt + 1}, capped. */
  long backoffMs(int attempt) {
    long wait = retriesWaitMs << Math.min(attempt, 20);
    return Math.min(wait, retriesMaxWaitMs);
  }

  public List<URI> urls() {
    return urls;
  }

  /** The Authorization header value, or empty. Never log it. */
  Optional<String> authorizationHeader() {
    return Optional.ofNullable(authorizationHeader);
  }

  public SslSettings ssl() {
    return ssl;
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  public boolean useLatestVersion() {
    return useLatestVersion;
  }

  public SubjectNameStrategy subjectStrategy(boolean isKey) {
    return isKey ? keyStrategy : valueStrategy;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration connectTimeout() {
    return Duration.ofMillis(connectTimeoutMs);
  }

  public Duration readTimeout() {
    return Duration.ofMillis(readTimeoutMs);
  }

  /** How long a subject's latest version is trusted; negative = until restart. */
  public long latestCacheTtlSec() {
    return latestCacheTtlSec;
  }

  public int cacheCapacity() {
    return cacheCapacity;
  }

  @Override
  public String toString() {
    return "RegistrySettings[urls=" + urls + ", auth=" + authDescription + ", ssl="
        + (ssl.configured() ? ssl : "JDK defaults") + ", autoRegister=" + autoRegister
        + ", useLatestVersion=" + useLatestVersion + ", keyStrategy=" + keyStrategy
        + ", valueStrategy=" + valueStrategy + ", maxRetries=" + maxRetries + ", retriesWaitMs="
        + retriesWaitMs + ", retriesMaxWaitMs=" + retriesMaxWaitMs + ", connectTimeoutMs="
        + connectTimeoutMs + ", readTimeoutMs=" + readTimeoutMs + "]";
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new ConfigException(URL, "[hidden]", "not a URL: " + e.getReason());
    }
  }

  /**
   * The URL with any user info replaced. Read from the raw authority, not {@code getUserInfo()}:
   * for an authority java.net.URI cannot parse as host and port (a host name with '_', an
   * unencoded '@' in a password) the user info is null while the password is still in the text.
   */
  static String redact(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null || authority.indexOf('@') < 0) {
      return uri.toString();
    }
    return uri.getScheme() + "://[hidden]@" + authority.substring(authority.lastIndexOf('@') + 1)
        + Objects.toString(uri.getRawPath(), "");
  }

  private static String string(Map<String, ?> config, String key, String defaultValue) {
    Object value = config.get(key);
    if (value == null || value.toString().isBlank()) {
      return defaultValue;
    }
    return value.toString().trim();
  }

  private static boolean bool(Map<String, ?> config, String key, boolean defaultValue) {
    String value = string(config, key, null);
    if (value == null) {
      return defaultValue;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new ConfigException(key, value, "must be true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private static long number(Map<String, ?> config, String key, long defaultValue, long min,
      long max) {
    String value = string(config, key, null);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key, value, "must be between " + min + " and " + max);
    }
    return parsed;
  }

  private static SubjectNameStrategy strategy(Map<String, ?> config, String key) {
    String value = string(config, key, null);
    if (value == null) {
      return SubjectNameStrategy.TOPIC;
    }
    try {
      return SubjectNameStrategy.parse(key, value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, value, e.getMessage());
    }
  }
}
