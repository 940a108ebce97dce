"""HTTP resources, one blueprint per resource; ``create_app`` registers them in this order."""

from service.api.documents import blp as documents_blp

BLUEPRINTS = [documents_blp]
