"""The baselines measured in the same run as every scenario (BENCHMARKING.md): a constant JSON
view, one primary-key SELECT and one INSERT, on the same server and database."""
