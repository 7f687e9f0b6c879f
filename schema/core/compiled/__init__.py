"""Compiled reads: a validated document compiled to one SQL statement that builds the
response JSON in the database (``compiler``), from the declarations of ``declare``."""
