"""The graph resource: the whole derivation graph, as JSON or as GraphML for Gephi."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.db import get_read_session
from service.provenance.graph import graph
from service.schemas.provenance import GraphQuerySchema, GraphSchema

GRAPHML = "application/graphml+xml"

blp = Blueprint(
    "graph", __name__, url_prefix="/v1/graph",
    description="The derivation graph of the corpus (JSON, or GraphML with ?format=graphml).",
)

_NODE_KEYS = [("external_id", "string"), ("title", "string"), ("outlet", "string"), ("url", "string"),
              ("published_at", "string"), ("is_original", "boolean")]
_EDGE_KEYS = [("relation", "string"), ("confidence", "double"), ("weight", "double"), ("primary", "boolean")]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def to_graphml(data: dict[str, Any]) -> str:
    """Serialise the graph as GraphML (directed, parent -> child), readable by Gephi and networkx."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    for name, kind in _NODE_KEYS:
        lines.append(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    for name, kind in _EDGE_KEYS:
        lines.append(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="derivation" edgedefault="directed">')
    for node in data["nodes"]:
        lines.append(f'    <node id="d{node["id"]}">')
        for name, _ in _NODE_KEYS:
            if node.get(name) is not None:
                lines.append(f'      <data key="n_{name}">{_escape(_value(node[name]))}</data>')
        lines.append("    </node>")
    for i, edge in enumerate(data["edges"]):
        lines.append(f'    <edge id="e{i}" source="d{edge["source"]}" target="d{edge["target"]}">')
        for name, _ in _EDGE_KEYS:
            lines.append(f'      <data key="e_{name}">{_escape(_value(edge[name]))}</data>')
        lines.append("    </edge>")
    lines.append("  </graph>")
    lines.append("</graphml>")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return quoteattr(text)[1:-1]


@blp.route("")
class Graph(MethodView):
    """The derivation graph."""

    @blp.arguments(GraphQuerySchema, location="query")
    @blp.response(200, GraphSchema)
    @blp.alt_response(200, description="GraphML (with ?format=graphml or Accept: application/graphml+xml)",
                      content_type=GRAPHML, success=True)
    def get(self, query: dict[str, Any]) -> Any:
        """Export every document and derivation edge, weighted by confidence."""
        data = graph(get_read_session(), min_confidence=query["min_confidence"], include_links=query["links"])
        wants_graphml = query["format"] == "graphml" or (
            query["format"] is None and request.accept_mimetypes.best_match(["application/json", GRAPHML]) == GRAPHML
        )
        if wants_graphml:
            return Response(to_graphml(data), mimetype=GRAPHML)
        return data
