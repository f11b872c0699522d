"""The load stage: a path or URL -> one bundled document (external ``$ref`` files inlined).

Also the document's other home, the snapshot in the answers file, and the way back from a JSON
pointer to a file and line for error messages.
"""
