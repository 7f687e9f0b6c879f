"""GraphQL for the bank account the allowance is paid to."""
