"""Monthly declarations (actualisation): windows, answers, receipts, reminders, documents."""
