/**
 * The admin HTTP endpoint of a running processor: liveness and readiness for orchestrators and
 * Prometheus metrics (application meters, Kafka Streams client metrics, JVM and process).
 */
package dev.nlpstreams.app.admin;
