/**
 * Avro encoding of the public contracts. Registry-less mode uses Avro's single-object encoding (a
 * two-byte marker and the schema fingerprint before the binary body); payloads in Confluent Schema
 * Registry framing are recognised so a registry-backed resolver can be added without touching
 * callers.
 */
package dev.nlpstreams.schema;
