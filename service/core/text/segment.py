"""Sentence segmentation with character offsets into the stored text.

Uses Bling Fire (a compiled, model-based sentence breaker) per line, then repairs the one
mistake it makes on news text: breaking after an honorific or a single initial
("Mr. Smith", "John F. Kennedy"). Fragments without any letter ("[1]", "2") are dropped,
because a passage with no words can neither support a statement nor be reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import blingfire

_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Rev|St|Mt|Jr|Sr|No|vs|Fig|Inc|Corp|Co|Ltd"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|\b[A-Z]\.)$"
)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_LOWER_START = re.compile(r"^[\"'(]?[a-z]")

MAX_PASSAGE_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of the text it was cut from."""

    start: int
    end: int


_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")
# Hard-wrapped plain text (e-mail, old wire feeds, text files) breaks lines at a fixed width.
WRAP_MIN_CHARS = 40
WRAP_MAX_CHARS = 100


def _wrapped(lines: list[str]) -> bool:
    """Whether a block of consecutive lines is one paragraph hard-wrapped at a fixed width."""
    widths = [len(line.rstrip()) for line in lines[:-1]]
    if not widths or max(widths) > WRAP_MAX_CHARS or min(widths) < WRAP_MIN_CHARS:
        return False
    # Filled to about the same width, and at least one line breaks mid-sentence.
    return min(widths) >= 0.6 * max(widths) and any(not _TERMINAL.search(line) for line in lines[:-1])


def _line_spans(text: str) -> list[Span]:
    """Sentences of each line; a hard-wrapped paragraph counts as one line (its breaks read as spaces)."""
    spans: list[Span] = []
    pos = 0
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        j = i + 1
        if lines[i].strip():
            while j < len(lines) and lines[j].strip():
                j += 1
            block = lines[i:j]
            groups = ["\n".join(block)] if len(block) >= 2 and _wrapped(block) else block
        else:
            groups = lines[i:j]
        for group in groups:
            if group.strip():
                flat = group.replace("\n", " ")  # same length: offsets stay offsets into the text
                offset = pos + (len(flat) - len(flat.lstrip()))
                for start, end in _sentence_offsets(flat.strip()):
                    spans.append(Span(offset + start, offset + end))
            pos += len(group) + 1
        i = j
    return spans


def _sentence_offsets(line: str) -> list[tuple[int, int]]:
    """Bling Fire's sentences of one line as offsets into it.

    The sentences are located with ``str.find``, which is several times faster than Bling Fire's
    own offset mapping (a Python loop over UTF-8 bytes); that mapping is the fallback when a
    sentence comes back altered (Bling Fire folds some whitespace) and cannot be found verbatim.
    """
    offsets: list[tuple[int, int]] = []
    cursor = 0
    for sentence in blingfire.text_to_sentences(line).split("\n"):
        start = line.find(sentence, cursor) if sentence else -1
        if start < 0:
            return [(a, b) for a, b in blingfire.text_to_sentences_and_offsets(line)[1]]
        offsets.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return offsets


def _merge_false_breaks(text: str, spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged:
            prev = merged[-1]
            same_line = "\n" not in text[prev.end : span.start]
            head = text[prev.start : prev.end]
            nxt = text[span.start : span.end]
            if same_line and (_NO_BREAK_AFTER.search(head) or _LOWER_START.match(nxt)):
                merged[-1] = Span(prev.start, span.end)
                continue
        merged.append(span)
    return merged


def _split_long(text: str, span: Span) -> list[Span]:
    """Cut an over-long run (a page without punctuation) at spaces near the limit."""
    out: list[Span] = []
    start = span.start
    while span.end - start > MAX_PASSAGE_CHARS:
        cut = text.rfind(" ", start, start + MAX_PASSAGE_CHARS)
        if cut <= start:
            cut = start + MAX_PASSAGE_CHARS
        out.append(Span(start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    out.append(Span(start, span.end))
    return out


def sentence_spans(text: str) -> list[Span]:
    """Sentences of ``text`` as spans; ``text[s.start:s.end]`` is each sentence, stripped."""
    spans = _merge_false_breaks(text, _line_spans(text))
    out: list[Span] = []
    for span in spans:
        for piece in _split_long(text, span):
            start, end = piece.start, piece.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start and _LETTER.search(text, start, end):
                out.append(Span(start, end))
    return out


def sentences(text: str) -> list[str]:
    """The sentence strings of ``text`` (convenience for tests and tools)."""
    return [text[s.start : s.end] for s in sentence_spans(text)]
