"""Stage 3a, schema: JSON Schema -> payload classes with typed fields and conversion code."""
