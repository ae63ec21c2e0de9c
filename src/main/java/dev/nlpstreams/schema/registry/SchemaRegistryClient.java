package dev.nlpstreams.schema.registry;

import org.apache.avro.Schema;

/**
 * The registry operations the serdes need. Implementations cache immutable answers (a schema id
 * never changes meaning) so the hot path makes no remote call once warm.
 *
 * <p>Every method throws {@link RegistryUnavailableException} when the registry cannot be reached
 * after the configured retries, {@link SchemaNotFoundException} for an unknown id or subject, and
 * {@link RegistryException} for any other error answer.
 */
public interface SchemaRegistryClient {

  /** The writer schema registered under a global id. */
  Schema schemaById(int id);

  /** Registers the schema under the subject (idempotent) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of a schema already registered under the subject; never registers. */
  int lookup(String subject, Schema schema);

  /** The latest version registered under the subject. */
  RegisteredSchema latest(String subject);

  /** Whether the schema is compatible with the latest version under the subject. */
  boolean isCompatible(String subject, Schema schema);
}
