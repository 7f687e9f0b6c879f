"""The bank or postal account the allowance is paid to: IBAN/BIC checks, delayed changes."""
