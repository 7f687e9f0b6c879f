"""The cli domain."""
