"""WordNet 3.0 as the core's lexical resource: base forms, synonyms, opposites, broader words, verbs.

What the statement judge needs to compare meanings rather than spellings ("rose" is "rise",
"decrease" is the opposite of "increase", "laid off" is a way to "fire", a "carmaker" is an
"automaker") comes from WordNet, read with nltk's corpus reader from an nltk data folder
(``corpora/wordnet``: Debian's ``wordnet-base`` files plus a ``lexnames`` file, laid out by
``scripts/ensure-wordnet.sh``). Every look-up is cached per process; words are folded lower-case
forms, multiword lemmas are joined with "_" ("lay_off").

Where the data is found: the folder given to ``configure`` (the service passes its
``WORDNET_DIR`` setting, ``PROVENANCE_WORDNET_DIR``), then ``NLTK_DATA`` and nltk's own search
path. Without WordNet (no folder, nltk missing, unreadable files) every look-up answers "nothing
known" and one warning is logged: the judge then compares words and its hand lists only.

Memory: nltk keeps WordNet's lemma index (which senses each of its 150,000 words has) as a dict
of dicts of lists of ints, about 57 MB per process; ``CompactIndex`` holds the same entries as
one sorted text of about 5 MB, read by binary search (``_Reader`` builds it straight from the
index files, so the dicts are never made). Every answer is the same (tests/core/text).

Only the most frequent senses of a word are used (``SENSES``, by the sense counts WordNet ships):
the rarer senses are what makes raw WordNet noisy ("lose" is the opposite of "find" in one sense,
"rise" of "set" for the sun).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from array import array
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

NOUN, VERB, ADJ, ADV = "n", "v", "a", "r"
# Senses of a word that count: its most frequent ones (WordNet orders senses by frequency).
SENSES = 2
# The ways of doing the opposite count as opposites when they are a small family (the few ways
# to dismiss someone are all opposites of "hire"; the fifty ways to decrease are too loose).
MAX_OPPOSITE_FAMILY = 12

_state: dict[str, Any] = {"dir": None, "reader": None, "tried": False}
_lock = threading.Lock()


def configure(directory: str | os.PathLike[str] | None) -> None:
    """Read WordNet from ``directory`` (an nltk data folder holding ``corpora/wordnet``, or that
    ``wordnet`` folder itself) before the usual places; forgets what was loaded before."""
    with _lock:
        new = str(directory) if directory else None
        if new == _state["dir"] and _state["tried"]:
            return
        _state.update({"dir": new, "reader": None, "tried": False})
    _clear_caches()


def _candidates() -> list[Path]:
    """Folders that may hold WordNet, most specific first."""
    roots: list[str] = []
    if _state["dir"]:
        roots.append(_state["dir"])
    roots += [p for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    try:
        import nltk.data

        roots += [str(p) for p in nltk.data.path if isinstance(p, str)]
    except ImportError:
        pass
    out: list[Path] = []
    for root in roots:
        base = Path(root).expanduser()
        for folder in (base / "corpora" / "wordnet", base):
            if (folder / "lexnames").is_file() and (folder / "data.verb").is_file() and folder not in out:
                out.append(folder)
    return out


class CompactIndex(Mapping[str, dict[str, list[int]]]):
    """WordNet's lemma index (lemma -> part of speech -> synset offsets, as nltk's reader keeps it)
    in one sorted text, a line per lemma: ``lemma<TAB>pos:offset,offset;pos:offset``.

    A look-up bisects the line starts and parses the line found into a fresh dict. Like nltk's
    ``defaultdict``, an unknown lemma gives an empty dict (without being added). Iteration is in
    sorted order (nltk's is file order: adjectives, adverbs, nouns, verbs); nothing here iterates it.
    """

    def __init__(self, entries: dict[str, list[tuple[str, str]]]) -> None:
        """``entries``: lemma -> (part of speech, its offsets joined with commas), in file order."""
        self._text = "\n".join(f"{lemma}\t" + ";".join(f"{pos}:{offsets}" for pos, offsets in entries[lemma])
                               for lemma in sorted(entries))
        self._starts = array("I", [0])
        find = self._text.find
        position = find("\n")
        while position >= 0:
            self._starts.append(position + 1)
            position = find("\n", position + 1)

    def _line(self, i: int) -> str:
        end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._text)
        return self._text[self._starts[i] : end]

    def _find(self, lemma: str) -> str | None:
        lo, hi = 0, len(self._starts)
        while lo < hi:
            mid = (lo + hi) // 2
            start = self._starts[mid]
            key = self._text[start : self._text.index("\t", start)]
            if key < lemma:
                lo = mid + 1
            elif key > lemma:
                hi = mid
            else:
                return self._line(mid)
        return None

    def __getitem__(self, lemma: str) -> dict[str, list[int]]:
        line = self._find(lemma)
        if line is None:
            return {}
        out: dict[str, list[int]] = {}
        for sense in line.split("\t", 1)[1].split(";"):
            pos, _, offsets = sense.partition(":")
            out[pos] = [int(o) for o in offsets.split(",")] if offsets else []
        return out

    def get(self, lemma: str, default: Any = None) -> Any:
        return self[lemma] if lemma in self else default

    def __contains__(self, lemma: object) -> bool:
        return isinstance(lemma, str) and self._find(lemma) is not None

    def __iter__(self) -> Iterator[str]:
        return (self._line(i).split("\t", 1)[0] for i in range(len(self._starts)))

    def __len__(self) -> int:
        return len(self._starts)


def read_index(reader: Any) -> CompactIndex:
    """The lemma index of ``reader``'s folder (its ``index.*`` files), parsed as nltk 3.9-3.10's
    ``_load_lemma_pos_offset_map`` does (adjectives also under ``s``: their satellite senses)."""
    entries: dict[str, list[tuple[str, str]]] = {}
    satellites: set[int] = getattr(reader, "satellite_offsets", set())
    for suffix in reader._FILEMAP.values():
        with reader.open(f"index.{suffix}") as fp:
            for number, line in enumerate(fp):
                if line.startswith(" "):
                    continue
                fields = line.split()
                try:
                    lemma, pos, count, pointers = fields[0], fields[1], int(fields[2]), int(fields[3])
                    if count <= 0 or int(fields[4 + pointers]) != count:
                        raise ValueError("sense counts disagree")
                    offsets = [str(int(f)) for f in fields[6 + pointers : 6 + pointers + count]]
                    if len(offsets) != count:
                        raise ValueError("too few offsets")
                except (IndexError, ValueError) as exc:
                    raise ValueError(f"index.{suffix}, line {number + 1}: {exc}") from exc
                senses = entries.setdefault(lemma, [])
                if any(p == pos for p, _ in senses):  # a repeated line replaces the earlier one, as in nltk
                    senses[:] = [s for s in senses if s[0] != pos]
                senses.append((pos, ",".join(offsets)))
                if pos == ADJ:
                    senses[:] = [s for s in senses if s[0] != "s"]
                    senses.append(("s", ",".join(o for o in offsets if int(o) in satellites)))
    return CompactIndex(entries)


def _load() -> Any:
    """The nltk reader over the first usable folder, or None (logged once at warning)."""
    try:
        import nltk.data
        from nltk.corpus.reader.wordnet import WordNetCorpusReader
    except ImportError as exc:
        log.warning("WordNet unavailable (nltk is not installed: %s); comparing words without it", exc)
        return None

    class _Reader(WordNetCorpusReader):
        """Plain English WordNet: no mapping to other WordNet versions (it needs ``index.sense``,
        which the Debian package does not ship, and only serves the multilingual data)."""

        def map_wn(self, version: str = "wordnet") -> None:
            return None

        def _load_lemma_pos_offset_map(self) -> None:
            self._lemma_pos_offset_map = read_index(self)

    folders = _candidates()
    problems = []
    for folder in folders:
        # nltk reads only below the folders on its own search path
        root = str(folder.parent.parent if folder.name == "wordnet" and folder.parent.name == "corpora" else folder)
        if root not in nltk.data.path:
            nltk.data.path.append(root)
        if str(folder) not in nltk.data.path:
            nltk.data.path.append(str(folder))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "multilingual functions are not available"
                reader = _Reader(nltk.data.FileSystemPathPointer(str(folder)), None)
            reader.synsets("be", VERB)  # a first read: fails here, not mid-check, on a bad folder
            return reader
        except (OSError, ValueError, PermissionError, AssertionError, LookupError) as exc:
            problems.append(f"{folder}: {type(exc).__name__}: {exc}")
    where = "; ".join(problems) if problems else "no corpora/wordnet folder with lexnames found"
    log.warning(
        "WordNet unavailable (%s); comparing words without it. Run scripts/ensure-wordnet.sh and set "
        "PROVENANCE_WORDNET_DIR or NLTK_DATA", where,
    )
    return None


def _wn() -> Any:
    """The loaded reader (loading it on first use), or None without WordNet."""
    if _state["tried"]:
        return _state["reader"]
    with _lock:
        if not _state["tried"]:
            _state["reader"] = _load()
            _state["tried"] = True
    return _state["reader"]


def load() -> bool:
    """Load WordNet now (servers call this before forking workers); True when it is there."""
    if _wn() is None:
        return False
    _tag_counts()
    _irregular()
    return True


def available() -> bool:
    """Whether WordNet look-ups answer (loads it on first call)."""
    return _wn() is not None


@lru_cache(maxsize=65536)
def base_forms(word: str, pos: str) -> tuple[str, ...]:
    """Dictionary forms of ``word`` as part of speech ``pos`` ("rose", "v" -> ("rise",);
    "laid_off", "v" -> ("lay_off",)); empty when WordNet does not know it as that."""
    wn = _wn()
    if wn is None or not word:
        return ()
    word = word.replace(" ", "_")
    try:
        forms: list[str] = wn._morphy(word, pos)
        if not forms and "_" in word:
            # "laid_off": the head is inflected, the particle is not
            head, rest = word.split("_", 1)
            forms = [f"{base}_{rest}" for base in wn._morphy(head, pos) if pos in wn._lemma_pos_offset_map.get(
                f"{base}_{rest}", {})]
    except (KeyError, ValueError):
        return ()
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=65536)
def _all_synsets(form: str, pos: str) -> tuple[Any, ...]:
    """Every sense of a dictionary form as part of speech ``pos`` (adjective satellites included
    for adjectives), most frequent first; cached, as every look-up starts here."""
    wn = _wn()
    if wn is None:
        return ()
    try:
        senses = list(wn.synsets(form, pos))
        if pos == ADJ:
            senses += [s for s in wn.synsets(form, "s") if s not in senses]
    except (KeyError, ValueError, OSError):
        return ()
    return tuple(senses)


def _synsets(lemma: str, pos: str) -> list[Any]:
    """The ``SENSES`` most frequent senses of a dictionary form that are senses of that very word."""
    return [s for s in _all_synsets(lemma, pos) if any(n.name().lower() == lemma for n in s.lemmas())][:SENSES]


def _names(synset: Any) -> set[str]:
    return {n.name().lower() for n in synset.lemmas()}


@lru_cache(maxsize=32768)
def synonyms(lemma: str, pos: str) -> frozenset[str]:
    """Words that share one of the frequent senses of ``lemma`` ("automaker" <-> "carmaker")."""
    out: set[str] = set()
    for synset in _synsets(lemma, pos):
        out |= _names(synset)
    out.discard(lemma)
    return frozenset(out)


@lru_cache(maxsize=32768)
def antonyms(lemma: str, pos: str) -> frozenset[str]:
    """Opposites of ``lemma`` in its frequent senses, with the words that share their sense
    ("increase" -> {"decrease", "diminish", "lessen", ...}; "win" -> {"lose"}).

    WordNet marks antonymy between word senses; the opposite sense's synonyms are opposites too
    ("expand" vs "contract" vs "shrink"), and so are the ways of doing the opposite (its direct
    troponyms, for verbs, when they are few: "lay off" is a way to "fire", the opposite of "hire")."""
    out: set[str] = set()
    for synset in _synsets(lemma, pos):
        for name in synset.lemmas():
            if name.name().lower() != lemma:
                continue
            for opposite in name.antonyms():
                sense = opposite.synset()
                out.add(opposite.name().lower())
                out |= _names(sense)
                if pos == VERB:
                    family = set().union(*(_names(n) for n in sense.hyponyms()))
                    if len(family) <= MAX_OPPOSITE_FAMILY:
                        out |= family
    out.discard(lemma)
    return frozenset(out)


@lru_cache(maxsize=32768)
def narrower(lemma: str, pos: str) -> frozenset[str]:
    """Words for kinds (nouns) or ways (verbs) of ``lemma`` in its most frequent sense, one level
    down ("vehicle" -> "car", ...; "fire" -> "lay_off", ...)."""
    out: set[str] = set()
    for synset in _synsets(lemma, pos)[:1]:
        for narrower_sense in synset.hyponyms():
            out |= _names(narrower_sense)
    out.discard(lemma)
    return frozenset(out)


@lru_cache(maxsize=65536)
def is_hypernym(general: str, specific: str, pos: str, depth: int = 3) -> bool:
    """Whether ``general`` names a broader class than ``specific`` within ``depth`` levels, in
    their frequent senses ("vehicle" > "car", "dismiss" > "lay_off"; not "car" > "vehicle")."""
    if general == specific:
        return False
    targets = {s for s in _synsets(general, pos)}
    if not targets:
        return False
    frontier = _synsets(specific, pos)
    seen: set[Any] = set()
    for _ in range(depth):
        above = []
        for synset in frontier:
            for parent in synset.hypernyms() + synset.instance_hypernyms():
                if parent in targets:
                    return True
                if parent not in seen:
                    seen.add(parent)
                    above.append(parent)
        frontier = above
    return False


@lru_cache(maxsize=1)
def _tag_counts() -> dict[str, int]:
    """WordNet's sense-tagged frequencies (``cntlist.rev``: sense key -> count), read once:
    nltk's ``Lemma.count`` searches the file on disk at every call."""
    wn = _wn()
    out: dict[str, int] = {}
    if wn is None:
        return out
    try:
        with wn.open("cntlist.rev") as fp:
            for line in fp:
                key, _, count = line.split()
                out[key] = int(count)
    except (OSError, ValueError):
        return {}
    return out


@lru_cache(maxsize=65536)
def sense_counts(word: str) -> dict[str, int]:
    """How often the frequent senses of ``word`` (by its base forms) were tagged as each part of
    speech in WordNet's sense-tagged corpus, plus one per sense so that untagged senses count:
    {"n": ..., "v": ..., "a": ..., "r": 0}; an unknown word gives zeros."""
    out = {NOUN: 0, VERB: 0, ADJ: 0, ADV: 0}
    wn = _wn()
    if wn is None:
        return out
    tagged = _tag_counts()
    for pos in (NOUN, VERB, ADJ):  # adverbs: no caller weighs them
        for form in base_forms(word, pos):
            for synset in _all_synsets(form, pos):
                for name in synset.lemmas():
                    if name.name().lower() == form:
                        out[pos] += 1 + tagged.get(name.key(), 0)
    return out


@lru_cache(maxsize=1)
def _irregular() -> dict[str, dict[str, frozenset[str]]]:
    """WordNet's exception lists turned round: base form -> its irregular forms, per part of speech."""
    wn = _wn()
    out: dict[str, dict[str, set[str]]] = {}
    if wn is not None:
        for pos in (VERB, NOUN, ADJ):
            table: dict[str, set[str]] = {}
            for form, bases in wn._exception_map.get(pos, {}).items():
                for base in bases:
                    table.setdefault(base, set()).add(form)
            out[pos] = table
    return {pos: {k: frozenset(v) for k, v in table.items()} for pos, table in out.items()}


@lru_cache(maxsize=32768)
def inflections(lemma: str, pos: str) -> frozenset[str]:
    """Surface forms of a dictionary form ("rise" -> rise, rises, rising, rose, risen; "lay_off"
    -> lay_off, lays_off, laid_off, ...): WordNet's irregular forms plus the regular endings, so a
    passage word can be recognised by a set look-up instead of analysing every word."""
    head, _, rest = lemma.partition("_")
    tail = "_" + rest if rest else ""
    forms = {head}
    if pos == VERB:
        stem = head[:-1] if head.endswith("e") and len(head) > 2 else head
        forms |= {head + "s", head + "es", stem + "ed", head + "d", stem + "ing", head + "ing"}
        if head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
            forms |= {head[:-1] + "ies", head[:-1] + "ied"}
        if len(head) >= 3 and head[-1] not in "aeiouwxy" and head[-2] in "aeiou" and head[-3] not in "aeiou":
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}  # "stop" -> "stopped"
    elif pos == NOUN:
        forms |= {head + "s", head + "es"} | ({head[:-1] + "ies"} if head.endswith("y") else set())
    forms |= _irregular().get(pos, {}).get(head, frozenset())
    return frozenset(f + tail for f in forms)


def is_verb(word: str) -> bool:
    """Whether WordNet knows ``word`` (any inflection) as a verb."""
    return bool(base_forms(word, VERB))


def _clear_caches() -> None:
    for cached in (base_forms, synonyms, antonyms, narrower, is_hypernym, sense_counts, inflections, _irregular,
                   _tag_counts, _all_synsets):
        cached.cache_clear()
