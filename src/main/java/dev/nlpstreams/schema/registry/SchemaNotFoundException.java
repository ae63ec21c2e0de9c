package dev.nlpstreams.schema.registry;

/** The registry does not know the schema id, subject or schema asked for (HTTP 404). */
public final class SchemaNotFoundException extends RegistryException {
  public SchemaNotFoundException(int errorCode, String message) {
    super(404, errorCode, message);
  }
}
