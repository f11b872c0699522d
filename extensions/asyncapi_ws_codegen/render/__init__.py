"""The render stage: what templates call: code layout within the line length, and the filters."""
