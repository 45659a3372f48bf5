"""The reception-quality program (Idarati model; SPEC.md §10, DOMAIN.md R7)."""
