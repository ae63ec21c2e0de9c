/**
 * Models referenced as {@code hf:org/name[@revision]}: downloaded from a Hugging Face Hub endpoint
 * into the standard Hugging Face cache, or read from that cache offline.
 */
package dev.nlpstreams.inference.hub;
