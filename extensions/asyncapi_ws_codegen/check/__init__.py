"""The check stage: the document's shapes and formats, refused with file, line and pointer."""
