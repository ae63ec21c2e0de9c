package dev.nlpstreams.testsupport;

/**
 * One Apicurio Registry per test JVM, started on first use and stopped by its JVM shutdown hook,
 * like {@link SharedKafkaBroker}. Tests sharing it must not stop it (create a private
 * {@link ApicurioRegistry} for an outage test) and should use topic names from
 * {@link SharedKafkaBroker#uniqueTopicName(String)} so that their subjects never collide.
 */
public final class SharedSchemaRegistry {

  private static ApicurioRegistry registry;

  private SharedSchemaRegistry() {}

  public static synchronized ApicurioRegistry get() {
    if (registry == null) {
      registry = ApicurioRegistry.create();
    }
    return registry.start();
  }

  /** The value for {@code schema.registry.url}. */
  public static String url() {
    return get().url();
  }
}
