"""The ops domain."""
