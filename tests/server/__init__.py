"""The server domain."""
