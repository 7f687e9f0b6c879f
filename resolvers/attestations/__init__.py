"""Attestations: issued on demand with a verification code and a QR code."""
