"""One module per model kind the generator can make (see generate_models.RECIPES)."""
