"""The reference domain."""
