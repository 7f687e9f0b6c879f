"""Changes of situation (issue 13 §8): the mutation and its types."""
