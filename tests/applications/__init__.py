"""The applications domain."""
