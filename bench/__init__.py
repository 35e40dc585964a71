"""Benchmark data generator and timings; not part of the test run (see README, Performance)."""
