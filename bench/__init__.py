"""Benchmarks of Tawasul (issue 7). Not part of the product, never imported by it."""
