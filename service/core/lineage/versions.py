"""Version labels of wire updates: "UPDATE 2-", "CORRECTED-", "REFILE-" in front of a headline.

A wire news agency updates a story during the day and says so in the headline: an upper-case
label, often numbered, and a dash ("UPDATE 1-Acme to cut jobs", "UPDATE 2-Acme to cut jobs",
"CORRECTED-Acme to cut jobs", labels stacking as in "REFILE-UPDATE 1-..."). Two articles of one
outlet whose headlines are the same once the labels are taken off are versions of one story, and
the labels order them: the unlabelled headline is the first version, a higher number a later one.
The labels are recognised by their form, not from a list, and only count between headlines that
are otherwise the same, so an upper-case word with a dash in an ordinary headline ("NASA-Funded
Probe ...") orders nothing.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from service.core.text.normalize import fold

# One label: upper-case letters (3+, words separated by a space), an optional number, a dash.
_LABEL = re.compile(r"^\s*(?P<word>[A-Z]{3,}(?: [A-Z]{3,})*)(?: ?(?P<number>\d{1,2}))?\s?-\s*(?=\S)")


def version_label(title: str | None) -> tuple[float, str]:
    """The version rank of a headline and the headline without its labels.

    Rank 0 is an unlabelled headline; a numbered label gives its number; a label without one
    ("CORRECTED-", "REFILE-") adds a half (a corrected or re-sent copy of that version).
    """
    if not title:
        return 0.0, ""
    rank, number, rest = 0.0, 0, title
    while (m := _LABEL.match(rest)) is not None:
        if m.group("number"):
            number = max(number, int(m.group("number")))
        else:
            rank += 0.5
        rest = rest[m.end():]
    return rank + number, rest.strip()


# Headlines this similar (rapidfuzz ratio of the folded text) once the labels are off are one story's.
SAME_HEADLINE = 95


def version_order(title_a: str | None, title_b: str | None) -> int:
    """+1 when ``a`` is an earlier version of ``b`` by their labels, -1 when later, 0 when not versions."""
    rank_a, bare_a = version_label(title_a)
    rank_b, bare_b = version_label(title_b)
    if rank_a == rank_b or len(bare_a) < 12 or len(bare_b) < 12:
        return 0
    if fuzz.ratio(fold(bare_a), fold(bare_b)) < SAME_HEADLINE:
        return 0
    return 1 if rank_a < rank_b else -1
