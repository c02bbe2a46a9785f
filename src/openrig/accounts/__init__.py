"""Accounts: users, sessions, API tokens, login throttling, password reset."""
