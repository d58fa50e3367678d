"""The benchmark suite (``make bench``, ``benchmarks/run.py``): each ``bench_*.py`` module measures
something beside its floor. See docs/benchmarks.md."""
