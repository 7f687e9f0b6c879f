"""GraphQL schema of the agenda (« Mon agenda »)."""
