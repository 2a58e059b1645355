"""The host's version, in its own module so that any part can read it without importing the app."""

__version__ = "0.1.0"
