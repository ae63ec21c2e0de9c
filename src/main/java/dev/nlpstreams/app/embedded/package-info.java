/**
 * A real single-node KRaft Kafka broker (Kafka's own server classes) run in a child JVM, so that
 * {@code run}/{@code demo} without {@code bootstrap.servers} and the integration tests need no Docker.
 */
package dev.nlpstreams.app.embedded;
