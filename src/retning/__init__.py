"""Retning: a regional business strategy as a living, measured and open system."""

__version__ = "0.1.0"
