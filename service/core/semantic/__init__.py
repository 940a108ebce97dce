"""Semantic similarity of passages: static sentence embeddings and exact nearest-neighbour search.

``embed`` turns texts into unit vectors (the mean of static token vectors, as WordLlama trains
them) and quantises them to int8; ``vectors`` holds a growing set of (passage id, int8 vector)
rows and finds the ones nearest to a query. Pure: the model's token table and tokenizer are
loaded by ``service.semantic.model`` and handed in.
"""
