"""The pure text core: normalise, segment, fingerprint, extract facts, align, judge stance, infer lineage.

Nothing in this package imports Flask or SQLAlchemy, so it can be tested and benchmarked
on its own and reused from the CLI, the web layer and the benchmarks.
"""
