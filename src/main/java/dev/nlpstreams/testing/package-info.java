/**
 * Testcontainers support for users' own integration tests: {@link
 * dev.nlpstreams.testing.NlpStreamsContainer} runs the processor image next to a Kafka container,
 * {@link dev.nlpstreams.testing.NlpStreamsClient} creates the topics, sends events and awaits
 * results. Testcontainers is an optional dependency of nlp-streams: add {@code
 * org.testcontainers:testcontainers} and {@code testcontainers-kafka} (2.0.x) to your test scope
 * to use this package.
 */
package dev.nlpstreams.testing;
