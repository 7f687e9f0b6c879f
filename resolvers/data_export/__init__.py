"""Data exports (« Mes données »): the archive of everything held about an account."""
