package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.TextEvent;

/**
 * A validated input event on its way to a task's micro-batch buffer.
 *
 * @param valueIsEvent whether the source value is this TextEvent in single-object encoding (then
 *     the buffer need not store the event a second time)
 * @param plan the receiving task's plan for it; null only before the decode step routes it
 */
record DecodedEvent(TextEvent event, SourceRecordInfo source, boolean valueIsEvent,
    TaskPlan plan) {

  DecodedEvent withPlan(TaskPlan taskPlan) {
    return new DecodedEvent(event, source, valueIsEvent, taskPlan);
  }
}
