"""Benchmarks with their corpus generators (not part of `make test`)."""
