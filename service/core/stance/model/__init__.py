"""The learned document-level stance model: its features, its scoring stages, and the loaded classifier."""
