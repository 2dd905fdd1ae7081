"""Centrifuge benchmarks, run by `make bench`: figures are reported, not asserted."""
