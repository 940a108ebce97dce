"""SQLAlchemy 2 typed models. Each resource family has its own module; all share ``Base``."""

from service.models.base import Base
from service.models.documents import Document, Passage

__all__ = ["Base", "Document", "Passage"]
