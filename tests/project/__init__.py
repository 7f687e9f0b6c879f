"""The project domain."""
