"""The proposals domain."""
