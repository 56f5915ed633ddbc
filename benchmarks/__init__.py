"""Benchmarks of cjm-widgets: run them all with ``python -m benchmarks`` (``--quick`` for a
short run). Each ``bench_*.py`` prints its figures next to a baseline measured in the same run.
"""
