"""Generate a synthetic wire-news corpus with known lineage, for benchmarking provenance.

Everything is invented here from small vocabularies and sentence templates (no real articles,
no network), and the output is a deterministic function of ``--seed``. Each document belongs
to one *family* (``truth.json`` field ``family``), so that scores can be reported per family:

* ``classic`` -- the original mix: wire-style reports with first-hand sourcing, several on one
  company (hard negatives); verbatim copies, excerpts (a few consecutive sentences plus framing
  and attribution), aggregator pages embedding two or three sources, paraphrases, derivatives
  of derivatives (A -> B -> C), fact mutations that later copies inherit, unsourced remarks;
* ``viral`` -- one wire story reprinted by N outlets (5, 20, 50, 200 copies by default when the
  corpus is big enough; ``--viral-sizes``), each the first 5..all sentences (sometimes a later
  window), half under a credit line naming the wire ("According to <Outlet>, ..."), half not;
* ``wire-cut`` -- newspapers printing a wire story cut to 30-90 % of its sentences (the lead
  kept, the end and a little of the middle dropped), lightly edited (a few words swapped, one
  sentence shortened), usually without credit;
* ``versions`` -- a wire story updated the same day: v2 (same outlet) adds sentences and/or
  corrects a figure of v1 (lineage v1 -> v2); copies of either version, each attached to the
  version it copied (a copy of v2 always carries something only v2 has);
* ``same-event`` -- two or three outlets reporting one press conference or hearing
  independently: same names, figures and identical direct quotations, narrative sentences
  worded independently; no parent between them (each is an original);
* ``excerpt`` -- briefs and quote boxes (2-4 consecutive sentences, nothing else) wholly
  contained in a long original; and digest pages embedding several short wire flashes whole
  (the digest's parents are the flashes): short-inside-long both ways round.

Every family has right dates (a copy after its source) and some missing or wrong ones;
``truth.json`` records which (``dates``: ok / missing / wrong, ``date_inverted``: the document is
dated before one of its true parents). Boilerplate shared by every article of an outlet
(byline, disclaimer) is not reuse.

Output: ``<out>/corpus.jsonl`` (the manifest format of ``../shared/corpus/seeds.jsonl``), the
texts under ``<out>/docs/``, and ``<out>/truth.json`` with each document's kind, family, true
parents and acceptable parents (the true parent or a verbatim copy of it, which no text can
tell apart), origin (``root``) and date status.

The classic family is drawn from the seed's main random stream exactly as before the other
families existed, so ``--families classic --docs N`` reproduces the earlier generator's corpus,
and in a full run the classic part is that corpus for the classic share (about 55 %); the other
families draw from their own streams (``<seed>:<family>``) and are numbered after it.

    .venv/bin/python bench/generate_corpus.py --docs 2000 --seed 7 --out bench/out/corpus2k
    .venv/bin/python bench/generate_corpus.py --docs 300 --families viral --viral-sizes 5,20,50,200
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm

_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cr", "dr",
           "fl", "gr", "kl", "pr", "st", "tr", "vr", "sh", "th", "qu", "j"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
_CODAS = ["", "n", "r", "s", "x", "l", "m", "t", "nd", "rk", "st", "v"]
_COMPANY_SUFFIX = ["Systems", "Holdings", "Labs", "Group", "Networks", "Energy", "Motors", "Pharma",
                   "Capital", "Robotics", "Foods", "Logistics", "Bank", "Media", "Semiconductor"]
_OUTLET_NOUNS = ["Ledger", "Courier", "Dispatch", "Herald", "Monitor", "Wire", "Post", "Gazette", "Journal",
                 "Observer", "Bulletin", "Tribune", "Chronicle", "Signal", "Review"]
_ROLES = ["chief executive", "chief financial officer", "head of research", "chairman", "president",
          "chief operating officer", "general counsel", "head of strategy"]
_PRODUCTS = ["platform", "chip", "battery", "app", "drug", "vehicle", "service", "satellite", "model", "device"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_TOPICS = ["deal", "launch", "layoffs", "probe", "earnings", "funding"]

# Paraphrase dictionary: each group's words are interchangeable in the templates below.
_SYNONYMS = [
    ["plans", "intends", "is preparing", "aims"], ["acquire", "buy", "take over", "purchase"],
    ["said", "stated", "noted", "added"], ["expected", "anticipated", "projected", "forecast"],
    ["revenue", "sales", "turnover"], ["rose", "climbed", "increased", "grew"],
    ["fell", "dropped", "declined", "slid"], ["cut", "eliminate", "shed", "remove"],
    ["jobs", "positions", "roles", "posts"], ["investors", "shareholders", "backers"],
    ["launch", "release", "roll out", "unveil"], ["regulators", "authorities", "watchdogs", "officials"],
    ["investigation", "inquiry", "probe", "review"], ["company", "firm", "group", "business"],
    ["deal", "agreement", "transaction", "pact"], ["talks", "negotiations", "discussions"],
    ["quarter", "three-month period", "period"], ["raised", "secured", "collected", "obtained"],
    ["valuing", "giving a valuation of", "pricing"], ["shares", "stock", "equity"],
    ["weeks", "days", "months"], ["private", "confidential", "internal"],
    ["worried", "concerned", "uneasy", "nervous"], ["growth", "expansion", "momentum"],
    ["customers", "clients", "buyers", "users"], ["strategy", "plan", "approach", "direction"],
]
_SYN_INDEX = {w: group for group in _SYNONYMS for w in group}

# Original-report sentence templates per topic. Slots: {c} company, {c2} second company,
# {p} person, {r} role, {prod} product, {m} month, {y} year, {n} count, {pct} percent,
# {amt} amount, {place} place, {w} a synonym-group word (chosen per sentence).
_LEDE = {
    "deal": ["{c} {plans} to {acquire} {c2} for {amt}, according to people familiar with the matter.",
             "{c} is in advanced {talks} to {acquire} {c2} in a {deal} worth about {amt}, people familiar with "
             "the {talks} said."],
    "launch": ["{c} {plans} to {launch} a new {prod} in {m} {y}, according to people familiar with the plans.",
               "{c} is preparing to {launch} its {prod}, code-named {code}, in {m}, the people said."],
    "layoffs": ["{c} will {cut} {n} {jobs} across its {place} operations, according to people familiar with "
                "the decision.",
                "{c} is planning to {cut} about {n} {jobs} as it reorganises its {prod} unit, people familiar "
                "with the matter said."],
    "probe": ["{regulators} in {place} opened an {investigation} into {c} over its {prod} business, according "
              "to documents reviewed by reporters.",
              "{c} is facing an {investigation} by {regulators} in {place}, people familiar with the "
              "{investigation} said."],
    "earnings": ["{c} said {revenue} {rose} {pct} in the {quarter} to {amt}, beating analyst estimates.",
                 "{c} reported that {revenue} {fell} {pct} to {amt} in the {quarter}, in a statement on {m} {d}."],
    "funding": ["{c} {raised} {amt} in a new funding round {valuing} the {company} at {amt2}, according to "
                "people familiar with the matter.",
                "{c} has {raised} {amt} from {investors} led by {c2}, the people said."],
}
_BODY = [
    "The {deal} would be the largest in {c}'s history and is {expected} to close by {m} {y}.",
    "{p}, the {company}'s {r}, has pushed for the {strategy} since taking over in {y}.",
    "{c}'s {shares} {rose} {pct} in early trading in {place} after the news.",
    "The {company} employs about {n} people and counts {c2} among its largest {customers}.",
    "A spokesperson for {c} declined to comment.",
    "Representatives for {c2} did not respond to a request for comment.",
    "The people asked not to be identified because the {talks} are {private}.",
    "\"We are focused on long-term {growth} and on serving our {customers},\" {p} told reporters in {place}.",
    "{p} said in an interview that the {company} had considered the move for {weeks}.",
    "Analysts at {c2} estimate the {prod} market could reach {amt} by {y}.",
    "The {company} last year {raised} {amt} and opened a second site in {place}.",
    "{regulators} are {expected} to review the {deal}, which could take until {m}.",
    "{c} has struggled with slowing {growth} in its {prod} division, where {revenue} {fell} {pct} last year.",
    "Some {investors} have {worried} that the {strategy} will weigh on margins, the people said.",
    "The {company} was founded in {y} in {place} and went public {n2} years later.",
    "{p} previously worked at {c2}, where the {r} oversaw its {prod} business.",
    "Terms of the {deal} may still change and no final decision has been made, the people said.",
    "{c} plans to hire {n2} engineers in {place} over the next {n3} months.",
    "The {prod} is built on technology licensed from {c2}, according to internal documents.",
    "Its {shares} have {fell} {pct} this year, compared with a {pct2} gain in the broader index.",
    "{c} will announce the {strategy} at an event in {place} on {m} {d}, the people said.",
    "The {investigation} focuses on whether {c} shared {customers}' data with {c2} without consent.",
    "A decision by {regulators} is {expected} in {m}, according to a person familiar with the process.",
    "{p} told staff in a memo on {m} {d} that the {company} needed to move faster.",
]
_OPENERS = ["Separately,", "Meanwhile,", "On Tuesday,", "Earlier this year,", "In a filing,", "By contrast,",
            "At the same time,", "Last month,", "In recent weeks,", "For now,", "Still,", "In addition,",
            "According to the filing,", "Behind the scenes,", "As of Friday,", "In its latest update,"]
_TAILS = ["a person close to the company said", "in a move analysts had anticipated",
          "people briefed on the plan said", "according to internal figures",
          "in a sign of mounting pressure", "two people involved said", "according to a memo seen by reporters",
          "a detail not previously reported", "one executive said privately", "as competition intensifies"]
_FILLERS = ["reportedly", "already", "quietly", "now", "also", "formally", "so far", "once again", "largely",
            "initially", "still", "broadly"]
_COMMENTARY = [
    "The move raises fresh questions about where the industry is heading.",
    "For readers following the sector, this is a story worth watching closely.",
    "Critics were quick to point out that the timing is unusual.",
    "Whether the bet pays off remains to be seen.",
    "Online, reaction was mixed, with some users calling it overdue.",
    "\"This is a turning point for the whole market,\" one longtime observer wrote on social media.",
    "It is not the first time the group has surprised the market this year.",
    "The decision is likely to reignite a long-running debate among policymakers.",
    "Industry watchers say the real test will come next year.",
    "\"Nobody saw this coming, not even the people inside,\" a former employee quipped.",
]
_INTRO = ["Here is what we know so far.", "The report has drawn wide attention.",
          "The news broke earlier today.", "Below are the key details of the report."]
_ATTRIB = ["according to {o}", "{o} reported", "as first reported by {o}", "citing {o}"]

# -- templates of the non-classic families ------------------------------------------------

FAMILIES = ["classic", "viral", "wire-cut", "versions", "same-event", "excerpt"]
# Default share of the corpus per family; classic takes what the others leave.
SHARES = {"viral": 0.15, "wire-cut": 0.09, "versions": 0.09, "same-event": 0.06, "excerpt": 0.06}
VIRAL_SIZES = (5, 20, 50, 200)

_CREDIT_TRAIL = ["Source: {o}.", "This article first appeared in {o}.", "Reporting by {o}.",
                 "Republished from {o}."]
_LOWER_FIRST = {"Regulators", "Antitrust", "Competition", "The", "Its", "Some", "Analysts", "A"}
# Sentences a wire adds when it updates a story during the day.
_UPDATE = [
    "In a statement released after the report, {c} confirmed the plans and said further details would follow.",
    "{c}'s {shares} closed {pct2} higher after the news, recovering earlier losses.",
    "Later in the day, {p} told employees in an internal message that the {company} remained committed to "
    "its {strategy}.",
    "A spokesperson for {c2} said the {company} was reviewing the announcement and would respond in due course.",
    "{regulators} said they had been informed and would examine the matter in the coming {weeks}.",
    "Analysts at two banks raised their price targets on {c} following the update.",
    "The {company} scheduled a call with {investors} for the following morning to discuss the decision.",
    "Trade unions in {place} called for urgent talks with management after the announcement.",
    "{c} added that it expected the changes to be completed within {n3} months.",
    "The announcement was made shortly after markets closed in {place}.",
]
_CORRECTION = ["An earlier version of this story gave the figure as {old}; the correct figure is {new}.",
               "This story has been corrected to show the figure was {new}, not {old}."]

# Same event, reported independently: each outlet words every narrative slot its own way.
_EVENT_ACTS = ["cut {n} jobs in {place}", "invest {amt} in a new {prod} plant", "recall about {n} {prod} units",
               "delay the launch of its {prod} until {m} {y}", "set aside {amt} to settle claims over its {prod}",
               "close its {place} site by {m} {y}", "sell its {prod} unit to {c2} for {amt}"]
_EVENT_VENUES = {"press conference": ["at a press conference in {place}", "at a news briefing in {place}"],
                 "hearing": ["at a hearing of the {place} parliamentary committee",
                             "before a {place} court hearing"]}
_EVENT_SLOTS = {
    "lead": [
        "{c} will {act}, its {r} {p} said on {m} {d} {venue}.",
        "Speaking {venue}, {p}, who serves as {c}'s {r}, confirmed that the company intends to {act}.",
        "{p} announced {venue} that {c} is going to {act}.",
        "The {r} of {c}, {p}, used an appearance {venue} to set out plans to {act}.",
        "{c} has decided to {act}, {p} told those gathered {venue} on {m} {d}.",
    ],
    "decline": [
        "Sales at the group have dropped {pct} since last year, according to figures it released at the event.",
        "{c} reported a {pct} decline in {revenue} for the latest year.",
        "Its {revenue} shrank by {pct} over the last twelve months, the {company} disclosed.",
        "Figures handed out to journalists showed a {pct} fall in annual {revenue}.",
        "The decision follows a slump of {pct} in turnover over the past year.",
    ],
    "people": [
        "About {n} {customers} are affected, the {company} estimates.",
        "The measure concerns roughly {n} {customers}, by the company's own count.",
        "By {c}'s estimate, some {n} {customers} will feel the impact.",
        "Around {n} {customers} stand to be affected, according to the business.",
        "No fewer than {n} {customers} could see changes as a result.",
    ],
    "cost": [
        "{c} put the price tag of the plan at {amt2}.",
        "The effort is expected to cost {amt2} in total.",
        "A budget of {amt2} has been earmarked for the change.",
        "Spending on the programme will reach {amt2}, the {r} indicated.",
        "Bringing the plan to completion will require {amt2}, by the firm's reckoning.",
    ],
    "partner": [
        "Asked about {c2}, the {r} said talks with the partner were continuing.",
        "Questions from the floor focused largely on the role of {c2}.",
        "{p} declined to say whether {c2} had been informed in advance.",
        "The position of {c2}, a long-standing partner, remained unclear after the session.",
        "Journalists repeatedly raised the relationship with {c2}, without a clear answer.",
    ],
    "timeline": [
        "The changes are due to take effect in {m} {y}.",
        "{c} aims to complete the process by {m} {y}.",
        "Implementation is scheduled to begin in {m} {y}, the {r} explained.",
        "A timetable shown on screen pointed to {m} {y} as the target date.",
        "Nothing will change before {m} {y}, attendees were told.",
    ],
    "scene": [
        "The room was packed with reporters and analysts well before the start.",
        "The session lasted a little over an hour and was broadcast online.",
        "Several employees followed the proceedings from the back of the room.",
        "It was the first public appearance by the {r} in several months.",
        "Protesters gathered outside the building while the session went on.",
    ],
}
_QUOTES = [
    "We have taken this decision with a heavy heart, but the {prod} business cannot continue as it is",
    "Nobody at {c} takes the concerns of our {customers} lightly",
    "The numbers speak for themselves, and {pct} is not a small decline",
    "We expect to have this behind us by {m}, and we will report on our progress every quarter",
    "I want to be very clear that no one in {place} will be left without support",
    "Our partners at {c2} have been part of every step of this process",
    "This is not the end of the {prod} story, it is the start of a different one",
    "We owe our employees and our {investors} an honest account of where we stand",
    "Every option was on the table, and this was the least painful one",
    "I have answered every question put to me and I will keep doing so",
    "The figure of {amt2} is our best estimate today and it may still change",
    "We made mistakes, we own them, and we are going to fix them",
]
_QUOTE_FORMS = ["\"{q},\" {p} said.", "\"{q},\" the {r} told {audience}.", "{p} said: \"{q}.\"",
                "\"{q},\" said {p}.", "\"{q},\" {p} told {audience}."]
_EVENT_TITLES = ["{c} to {act}", "{c} announces plan to {act}", "{p}: {c} will {act}",
                 "{c} confirms it will {act}", "{c} boss sets out plan to {act}"]
_BRIEF_TITLES = ["In brief: {c}", "{c} at a glance", "Quote of the day: {p}", "{c}: the key points",
                 "Briefly: {c} in {place}"]


def _word(rng: random.Random, syllables: tuple[int, int] = (2, 3)) -> str:
    n = rng.randint(*syllables)
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + (rng.choice(_CODAS) if i == n - 1 else "")
                   for i in range(n)).capitalize()


@dataclass
class Outlet:
    """A publisher with its own byline and disclaimer boilerplate."""

    name: str
    host: str
    byline: str
    disclaimer: str
    wire: bool


@dataclass
class Doc:
    """One generated article and its ground truth."""

    id: str
    outlet: Outlet
    title: str
    sentences: list[str]
    kind: str
    parents: list[str] = field(default_factory=list)
    story: int = -1
    published_at: datetime | None = None
    facts: dict[str, str] = field(default_factory=dict)
    family: str = "classic"
    dates: str = "ok"  # ok / missing / wrong (deliberately)
    credited: bool | None = None  # a copy that names its source's outlet (None: not recorded)
    info: dict[str, Any] = field(default_factory=dict)  # family-specific truth fields

    def text(self) -> str:
        body = " ".join(self.sentences)
        return f"{self.outlet.byline}\n\n{self.title}\n\n{body}\n\n{self.outlet.disclaimer}\n"


class Generator:
    """Builds the corpus; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.companies = sorted({f"{_word(rng)} {rng.choice(_COMPANY_SUFFIX)}" for _ in range(160)})
        self.people = sorted({f"{_word(rng, (2, 2))} {_word(rng, (2, 3))}" for _ in range(400)})
        self.places = sorted({_word(rng, (2, 3)) for _ in range(80)})
        self.outlets = []
        for i in range(40):
            name = f"The {_word(rng, (2, 2))} {rng.choice(_OUTLET_NOUNS)}"
            host = name.lower().replace("the ", "").replace(" ", "") + ".example"
            author = f"{_word(rng, (2, 2))} {_word(rng, (2, 3))}"
            self.outlets.append(Outlet(
                name=name, host=host,
                byline=f"By {author} and staff | {name} | {rng.choice(['Markets', 'Business', 'Technology'])} desk",
                disclaimer=(f"This page may contain third-party content provided for information purposes only "
                            f"and should not be considered an endorsement by {name}. Copyright {name}; all rights "
                            f"reserved and no part of this article may be reproduced without permission."),
                wire=i < 8,
            ))
        self.docs: list[Doc] = []
        self.base = datetime(2025, 1, 1, tzinfo=UTC)
        self.seed = seed
        self.family = "classic"  # family of the documents being made
        self.id_prefix = "g"
        self.pool: list[Outlet] = []  # outlets for the non-classic families (``_outlet_pool``)
        self.next_story = 0
        self.units = 0  # stories made so far in the current family
        self.pool_rng = random.Random(0)

    # -- helpers ---------------------------------------------------------------------------

    def _amount(self) -> str:
        unit = self.rng.choice(["million", "billion"])
        value = self.rng.choice([self.rng.randint(11, 950), round(self.rng.uniform(1.1, 99.9), 1)])
        return f"${value} {unit}"

    def _fill(self, template: str, facts: dict[str, str]) -> str:
        rng = self.rng
        out = template
        for group in _SYNONYMS:
            key = "{" + group[0] + "}"
            while key in out:
                out = out.replace(key, rng.choice(group), 1)
        values = dict(facts)
        values.setdefault("n2", str(rng.randint(2, 30)))
        values.setdefault("n3", str(rng.randint(6, 36)))
        values.setdefault("pct2", f"{rng.randint(2, 40)}%")
        values.setdefault("d", str(rng.randint(1, 28)))
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out[0].upper() + out[1:]

    def _facts(self, company: str) -> dict[str, str]:
        rng = self.rng
        others = [c for c in self.companies if c != company]
        return {
            "c": company, "c2": rng.choice(others), "p": rng.choice(self.people), "r": rng.choice(_ROLES),
            "prod": rng.choice(_PRODUCTS), "m": rng.choice(_MONTHS), "y": str(rng.randint(2019, 2027)),
            "n": f"{rng.randint(2, 90) * 100:,}", "pct": f"{round(rng.uniform(1.5, 39.5), 1)}%",
            "amt": self._amount(), "amt2": self._amount(), "place": rng.choice(self.places),
            "code": _word(rng, (2, 2)), "regulators": rng.choice(["Regulators", "Antitrust officials",
                                                                 "Competition authorities"]),
        }

    def _id(self) -> str:
        return f"{self.id_prefix}{len(self.docs):05d}"

    def _date(self, after: datetime | None) -> datetime:
        start = after or self.base + timedelta(days=self.rng.randint(0, 600))
        return start + timedelta(hours=self.rng.randint(1, 72)) if after else start

    # -- document kinds ---------------------------------------------------------------------

    def original(self, story: int, company: str, body_size: tuple[int, int] = (9, 15)) -> Doc:
        rng = self.rng
        facts = self._facts(company)
        topic = rng.choice(_TOPICS)
        sentences = [self._fill(rng.choice(_LEDE[topic]), facts)]
        body = rng.sample(_BODY, rng.randint(*body_size))
        for template in body:
            sentence = self._fill(template, facts)
            if rng.random() < 0.45 and not sentence.startswith((facts["c"], facts["c2"], facts["p"])):
                sentence = f"{rng.choice(_OPENERS)} {sentence[0].lower()}{sentence[1:]}"
            if rng.random() < 0.35 and sentence.endswith(".") and not sentence.endswith("said."):
                sentence = f"{sentence[:-1]}, {rng.choice(_TAILS)}."
            words = sentence.split(" ")
            if rng.random() < 0.5 and len(words) > 6:
                words.insert(rng.randrange(2, len(words) - 2), rng.choice(_FILLERS))
            sentences.append(" ".join(words))
        outlet = rng.choice([o for o in self.outlets if o.wire])
        title = f"{company} {rng.choice(['Weighs', 'Plans', 'Faces', 'Reports', 'Secures', 'Prepares'])} " \
                f"{rng.choice(['Overhaul', 'Deal', 'Cuts', 'Probe', 'Launch', 'Results'])} in {facts['place']}"
        doc = Doc(self._id(), outlet, title, sentences, "original", story=story, facts=facts,
                  family=self.family)
        doc.published_at = self._date(None)
        self.docs.append(doc)
        return doc

    def _other_outlet(self, *avoid: Outlet) -> Outlet:
        return self.rng.choice([o for o in self.outlets if o not in avoid and not o.wire])

    def _attribution(self, source: Doc) -> str:
        phrase = self.rng.choice(_ATTRIB).format(o=source.outlet.name)
        facts = source.facts
        lead = f"{facts['c']} is in the news again, {phrase}."
        return lead[0].upper() + lead[1:]

    def _mutate(self, sentences: list[str], facts: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """Change one fact consistently (a figure scaled, a month moved or a name misspelt)."""
        rng = self.rng
        facts = dict(facts)
        kind = rng.choice(["amt", "m", "p", "pct"])
        old = facts[kind]
        if kind == "amt":
            number = old.split()[0][1:]
            new_number = number.replace(".", "") if "." in number else (f"{number[:-1]}.{number[-1]}"
                                                                         if len(number) > 1 else number + "0")
            new = old.replace(number, new_number)
        elif kind == "m":
            new = _MONTHS[(_MONTHS.index(old) + rng.choice([1, 2, 11])) % 12]
        elif kind == "pct":
            new = f"{round(float(old[:-1]) * rng.choice([2, 10]), 1)}%"
        else:
            first, last = old.split(" ", 1)
            pos = rng.randrange(1, len(last) - 1)
            new = f"{first} {last[:pos]}{last[pos + 1]}{last[pos]}{last[pos + 2:]}"
        if new == old or not any(old in s for s in sentences):
            return sentences, facts
        facts[kind] = new
        return [s.replace(old, new) for s in sentences], facts

    def _paraphrase_sentence(self, sentence: str) -> str:
        rng = self.rng
        words = sentence.split(" ")
        out = []
        for w in words:
            core = w.strip(",.\"")
            group = _SYN_INDEX.get(core)
            if group and rng.random() < 0.85:
                choice = rng.choice([g for g in group if g != core] or group)
                w = w.replace(core, choice)
            out.append(w)
        text = " ".join(out)
        # Restructure: move a trailing attribution clause to the front.
        for tail in (", the people said.", ", people familiar with the matter said.", " said."):
            if text.endswith(tail) and tail != " said." and rng.random() < 0.7:
                body = text[: -len(tail)]
                text = f"People with knowledge of the matter say {body[0].lower()}{body[1:]}."
                break
        if rng.random() < 0.3 and ", " in text:
            head, rest = text.split(", ", 1)
            text = f"{rest[0].upper()}{rest[1:].rstrip('.')}, while {head[0].lower()}{head[1:]}."
        return text

    def derive(self, source: Doc, kind: str) -> Doc:
        rng = self.rng
        outlet = self._other_outlet(source.outlet)
        facts = dict(source.facts)
        sentences = list(source.sentences)
        attributed = rng.random() < 0.75
        if kind == "verbatim":
            new = list(sentences)
            if rng.random() < 0.85:
                credit = rng.choice(["This story was originally published by {o}.", "Reporting by {o}.",
                                     "Source: {o}.", "Republished with permission from {o}."])
                new.append(credit.format(o=source.outlet.name))
            title = source.title
        elif kind == "excerpt":
            n = rng.randint(2, min(5, len(sentences)))
            start = rng.randrange(0, len(sentences) - n + 1)
            new = [rng.choice(_INTRO)]
            if attributed:
                new.append(self._attribution(source))
            new += sentences[start : start + n]
            new += rng.sample(_COMMENTARY, rng.randint(1, 2))
            title = f"What to know: {source.title}"
        elif kind == "paraphrase":
            keep = [s for s in sentences if rng.random() < 0.8] or sentences[:3]
            new = [self._paraphrase_sentence(s) for s in keep]
            head, tail = new[:2], new[2:]
            rng.shuffle(tail)
            new = head + tail
            if attributed:
                new.insert(1, self._attribution(source))
            for extra in rng.sample(_COMMENTARY, rng.randint(1, 3)):
                new.insert(rng.randrange(1, len(new) + 1), extra)
            title = f"{facts['c']}: {rng.choice(['what the report says', 'the story so far', 'a closer look'])}"
        else:
            raise ValueError(kind)
        if rng.random() < 0.35:
            new, facts = self._mutate(new, facts)
        doc = Doc(self._id(), outlet, title, new, kind, parents=[source.id], story=source.story, facts=facts)
        doc.published_at = self._date(source.published_at)
        self.docs.append(doc)
        return doc

    def aggregate(self, sources: list[Doc]) -> Doc:
        rng = self.rng
        outlet = self._other_outlet(*(s.outlet for s in sources))
        new = [f"{len(sources)} Sources"]
        for i, source in enumerate(sources, 1):
            new.append(f"[{i}] {source.title}.")
            n = max(3, int(len(source.sentences) * rng.uniform(0.6, 1.0)))
            new += source.sentences[:n]
        new.append(f"Summary: {rng.choice(_COMMENTARY)}")
        doc = Doc(self._id(), outlet, f"Roundup: {sources[0].facts['c']} and more", new, "aggregation",
                  parents=[s.id for s in sources], story=sources[0].story, facts=dict(sources[0].facts))
        doc.published_at = self._date(max(s.published_at for s in sources if s.published_at))
        self.docs.append(doc)
        return doc

    def build(self, total: int) -> None:
        rng = self.rng
        story = 0
        bar = tqdm(total=total, desc="generating", unit="doc")
        while len(self.docs) < total:
            company = rng.choice(self.companies)
            # Same company, independent stories: hard negatives for each other.
            roots = [self.original(story + i, company) for i in range(rng.choice([1, 1, 2, 3]))]
            story += len(roots)
            for root in roots:
                family = [root]
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    if len(self.docs) >= total:
                        break
                    source = rng.choice(family)
                    kind = rng.choices(["verbatim", "excerpt", "paraphrase"], weights=[3, 3, 4])[0]
                    if source.kind == "excerpt":
                        kind = "verbatim"
                    family.append(self.derive(source, kind))
                if len(self.docs) < total and rng.random() < 0.12:
                    pool = [d for d in self.docs[-60:] if d.kind == "original" and d is not root]
                    if pool:
                        self.aggregate([root] + rng.sample(pool, min(len(pool), rng.choice([1, 2]))))
            bar.update(min(len(self.docs), total) - bar.n)
        bar.close()
        del self.docs[total:]

    def corrupt_dates(self) -> None:
        """Drop some dates and make some wrong (a derivative dated before its source)."""
        for doc in self.docs:
            roll = self.rng.random()
            if roll < 0.25:
                doc.published_at = None
                doc.dates = "missing"
            elif roll < 0.35 and doc.published_at is not None:
                doc.published_at -= timedelta(days=self.rng.randint(3, 30))
                doc.dates = "wrong"

    # -- the other families (each from its own random stream, see ``build_families``) ----------

    def _outlet_pool(self, need: int = 0) -> list[Outlet]:
        """The classic outlets plus regional papers: enough distinct outlets for a viral story."""
        want = len(self.outlets) + max(260, need + 10)
        if len(self.pool) >= want:
            return self.pool
        if not self.pool:
            self.pool = list(self.outlets)
            self.pool_rng = random.Random(f"{self.seed}:outlets")
        rng, pool = self.pool_rng, self.pool
        names = {o.name for o in pool}
        while len(pool) < want:
            name = f"The {_word(rng, (2, 3))} {rng.choice(_OUTLET_NOUNS)}"
            if name in names:
                continue
            names.add(name)
            host = name.lower().replace("the ", "").replace(" ", "") + ".example"
            author = f"{_word(rng, (2, 2))} {_word(rng, (2, 3))}"
            desk = rng.choice(["Business", "Local news", "Economy", "Region"])
            disclaimer = rng.choice([
                f"Copyright {name}. Articles may not be republished without the written consent of the editors.",
                f"{name} is an independent regional newspaper. Subscribe for full access to local reporting.",
                f"All content copyright {name} and its licensors. Personal, non-commercial use only.",
            ])
            pool.append(Outlet(name=name, host=host, byline=f"{author} | {name} | {desk}", disclaimer=disclaimer,
                               wire=False))
        return pool

    def _pick(self, k: int, avoid: tuple[Outlet, ...] = ()) -> list[Outlet]:
        """``k`` distinct non-wire outlets."""
        pool = [o for o in self._outlet_pool(k) if not o.wire and o not in avoid]
        return self.rng.sample(pool, k)

    def _story(self) -> int:
        self.next_story += 1
        return self.next_story

    def _after(self, source: Doc, hours: tuple[float, float]) -> datetime:
        assert source.published_at is not None
        return source.published_at + timedelta(minutes=self.rng.randint(int(hours[0] * 60), int(hours[1] * 60)))

    def _new(self, outlet: Outlet, title: str, sentences: list[str], kind: str, parents: list[Doc], story: int,
             facts: dict[str, str], at: datetime | None) -> Doc:
        doc = Doc(self._id(), outlet, title, sentences, kind, parents=[p.id for p in parents], story=story,
                  facts=dict(facts), family=self.family, published_at=at)
        self.docs.append(doc)
        return doc

    def _wire_story(self, body_size: tuple[int, int] = (9, 15)) -> Doc:
        return self.original(self._story(), self.rng.choice(self.companies), body_size)

    def _headline(self, source: Doc) -> str:
        """A newspaper's own headline for a wire story, or the wire's."""
        rng = self.rng
        if rng.random() < 0.4:
            return source.title.removeprefix("UPDATE 1-")
        return f"{source.facts['c']} {rng.choice(['in focus', 'under pressure', 'makes its move', 'news'])}: " \
               f"{rng.choice(['what we know', 'the details', 'latest', 'explained'])}"

    @staticmethod
    def _lower_lead(sentence: str) -> str:
        return sentence[0].lower() + sentence[1:] if sentence.split(" ", 1)[0] in _LOWER_FIRST else sentence

    def _credit(self, sentences: list[str], source: Doc, lead_kept: bool) -> list[str]:
        """Name the source's outlet: in the lead ("According to X, ...") or in a closing line."""
        name, roll = source.outlet.name, self.rng.random()
        if lead_kept and roll < 0.5:
            return [f"According to {name}, {self._lower_lead(sentences[0])}"] + sentences[1:]
        if lead_kept and roll < 0.75:
            return [f"{name} reported that {self._lower_lead(sentences[0])}"] + sentences[1:]
        return sentences + [self.rng.choice(_CREDIT_TRAIL).format(o=name)]

    def _cut(self, n: int, required: list[int] | None = None) -> list[int]:
        """Indices kept by a cut to 30-90 % of ``n`` sentences: the lead, not the end, a bit less of the middle.

        ``required``: keep at least one of these (swapped in for a dropped sentence).
        """
        rng = self.rng
        assert n >= 4
        k = rng.randint(max(2, (3 * n + 9) // 10), (9 * n) // 10)
        end = min(n - 1, k + rng.randint(0, 2))  # sentences end.. are dropped; end - k from the middle
        middle = set(rng.sample(range(1, end), end - k))
        kept = [i for i in range(end) if i not in middle]
        if required and not set(required) & set(kept):
            drop = rng.choice(kept[1:])
            kept = sorted((set(kept) - {drop}) | {rng.choice(required)})
        return kept

    def _swap_word(self, sentence: str) -> str:
        words = sentence.split(" ")
        spots = [i for i, w in enumerate(words) if w.strip(",.\"") in _SYN_INDEX]
        if not spots:
            return sentence
        i = self.rng.choice(spots)
        core = words[i].strip(",.\"")
        words[i] = words[i].replace(core, self.rng.choice([g for g in _SYN_INDEX[core] if g != core]))
        return " ".join(words)

    @staticmethod
    def _shorten(sentence: str) -> str:
        for opener in _OPENERS:
            if sentence.startswith(opener + " "):
                rest = sentence[len(opener) + 1:]
                return rest[0].upper() + rest[1:]
        if sentence.endswith(".") and "\"" not in sentence:
            head = sentence[:-1].rsplit(", ", 1)[0]
            if head != sentence[:-1] and len(head.split(" ")) >= 5:
                return head + "."
        return sentence

    def _light_edit(self, sentences: list[str]) -> list[str]:
        """A desk edit: a few words swapped for synonyms, one sentence (not the lead) shortened."""
        rng = self.rng
        out = list(sentences)
        for i in rng.sample(range(len(out)), min(len(out), rng.randint(1, 3))):
            out[i] = self._swap_word(out[i])
        if len(out) > 1 and rng.random() < 0.7:
            i = rng.randrange(1, len(out))
            out[i] = self._shorten(out[i])
        return out

    def _cut_copy(self, source: Doc, outlet: Outlet, required: list[int] | None = None,
                  hours: tuple[float, float] = (0.5, 36)) -> Doc:
        rng = self.rng
        kept = self._cut(len(source.sentences), required)
        new = self._light_edit([source.sentences[i] for i in kept])
        credited = rng.random() < 0.2
        if credited:
            new.append(rng.choice(_CREDIT_TRAIL).format(o=source.outlet.name))
        doc = self._new(outlet, self._headline(source), new, "cut", [source], source.story, source.facts,
                        self._after(source, hours))
        doc.credited = credited
        doc.info = {"kept": kept, "of": len(source.sentences)}
        return doc

    def _whole_copy(self, source: Doc, outlet: Outlet, hours: tuple[float, float]) -> Doc:
        credited = self.rng.random() < 0.3
        new = self._credit(list(source.sentences), source, True) if credited else list(source.sentences)
        doc = self._new(outlet, self._headline(source), new, "verbatim", [source], source.story, source.facts,
                        self._after(source, hours))
        doc.credited = credited
        return doc

    def viral(self, size: int) -> None:
        """One wire story and ``size`` reprints (5 sentences to all), half of them crediting the wire."""
        rng = self.rng
        root = self._wire_story()
        root.info = {"viral_size": size}
        n = len(root.sentences)
        credits = [True] * (size // 2) + [False] * (size - size // 2)
        rng.shuffle(credits)
        for outlet, credited in zip(self._pick(size, avoid=(root.outlet,)), credits, strict=True):
            k = rng.randint(5, n)
            start = 0 if rng.random() < 0.75 else rng.randint(0, n - k)
            new = root.sentences[start : start + k]
            if credited:
                new = self._credit(new, root, start == 0)
            doc = self._new(outlet, self._headline(root), new, "verbatim" if k == n else "reprint", [root],
                            root.story, root.facts, self._after(root, (0.3, 48)))
            doc.credited = credited
            doc.info = {"viral_size": size, "span": [start, start + k]}

    def wire_cut(self, copies: int) -> None:
        """A wire story and ``copies`` newspapers printing it cut and lightly edited."""
        root = self._wire_story()
        for outlet in self._pick(copies, avoid=(root.outlet,)):
            self._cut_copy(root, outlet)

    def _correct(self, sentences: list[str], facts: dict[str, str]) -> tuple[list[str], dict[str, str]] | None:
        """Correct one figure of the story (all its mentions), sometimes with a correction note."""
        rng = self.rng
        for key in rng.sample(["amt", "amt2", "pct", "n"], 4):
            old = facts[key]
            if not any(old in s for s in sentences):
                continue
            new = old
            while new == old:
                new = (self._amount() if key.startswith("amt") else f"{round(rng.uniform(1.5, 39.5), 1)}%"
                       if key == "pct" else f"{rng.randint(2, 90) * 100:,}")
            out = [s.replace(old, new) for s in sentences]
            if rng.random() < 0.5:
                out.append(rng.choice(_CORRECTION).format(old=old, new=new))
            return out, {**facts, key: new}
        return None

    def versions(self, copies: int) -> None:
        """v1 and its same-day update v2 (more sentences and/or a corrected figure), and copies of either."""
        rng = self.rng
        v1 = self._wire_story()
        v1.info = {"version": 1}
        mode = rng.choices(["extend", "correct", "both"], weights=[2, 1, 2])[0]
        sentences, facts = list(v1.sentences), dict(v1.facts)
        if mode != "extend":
            corrected = self._correct(sentences, facts)
            if corrected is None:
                mode = "extend"
            else:
                sentences, facts = corrected
        if mode != "correct":
            added = [self._fill(t, facts) for t in rng.sample(_UPDATE, rng.randint(2, 4))]
            sentences = sentences[:1] + added[:1] + sentences[1:] + added[1:] if rng.random() < 0.5 \
                else sentences + added
        v2 = self._new(v1.outlet, f"UPDATE 1-{v1.title}", sentences, "update", [v1], v1.story, facts,
                       self._after(v1, (2, 10)))
        v2.info = {"version": 2, "update": mode}
        only1 = [i for i, s in enumerate(v1.sentences) if s not in set(v2.sentences)]
        only2 = [i for i, s in enumerate(v2.sentences) if s not in set(v1.sentences)]
        assert v1.published_at and v2.published_at
        gap = (v2.published_at - v1.published_at).total_seconds() / 3600
        for outlet in self._pick(copies, avoid=(v1.outlet,)):
            # A copy of v2 keeps something only v2 has; a cut of v1 keeps something v2 changed (else it
            # could have come from either, so v1 is then only copied whole).
            source, required, hours = (v2, only2, (0.5, 24.0)) if rng.random() < 0.6 else (v1, only1, (0.3, gap + 4))
            if not required or rng.random() < 0.4:
                doc = self._whole_copy(source, outlet, hours)
            else:
                doc = self._cut_copy(source, outlet, required, hours)
            doc.info["version"] = source.info["version"]

    def same_event(self, reporters: int) -> None:
        """Two or three outlets reporting one press conference or hearing independently."""
        rng = self.rng
        story = self._story()
        facts = self._facts(rng.choice(self.companies))
        facts["d"] = str(rng.randint(1, 28))
        setting = rng.choice(sorted(_EVENT_VENUES))
        facts["audience"] = "reporters" if setting == "press conference" else rng.choice(["the committee",
                                                                                           "the hearing"])

        def low(text: str) -> str:
            return text[0].lower() + text[1:]

        facts["venue"] = low(self._fill(rng.choice(_EVENT_VENUES[setting]), facts))
        facts["act"] = low(self._fill(rng.choice(_EVENT_ACTS), facts))
        quotes = [self._fill(q, facts) for q in rng.sample(_QUOTES, rng.randint(2, 4))]
        wording = {slot: rng.sample(range(len(ts)), reporters) for slot, ts in _EVENT_SLOTS.items()}
        titles = rng.sample(_EVENT_TITLES, reporters)
        start = self._date(None) + timedelta(hours=rng.randint(8, 18))
        outlets = rng.sample([o for o in self._outlet_pool() if o.wire], 1) + self._pick(reporters - 1)
        rng.shuffle(outlets)
        for i, outlet in enumerate(outlets):
            slots = rng.sample([s for s in _EVENT_SLOTS if s != "lead"], rng.randint(3, 5))
            body = [self._fill(_EVENT_SLOTS[s][wording[s][i]], facts) for s in slots]
            said = [quotes[0]] + [q for q in quotes[1:] if rng.random() < 0.6]
            body += [rng.choice(_QUOTE_FORMS).format(q=q, p=facts["p"], r=facts["r"], audience=facts["audience"])
                     for q in said]
            rng.shuffle(body)
            sentences = [self._fill(_EVENT_SLOTS["lead"][wording["lead"][i]], facts)] + body
            title = self._fill(titles[i], facts)
            doc = self._new(outlet, title, sentences, "original", [], story, facts,
                            start + timedelta(minutes=rng.randint(30, 6 * 60)))
            doc.info = {"event": story, "quotes": said}

    def long_report(self, briefs: int) -> None:
        """A long original and briefs or quote boxes: 2-4 consecutive sentences of it and nothing else."""
        rng = self.rng
        root = self._wire_story(body_size=(18, 24))
        n = len(root.sentences)
        quoted = [i for i, s in enumerate(root.sentences) if "\"" in s]
        for outlet in self._pick(briefs, avoid=(root.outlet,)):
            k = rng.randint(2, 4)
            if quoted and rng.random() < 0.4:  # a quote box around a quotation
                start = max(0, min(rng.choice(quoted) - rng.randint(0, k - 1), n - k))
            else:
                start = rng.randint(0, n - k)
            title = rng.choice(_BRIEF_TITLES).format(c=root.facts["c"], p=root.facts["p"],
                                                     place=root.facts["place"])
            credited = rng.random() < 0.3
            if credited:
                title += f" (via {root.outlet.name})"
            doc = self._new(outlet, title, root.sentences[start : start + k], "brief", [root], root.story,
                            root.facts, self._after(root, (0.5, 48)))
            doc.credited = credited
            doc.info = {"span": [start, start + k]}

    def digest(self, sources: int) -> None:
        """A digest page embedding several short wire flashes whole; its parents are the flashes."""
        rng = self.rng
        flashes = [self._wire_story(body_size=(1, 3)) for _ in range(sources)]
        start = self._date(None)
        for flash in flashes:
            flash.published_at = start + timedelta(minutes=rng.randint(0, 12 * 60))
        outlet = self._pick(1, avoid=tuple(f.outlet for f in flashes))[0]
        new = [f"{rng.choice(['Morning', 'Midday', 'Evening'])} digest: {sources} stories to know"]
        for i, flash in enumerate(flashes, 1):
            new.append(f"[{i}] {flash.title}.")
            new += flash.sentences
        new.append(f"Summary: {rng.choice(_COMMENTARY)}")
        latest = max(f.published_at for f in flashes if f.published_at)
        self._new(outlet, f"Digest: {flashes[0].facts['c']} and more", new, "aggregation", flashes,
                  flashes[0].story, flashes[0].facts, latest + timedelta(minutes=rng.randint(30, 6 * 60)))

    def _family_unit(self, family: str, left: int) -> bool:
        """Make one story of ``family`` within ``left`` documents; False when none fits."""
        rng = self.rng
        if family == "wire-cut":
            copies = rng.randint(1, 4)
            if left < 2:
                return False
            self.wire_cut(min(copies, left - 1))
        elif family == "versions":
            copies = rng.randint(1, 5)
            if left < 3:
                return False
            self.versions(min(copies, left - 2))
        elif family == "same-event":
            reporters = rng.choice([2, 2, 3])
            if left < 2:
                return False
            self.same_event(min(reporters, left))
        elif family == "excerpt":  # every third story a digest, the second one first
            briefs, sources = rng.randint(1, 3), rng.randint(3, 5)
            if left < 2:
                return False
            if self.units % 3 != 1 or left < 4:
                self.long_report(min(briefs, left - 1))
            else:
                self.digest(min(sources, left - 1))
        else:
            raise ValueError(family)
        self.units += 1
        return True

    def build_families(self, budgets: dict[str, int], viral_sizes: list[int]) -> list[Doc]:
        """The non-classic families, each from its own random stream (temporary ids ``f.....``).

        The main stream (vocabulary already drawn, classic documents) is left untouched.
        """
        saved = (self.rng, self.docs, self.family, self.id_prefix)
        out: list[Doc] = []
        try:
            self.docs, self.id_prefix = out, "f"
            for index, family in enumerate(FAMILIES):
                if family not in budgets:
                    continue
                self.rng, self.family = random.Random(f"{self.seed}:{family}"), family
                self.next_story, self.units = 100_000 * index, 0
                first = len(out)
                if family == "viral":
                    for size in viral_sizes:
                        self.viral(size)
                else:
                    while self._family_unit(family, budgets[family] - (len(out) - first)):
                        pass
                self._corrupt_family_dates(out[first:])
        finally:
            self.rng, self.docs, self.family, self.id_prefix = saved
        return out

    def _corrupt_family_dates(self, docs: list[Doc]) -> None:
        """Some dates missing (12 %), some wrong by hours (8 %): a copy before its source, an original late."""
        by_id = {d.id: d for d in docs}
        for doc in docs:
            roll = self.rng.random()
            if roll < 0.12:
                doc.published_at, doc.dates = None, "missing"
            elif roll < 0.2 and doc.published_at is not None:
                known = [p.published_at for p in (by_id[i] for i in doc.parents) if p.published_at]
                shift = timedelta(minutes=self.rng.randint(60, 24 * 60))
                if doc.parents:
                    doc.published_at = min(known + [doc.published_at]) - shift
                else:
                    doc.published_at += shift + timedelta(hours=6)
                doc.dates = "wrong"


def acceptable_parents(docs: list[Doc]) -> dict[str, list[str]]:
    """True parents plus their verbatim copies (indistinguishable by text from the parent itself)."""
    by_id = {d.id: d for d in docs}
    copies: dict[str, list[str]] = {}
    for d in docs:
        if d.kind == "verbatim":
            copies.setdefault(d.parents[0], []).append(d.id)

    def same_text(doc_id: str) -> set[str]:
        """The document, the one it copies verbatim, and their other verbatim copies."""
        base = doc_id
        while by_id[base].kind == "verbatim":
            base = by_id[base].parents[0]
        group, todo = {base}, [base]
        while todo:
            for c in copies.get(todo.pop(), []):
                if c not in group:
                    group.add(c)
                    todo.append(c)
        return group

    out = {}
    for d in docs:
        ok: set[str] = set()
        for p in d.parents:
            ok |= same_text(p)
        ok.discard(d.id)
        out[d.id] = sorted(ok)
    return out


def viral_plan(budget: int) -> list[int]:
    """Story sizes for a viral budget: 5, 20, 50, 200 copies in turn while they fit, then again."""
    sizes: list[int] = []
    while True:
        added = False
        for size in VIRAL_SIZES:
            if sum(s + 1 for s in sizes) + size + 1 <= budget:
                sizes.append(size)
                added = True
        if not added:
            return sizes


def plan(total: int, families: list[str], viral_sizes: list[int] | None = None) -> tuple[dict[str, int], list[int]]:
    """Documents per non-classic family, and the viral story sizes.

    With the classic family each other family gets its share of ``total`` (``SHARES``) and classic
    the rest; without it the chosen families split ``total`` in proportion to their shares. Forced
    viral sizes are made as given; the other families then share what they leave.
    """
    others = [f for f in FAMILIES[1:] if f in families]

    def split(amount: int, fams: list[str]) -> dict[str, int]:
        if "classic" in families:
            budgets = {f: int(SHARES[f] * total) for f in fams}
            scale = min(1.0, amount / max(1, sum(budgets.values())))
            return {f: int(b * scale) for f, b in budgets.items()}
        weight = sum(SHARES[f] for f in fams)
        return {f: int(amount * SHARES[f] / weight) for f in fams}

    if "viral" not in others:
        return split(total, others), []
    if viral_sizes:
        used = sum(s + 1 for s in viral_sizes)
        budgets = split(max(0, total - used), [f for f in others if f != "viral"])
        return {"viral": used, **budgets}, list(viral_sizes)
    budgets = split(total, others)
    return budgets, viral_plan(budgets["viral"])


def generate(total: int, seed: int, families: list[str] | None = None,
             viral_sizes: list[int] | None = None) -> list[Doc]:
    """The corpus: classic documents first (ids g00000...), then the other families."""
    families = list(FAMILIES) if families is None else families
    gen = Generator(seed)
    budgets, sizes = plan(total, families, viral_sizes)
    extra = gen.build_families(budgets, sizes)
    if "classic" in families and total > len(extra):
        gen.build(total - len(extra))
        gen.corrupt_dates()
    ids = {d.id: f"g{i:05d}" for i, d in enumerate(extra, len(gen.docs))}
    for d in extra:
        d.id, d.parents = ids[d.id], [ids[p] for p in d.parents]
    return gen.docs + extra


def write(docs: list[Doc], out: Path, dates: bool) -> None:
    """Write the manifest, texts and truth file."""
    (out / "docs").mkdir(parents=True, exist_ok=True)
    acceptable = acceptable_parents(docs)
    by_id = {d.id: d for d in docs}

    def root_of(doc: Doc) -> str:
        while doc.parents and doc.kind != "aggregation":
            doc = by_id[doc.parents[0]]
        return doc.id

    with (out / "corpus.jsonl").open("w") as manifest:
        for d in docs:
            path = f"docs/{d.id}.txt"
            (out / path).write_text(d.text())
            manifest.write(json.dumps({
                "id": d.id, "path": path, "title": d.title, "outlet": d.outlet.name,
                "url": f"https://{d.outlet.host}/news/{d.id}",
                "published_at": d.published_at.isoformat() if (dates and d.published_at) else None,
                "language": "en",
            }) + "\n")

    def inverted(doc: Doc) -> bool:
        """Dated before one of its true parents."""
        at = doc.published_at
        parents = [by_id[p].published_at for p in doc.parents]
        return dates and at is not None and any(p is not None and at < p for p in parents)

    truth = {}
    for d in docs:
        truth[d.id] = {"kind": d.kind, "parents": d.parents, "acceptable": acceptable[d.id], "story": d.story,
                       "outlet": d.outlet.name, "root": root_of(d), "family": d.family,
                       "dates": d.dates if dates else "missing", "date_inverted": inverted(d)}
        if d.credited is not None:
            truth[d.id]["credited"] = d.credited
        truth[d.id].update(d.info)
    (out / "truth.json").write_text(json.dumps(truth, indent=1))


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = sorted(set(names) - set(FAMILIES))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown famil{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}; "
                                         f"choose from {', '.join(FAMILIES)}")
    return names


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(n) for n in text.split(",") if n.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    ap.add_argument("--no-dates", action="store_true", help="leave published_at empty everywhere")
    ap.add_argument("--families", type=_names, default=list(FAMILIES),
                    help=f"comma-separated families to generate (default all: {','.join(FAMILIES)})")
    ap.add_argument("--viral-sizes", type=_sizes, default=None,
                    help="copies per viral story, one story per number, e.g. 5,20,50,200 (default: "
                         "5, 20, 50, 200 in turn while they fit the viral share)")
    args = ap.parse_args()
    docs = generate(args.docs, args.seed, args.families, args.viral_sizes)
    if len(docs) != args.docs:
        print(f"note: {len(docs)} documents, not {args.docs}: whole stories of the chosen families only",
              file=sys.stderr)
    write(docs, args.out, dates=not args.no_dates)
    kinds: dict[str, int] = {}
    families: dict[str, int] = {}
    for d in docs:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
        families[d.family] = families.get(d.family, 0) + 1
    viral = sorted((d.info["viral_size"] for d in docs if d.family == "viral" and not d.parents), reverse=True)
    print(json.dumps({"docs": len(docs), "kinds": kinds, "families": families, "viral_sizes": viral,
                      "out": str(args.out)}))


if __name__ == "__main__":
    main()
