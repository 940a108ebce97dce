"""The pure text core: normalise, segment, extract facts, judge stance, fingerprint and align, infer lineage.

Nothing in this package imports Flask, SQLAlchemy or the rest of ``service``, so it can be
tested and benchmarked on its own and reused from the CLI, the web layer and the benchmarks.
Subpackages: ``text`` (normalisation, sentences, HTML, tokenisers, word lists), ``facts``
(quantities, dates, cue words), ``stance`` (statement checks: passage rules, the learned
document model, the verdict), ``reuse`` (fingerprints, alignment, pair evidence) and
``lineage`` (direction and parents).
"""
