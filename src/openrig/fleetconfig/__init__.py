"""Layered configuration: documents, validation, merging, flight sheets, OC profiles,
history and bulk changes."""
