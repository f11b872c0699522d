"""How spec text becomes Python text: identifiers, literals and escaping.

Every stage that writes a name or a literal into generated code uses these, so they sit below all
of them.
"""
