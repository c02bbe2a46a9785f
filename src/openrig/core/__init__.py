"""Cross-cutting pieces: database, errors, security primitives, request dependencies."""
