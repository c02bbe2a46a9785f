"""Periodic background jobs, run inside `openrig serve` or by `openrig worker`."""
