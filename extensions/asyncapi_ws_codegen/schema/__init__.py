"""The schema stage: JSON Schema -> payload classes with typed fields and conversion code."""
