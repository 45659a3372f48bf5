"""The contact center console and the assistant (3737 model; SPEC.md §8, DOMAIN.md R6)."""
