package dev.nlpstreams.schema;

import dev.nlpstreams.schema.avro.ReasonCode;

/** A payload that cannot be decoded, with the dead-letter reason that describes why. */
public final class PayloadException extends Exception {
  private final ReasonCode reason;

  public PayloadException(ReasonCode reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
