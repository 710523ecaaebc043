"""The runtime's version (the User-Agent carries it)."""

__version__ = "0.1.0"
