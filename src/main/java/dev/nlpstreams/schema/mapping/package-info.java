/**
 * Users' own events: a TextEvent read out of any Avro record (writer schema from the registry) or
 * JSON object by configured field paths such as {@code payload.body}.
 */
package dev.nlpstreams.schema.mapping;
