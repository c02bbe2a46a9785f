"""Alerts and notifications: rules, evaluation, grouping, silences and channels."""
