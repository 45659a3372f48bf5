"""Civil-status document orders (watiqa model; SPEC.md §4, DOMAIN.md R3)."""
