"""Stage 2, check: the document's shapes and formats, refused with file, line and pointer."""
