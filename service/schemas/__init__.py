"""Marshmallow schemas, one module per resource: they validate input and shape output."""
