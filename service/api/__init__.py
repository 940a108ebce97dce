"""HTTP resources, one blueprint per resource; ``create_app`` registers them in this order."""

from service.api.documents import blp as documents_blp
from service.api.statements import blp as statements_blp

BLUEPRINTS = [documents_blp, statements_blp]
