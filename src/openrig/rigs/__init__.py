"""Rigs: inventory of the fleet, tags, rig.conf credentials."""
