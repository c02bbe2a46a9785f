"""Farms: ownership, members and roles, enrollment keys."""
