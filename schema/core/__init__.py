"""What every domain's schema shares: user errors, connections, limits, pipeline, context,
loaders."""
