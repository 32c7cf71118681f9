"""Classic micrograd 0.1.0, vendored for benchmarks only."""
