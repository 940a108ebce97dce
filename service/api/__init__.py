"""HTTP resources, one blueprint per resource; ``create_app`` registers them in this order."""

from service.api.documents import blp as documents_blp
from service.api.graph import blp as graph_blp
from service.api.health import blp as health_blp
from service.api.jobs import blp as jobs_blp
from service.api.pages import blp as pages_blp
from service.api.provenance import blp as provenance_blp
from service.api.statements import blp as statements_blp

BLUEPRINTS = [documents_blp, health_blp, statements_blp, provenance_blp, graph_blp, pages_blp, jobs_blp]
