"""The ``espace`` command and its sub-commands."""
