/**
 * Long inputs for generation: split a text into sentences, pack sentences into chunks that fit a
 * model's token budget, and stitch per-chunk outputs back together in order with the original
 * spacing between them.
 */
package dev.nlpstreams.text.chunking;
