package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.TextEvent;

/** A validated input event on its way to a task's micro-batch buffer. */
record DecodedEvent(TextEvent event, SourceRecordInfo source) {}
