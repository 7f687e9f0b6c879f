"""The ground every layer stands on: settings, database, broker, runtime, claims. Imports nothing
above it."""
