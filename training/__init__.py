"""Training, export and evaluation of the functional-token model."""
