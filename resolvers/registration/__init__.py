"""Registration (inscription): state, category, agency, adviser, history."""
