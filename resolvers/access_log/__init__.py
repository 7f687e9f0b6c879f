"""The access log (issue 14 §5): which employer saw a candidat's CV or application, which
adviser opened their file, and when. The candidat reads it in ``viewer.accessLog``."""
