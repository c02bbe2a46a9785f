"""Outgoing email over SMTP; without SMTP settings, messages go to the server log."""
