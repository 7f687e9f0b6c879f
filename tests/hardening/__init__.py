"""The hardening domain."""
