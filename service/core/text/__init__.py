"""Text as every other part of the core reads it: normalised, cut into sentences, tokenised, with the word lists."""
