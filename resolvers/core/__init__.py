"""What every domain's resolvers share: errors, validation, paging, unit of work, uploads."""
