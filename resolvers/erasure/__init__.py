"""Erasure (RGPD art. 17) and retention (art. 5.1.e): ``accountDelete`` with its grace
period, the job that erases accounts once it has passed, driven by one declarative registry
of every table (``tables``), and the retention job for inactive accounts, refused
applications and expired offers."""
