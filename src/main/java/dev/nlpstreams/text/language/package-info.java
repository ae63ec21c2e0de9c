/**
 * Language identification for routing translations when an event does not say which language its
 * text is in. Pure code, no model: function-word profiles for Latin-script languages and Unicode
 * scripts for the others.
 */
package dev.nlpstreams.text.language;
