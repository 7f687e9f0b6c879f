"""The classeur domain."""
