"""GraphQL of registration (inscription): viewer.registration and registrationRenew."""
