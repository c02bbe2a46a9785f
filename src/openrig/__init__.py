"""openrig: self-hostable management for fleets of GPU mining rigs."""

__version__ = "0.1.0"
