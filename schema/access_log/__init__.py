"""The access log: ``viewer.accessLog``."""
