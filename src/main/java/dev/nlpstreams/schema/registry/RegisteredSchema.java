package dev.nlpstreams.schema.registry;

import org.apache.avro.Schema;

/** A schema as registered under a subject: its global id, version and the parsed schema. */
public record RegisteredSchema(int id, String subject, int version, Schema schema) {}
