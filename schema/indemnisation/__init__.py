"""GraphQL for the allowance: rights, payments (« Mes allocations »), adviser actions."""
