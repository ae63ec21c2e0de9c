"""Building blocks of the model generator: tokenizers, model, training, export, files."""
