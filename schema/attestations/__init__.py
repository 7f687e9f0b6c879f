"""GraphQL schema of attestations."""
