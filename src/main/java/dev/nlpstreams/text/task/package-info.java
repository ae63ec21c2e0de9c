/**
 * Task-level contracts between the streaming layer and the inference layer: what a batch of requests
 * looks like, what comes back, and how inference failures are reported.
 */
package dev.nlpstreams.text.task;
