"""Text reuse between documents: fingerprints, alignment, candidates, link evidence and its stored form."""
