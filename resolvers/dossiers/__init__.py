"""The dossiers domain."""
