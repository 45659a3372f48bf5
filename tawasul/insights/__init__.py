"""Indicators, reports (PDF/XLSX), open data and visit counts (SPEC.md §9)."""
