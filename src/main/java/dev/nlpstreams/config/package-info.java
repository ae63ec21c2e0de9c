/**
 * Typed, validated configuration: our own {@code nlp.*} settings with defaults and docs, Kafka client
 * and Streams settings passed through, and cross-checks that refuse unsafe combinations.
 */
package dev.nlpstreams.config;
