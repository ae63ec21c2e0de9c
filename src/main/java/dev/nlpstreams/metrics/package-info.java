/**
 * Application meters: one facade ({@link dev.nlpstreams.metrics.NlpMeters}) over a Micrometer
 * registry, so the topology, the inference engine and the admin endpoint agree on meter names and
 * tags. Micrometer only: no Kafka, no ONNX Runtime.
 */
package dev.nlpstreams.metrics;
