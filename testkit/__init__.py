"""What the tests and the benchmarks share: voice fixtures synthesised on demand, and a delaying TCP proxy.

Not installed with the service; importable from the repository root.
"""
