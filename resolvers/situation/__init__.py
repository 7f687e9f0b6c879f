"""Changes of situation (issue 13 §8): the form, the rules, the effects, the reads."""
