"""Test helpers shared by the domains' tests: clients, accounts, per-domain builders."""
