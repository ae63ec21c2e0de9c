package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.ReasonCode;

/** Why a record's task options cannot be honoured: the dead letter's reason and message. */
record OptionError(ReasonCode reason, String message) implements PlanOutcome {

  static OptionError option(String message) {
    return new OptionError(ReasonCode.UNSUPPORTED_OPTION, message);
  }

  static OptionError language(String message) {
    return new OptionError(ReasonCode.UNSUPPORTED_LANGUAGE, message);
  }
}
