"""The viewer domain."""
