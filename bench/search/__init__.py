"""Search benchmark: Tantivy through the application against bare Tantivy (python -m bench.search)."""
