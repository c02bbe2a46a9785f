"""Simulated rigs that speak protocol v1 exactly as a real agent does."""
