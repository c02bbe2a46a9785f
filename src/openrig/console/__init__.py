"""The web console: static ES modules served at ``/`` (no build step)."""
