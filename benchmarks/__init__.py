"""Benchmarks of the template: generation (copier copy/update), payload decoding, runtime throughput."""
