"""Rig protocol v1 (``/api/rig/v1``): what agents speak. See docs/rig-protocol.md."""
