"""Rectification (RGPD art. 16): changing civilité, nom and prénom, and the history of every
change to a candidat's personal data."""
