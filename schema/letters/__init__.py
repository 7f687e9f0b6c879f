"""GraphQL schema of letters (« Mes courriers »)."""
