"""Example values of schemas: a valid one for the generated tests, an invalid one, pattern strings."""
