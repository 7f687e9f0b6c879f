"""Agenda (« Mon agenda »): appointments with advisers, calendars, reminders."""
