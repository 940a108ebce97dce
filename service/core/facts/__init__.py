"""Checkable facts of a sentence (quantities, dates, negation, refutation and other cue words), with offsets."""
