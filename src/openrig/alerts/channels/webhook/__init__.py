"""Signed JSON webhooks."""
