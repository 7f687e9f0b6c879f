"""GraphQL of the monthly declaration (actualisation)."""
