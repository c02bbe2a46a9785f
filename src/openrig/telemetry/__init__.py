"""Telemetry: farm summaries, metric series, rollups and retention, activity log."""
