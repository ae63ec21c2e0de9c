/**
 * Fault injection on real brokers and real processor JVMs: SIGKILL, SIGTERM, broker loss, bad
 * input, heavy bursts and scale-out, each checked with exact counts by a read_committed verifier.
 */
package dev.nlpstreams.faults;
