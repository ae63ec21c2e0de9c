/**
 * Composition root and command line: wires configuration, models, the embedded broker and the
 * topology together, and owns start-up and shutdown.
 */
package dev.nlpstreams.app;
