"""Simulated shoppers, a synthetic catalog and the experiments run with them.

Not a use case of the shop: it drives the application's use cases from outside (demo data,
benchmarks, learning-to-rank experiments). Nothing in domain, application or adapters imports it.
"""
