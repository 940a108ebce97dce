"""Text reuse between documents: fingerprints for finding candidates, passage alignment, and pair evidence."""
