/** Pure batching decisions: when a micro-batch flushes and how it is cut into length buckets. */
package dev.nlpstreams.text.batch;
