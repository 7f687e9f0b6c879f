"""The ws domain."""
