"""The public-jobs portal (emploi-public model; SPEC.md §7, DOMAIN.md R4)."""
