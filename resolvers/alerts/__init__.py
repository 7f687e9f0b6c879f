"""The alerts domain."""
