"""What a statement's words mean, as far as the judge needs it: opposites and other words for them.

For the statement's content words WordNet (``service.core.text.wordnet``) gives

* **opposites** of its predicate words and predicate adjectives ("won" / "lost", "expand" /
  "shrink", "hire" / "lay off", "approve" / "disapprove"): each such word becomes a *pole* of its
  own, so a passage saying the opposite in the clause about the statement's subject contradicts
  it, and one saying the opposite under a negation ("did not approve" / "rejected") agrees;
* **other words** for a frame word: its synonyms in its frequent senses and the narrower words
  for it ("automaker" / "carmaker", "vehicle" <- "car"; not the broader ones: a passage about
  "vehicles" does not say the statement's "car"), which count as covering it (at half weight,
  in the judge).

Everything is expanded once per statement into surface forms (every inflection), so judging a
passage is a set look-up per word. The hand-made poles of ``lexicon.POLES`` stay first: a word
they know is not looked up again.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.core.facts.cues import pole
from service.core.text import wordnet
from service.core.text.lexicon import CONVERSES, LIGHT_VERBS, PARTICLES, PREPOSITIONS, STOPWORDS
from service.core.text.tokens import StemmedToken, stem_key

# At most this many other words per frame word (the most frequent senses come first).
MAX_ALTERNATIVES = 40


@dataclass(frozen=True, slots=True)
class PoleForm:
    """A passage surface form that asserts one of the statement's WordNet poles; ``particle``
    is the word that must follow it ("laid" + "off")."""

    prop: str
    sign: int
    particle: str | None


@dataclass(frozen=True)
class Meaning:
    """The WordNet reading of one statement (empty without WordNet)."""

    # statement token offset -> (prop, +1) for the statement's own pole words
    own: dict[int, tuple[str, int, int]]
    # passage surface form -> the poles it asserts
    forms: dict[str, tuple[PoleForm, ...]]
    # frame stem -> surface forms of other words for it
    alternatives: dict[str, frozenset[str]]
    # every surface form of ``alternatives``, for one set look-up per passage
    surface: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.forms and not self.alternatives


EMPTY = Meaning({}, {}, {})


def _lemma(tok: StemmedToken, nxt: StemmedToken | None, pos: str) -> tuple[str | None, StemmedToken | None]:
    """The dictionary form of a word (with its particle when "lay off" is one verb)."""
    if pos == wordnet.VERB and nxt is not None and nxt.norm in PARTICLES and nxt.start - tok.end <= 1:
        joined = wordnet.base_forms(f"{tok.norm}_{nxt.norm}", pos)
        if joined:
            return joined[0], nxt
    forms = wordnet.base_forms(tok.norm, pos)
    return (forms[0] if forms else None), None


def _attributive(tok: StemmedToken, nxt: StemmedToken) -> bool:
    """An adjective right before the noun (or the figure of a noun phrase: "new 4-inch") it describes."""
    if nxt.start - tok.end > 1:
        return False
    return nxt.norm[:1].isdigit() or (nxt.norm.isalpha() and nxt.norm not in STOPWORDS and pole(nxt.norm) is None)


def _add_forms(forms: dict[str, list[PoleForm]], lemma: str, pos: str, prop: str, sign: int) -> None:
    for surface in wordnet.inflections(lemma, pos):
        head, _, particle = surface.partition("_")
        if "_" in particle or (not particle and (head in STOPWORDS or head in PARTICLES or head in PREPOSITIONS)):
            continue  # three-word lemmas are too rare to look for; "on" / "off" are no poles
        forms.setdefault(head, []).append(PoleForm(prop, sign, particle or None))


def read_meaning(tokens: tuple[StemmedToken, ...], predicate_start: int, plain_stems: set[str]) -> Meaning:
    """Poles and alternatives of a statement's words (``predicate_start``: where its predicate
    begins; opposites are taken from there on, where what the statement claims is said;
    ``plain_stems``: the frame words that are no names, which get alternatives)."""
    if not wordnet.available():
        return EMPTY
    own: dict[int, tuple[str, int, int]] = {}
    forms: dict[str, list[PoleForm]] = {}
    alternatives: dict[str, frozenset[str]] = {}
    for i, tok in enumerate(tokens):
        if not tok.norm.isalpha() or len(tok.norm) < 3:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        hand = pole(tok.norm)
        function_word = tok.norm in STOPWORDS or tok.norm in PARTICLES or tok.norm in PREPOSITIONS
        if tok.start >= predicate_start and not (tok.capital and i > 0) and not function_word:
            for pos in (wordnet.VERB, wordnet.ADJ):
                lemma, particle = _lemma(tok, nxt, pos)
                if lemma is None or lemma in LIGHT_VERBS or lemma in CONVERSES:
                    continue
                if pos == wordnet.ADJ and (
                    (nxt is not None and _attributive(tok, nxt)) or wordnet.base_forms(tok.norm, wordnet.VERB)
                ):
                    continue  # "the new stadium": a description, not what is claimed; "handled": a verb
                opposites = {a for a in wordnet.antonyms(lemma, pos) if a not in CONVERSES}
                if not opposites:
                    continue
                # a word of the hand-made poles keeps its pole: WordNet only adds words to it
                prop, sign = hand if hand is not None else (f"{pos}:{lemma}", 1)
                if hand is None:
                    own[tok.start] = (prop, 1, particle.end if particle is not None else tok.end)
                for same in {lemma} | wordnet.synonyms(lemma, pos):
                    _add_forms(forms, same, pos, prop, sign)
                for opposite in opposites:
                    _add_forms(forms, opposite, pos, prop, -sign)
                break
        if tok.stem in plain_stems and tok.stem not in alternatives and hand is None:
            others: set[str] = set()
            for pos in (wordnet.NOUN, wordnet.VERB):
                lemma = (wordnet.base_forms(tok.norm, pos) or (None,))[0]
                if lemma is None:
                    continue
                synonyms = sorted(wordnet.synonyms(lemma, pos))
                kinds = sorted(wordnet.narrower(lemma, pos) - set(synonyms))
                words = [w for w in synonyms + kinds if "_" not in w]
                for other in words[:MAX_ALTERNATIVES]:
                    others |= wordnet.inflections(other, pos)
            others = {o for o in others if stem_key(o) != tok.stem}
            if others:
                alternatives[tok.stem] = frozenset(others)
    # a form that is both a word for the pole and for its opposite (senses WordNet mixes up) says nothing
    clean: dict[str, tuple[PoleForm, ...]] = {}
    for surface, poles in forms.items():
        signs: dict[tuple[str, str | None], set[int]] = {}
        for p in poles:
            signs.setdefault((p.prop, p.particle), set()).add(p.sign)
        # in a fixed order (the form with a particle first: "woke up" is a closer match than "woke"),
        # not the order of the WordNet sets, which varies with the hash seed and picked the span shown
        kept = tuple(sorted(
            (PoleForm(prop, next(iter(s)), particle) for (prop, particle), s in signs.items() if len(s) == 1),
            key=lambda p: (p.particle is None, p.particle or "", p.prop, p.sign),
        ))
        if kept:
            clean[surface] = kept
    return Meaning(own, clean, alternatives, frozenset().union(*alternatives.values()) if alternatives else frozenset())
