"""SQLAlchemy 2 typed models. Each resource family has its own module; all share ``Base``."""

from service.models.base import Base
from service.models.documents import Document, Passage
from service.models.keys import ApiKey
from service.models.lineage import (
    AnchorFrequency,
    AnchorTerm,
    Fingerprint,
    FingerprintFrequency,
    LineageNode,
    ReuseLink,
)
from service.models.vectors import PassageVector, VectorState

__all__ = [
    "AnchorFrequency",
    "AnchorTerm",
    "ApiKey",
    "Base",
    "Document",
    "Fingerprint",
    "FingerprintFrequency",
    "LineageNode",
    "Passage",
    "PassageVector",
    "ReuseLink",
    "VectorState",
]
