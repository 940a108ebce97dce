"""Document lineage: which side of a reuse link is the source, and each document's parents."""
