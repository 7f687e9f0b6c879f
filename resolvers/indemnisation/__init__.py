"""Allowance (indemnisation): rights, the monthly payment rules, payments and their import."""
