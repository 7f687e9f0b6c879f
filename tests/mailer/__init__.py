"""The mailer domain."""
