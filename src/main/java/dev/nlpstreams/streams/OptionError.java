package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.ReasonCode;

/** Why a record's task options cannot be honoured: the dead letter's reason and message. */
public record OptionError(ReasonCode reason, String message) implements PlanOutcome {

  public static OptionError option(String message) {
    return new OptionError(ReasonCode.UNSUPPORTED_OPTION, message);
  }

  public static OptionError language(String message) {
    return new OptionError(ReasonCode.UNSUPPORTED_LANGUAGE, message);
  }
}
