package dev.nlpstreams.schema.registry;

/**
 * The registry answered, but with an error that retrying will not fix (authentication, an invalid
 * or incompatible schema, ...). The message carries the registry's own words and what to change.
 */
public class RegistryException extends RuntimeException {
  private final int httpStatus;
  private final int errorCode;

  public RegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status, or 0 when the answer was not an HTTP error (for example a non-Avro schema). */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent's error code from the body (40403 = schema not found, ...), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
