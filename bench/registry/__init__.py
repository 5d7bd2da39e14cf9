"""`python -m bench.registry`: registry throughput on PostgreSQL, service layer against the raw-SQL floor."""
