"""Stage 4, render: what templates call: code layout within the line length, and the filters."""
