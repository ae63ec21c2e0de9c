/**
 * Which translation model serves a record: language codes, the routing table built from the
 * configured models, and the decision for one record (route or a reason it cannot be served).
 */
package dev.nlpstreams.text.translation;
