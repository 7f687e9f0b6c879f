"""Rectification: ``identityRectify`` and ``viewer.personalDataChanges``."""
