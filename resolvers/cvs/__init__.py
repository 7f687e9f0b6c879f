"""The cvs domain."""
