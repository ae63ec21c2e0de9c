/**
 * Console tools: {@code produce} (JSON lines from standard input to a topic, in the configured
 * schema and framing) and {@code consume} (a topic's records as JSON lines, in either framing).
 */
package dev.nlpstreams.app.console;
