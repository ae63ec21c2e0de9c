package dev.nlpstreams.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

  private static final Schema GREETING = HttpSchemaRegistryClientTest.GREETING_SCHEMA;

  @Test
  void defaultsFollowConfluent() {
    RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
        "http://a:8081, https://b:8081/base"));

    assertThat(settings.urls()).containsExactly(URI.create("http://a:8081"),
        URI.create("https://b:8081/base"));
    assertThat(settings.autoRegister()).isTrue();
    assertThat(settings.useLatestVersion()).isFalse();
    assertThat(settings.subjectStrategy(false).subject("orders", false, GREETING))
        .isEqualTo("orders-value");
    assertThat(settings.subjectStrategy(true).subject("orders", true, GREETING))
        .isEqualTo("orders-key");
    assertThat(settings.authorizationHeader()).isEmpty();
  }

  @Test
  void subjectStrategiesByConfluentClassOrShortName() {
    RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
        "key.subject.name.strategy", "topic-record"));

    assertThat(settings.subjectStrategy(false).subject("orders", false, GREETING))
        .isEqualTo("test.Greeting");
    assertThat(settings.subjectStrategy(true).subject("orders", true, GREETING))
        .isEqualTo("orders-test.Greeting");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "value.subject.name.strategy", "com.example.Mine")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("topic, record or topic-record");
  }

  @Test
  void refusesBadCombinationsSayingWhatToChange() {
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "use.latest.version", "true")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auto.register.schemas=false");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "basic.auth.user.info", "u:p", "bearer.auth.credentials.source", "STATIC_TOKEN",
        "bearer.auth.token", "t")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("keep one")
        .hasMessageNotContaining("u:p");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "basic.auth.credentials.source", "URL")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no URL has them");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "basic.auth.credentials.source", "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("USER_INFO");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "ftp://a")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http://");
    // java.net.URI parses no user info from an authority with '_' in the host, but the password
    // is still in the text: the error must not repeat it.
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url",
        "http://user:s3cret@schema_registry:8081")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'_'")
        .hasMessageContaining("[hidden]@schema_registry:8081").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "retries.wait.ms", "500", "retries.max.wait.ms", "100")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least retries.wait.ms");
    assertThatThrownBy(() -> RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "auto.register.schemas", "yes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("true or false");
  }

  @Test
  void secretsNeverInToString() {
    String text = RegistrySettings.from(Map.of("schema.registry.url",
        "http://bob:pa55@a:8081", "basic.auth.credentials.source", "URL",
        "schema.registry.ssl.truststore.location", "/etc/ts.jks",
        "schema.registry.ssl.truststore.password", "tspass")).toString();
    assertThat(text).doesNotContain("pa55").doesNotContain("tspass").contains("bob")
        .contains("/etc/ts.jks");

    String bearer = RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok-xyz"))
        .toString();
    assertThat(bearer).doesNotContain("tok-xyz").contains("bearer token");
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url", "http://a",
        "retries.wait.ms", "100", "retries.max.wait.ms", "300"));
    assertThat(settings.backoffMs(0)).isEqualTo(100);
    assertThat(settings.backoffMs(1)).isEqualTo(200);
    assertThat(settings.backoffMs(2)).isEqualTo(300);
    assertThat(settings.backoffMs(40)).isEqualTo(300);
  }

  @Test
  void registryKeysAreKnown() {
    assertThat(RegistrySettings.isRegistryKey("schema.registry.url")).isTrue();
    assertThat(RegistrySettings.isRegistryKey("schema.registry.ssl.keystore.type")).isTrue();
    assertThat(RegistrySettings.isRegistryKey("bootstrap.servers")).isFalse();
  }
}
