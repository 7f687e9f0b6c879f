"""Erasure of the account (RGPD art. 17): ``accountDelete``."""
