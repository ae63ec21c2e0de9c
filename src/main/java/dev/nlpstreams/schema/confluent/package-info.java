/**
 * Confluent Schema Registry wire format for Avro: magic byte 0, the writer schema's 4-byte
 * big-endian registry id, then the Avro binary body. Serializer and deserializer for specific and
 * generic records, over any {@link dev.nlpstreams.schema.registry.SchemaRegistryClient}.
 */
package dev.nlpstreams.schema.confluent;
