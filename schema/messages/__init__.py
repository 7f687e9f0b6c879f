"""The messages domain."""
