"""Generate a synthetic wire-news corpus with known lineage, for benchmarking provenance.

Everything is invented here from small vocabularies and sentence templates (no real articles,
no network), and the output is a deterministic function of ``--seed``. The corpus contains:

* originals: wire-style reports with first-hand sourcing ("people familiar with the matter"),
  figures, dates, names and quotes; several originals share a company and topic (hard negatives);
* verbatim copies, excerpts (a few consecutive sentences plus framing and attribution),
  aggregator pages embedding two or three sources, paraphrases (synonyms, restructured clauses,
  reordered and dropped sentences), and derivatives of derivatives (chains A -> B -> C);
* fact mutations introduced along chains (figures scaled, months moved, names misspelt) that
  later copies inherit, and unsourced sentences added by rewriters;
* boilerplate shared by every article of an outlet (byline, disclaimer) that is not reuse;
* publication dates that are sometimes missing and sometimes wrong.

Output: ``<out>/corpus.jsonl`` (the manifest format of ``../shared/corpus/seeds.jsonl``), the
texts under ``<out>/docs/``, and ``<out>/truth.json`` with each document's kind, true parents
and acceptable parents (the true parent or a verbatim copy of it, which no text can tell apart).

    .venv/bin/python bench/generate_corpus.py --docs 2000 --seed 7 --out bench/out/corpus2k
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
        return f"g{len(self.docs):05d}"

    def _date(self, after: datetime | None) -> datetime:
        start = after or self.base + timedelta(days=self.rng.randint(0, 600))
        return start + timedelta(hours=self.rng.randint(1, 72)) if after else start

    # -- document kinds ---------------------------------------------------------------------

    def original(self, story: int, company: str) -> Doc:
        rng = self.rng
        facts = self._facts(company)
        topic = rng.choice(_TOPICS)
        sentences = [self._fill(rng.choice(_LEDE[topic]), facts)]
        body = rng.sample(_BODY, rng.randint(9, 15))
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
        doc = Doc(self._id(), outlet, title, sentences, "original", story=story, facts=facts)
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
            bar.n = min(len(self.docs), total)
            bar.refresh()
        bar.close()
        del self.docs[total:]

    def corrupt_dates(self) -> None:
        """Drop some dates and make some wrong (a derivative dated before its source)."""
        for doc in self.docs:
            roll = self.rng.random()
            if roll < 0.25:
                doc.published_at = None
            elif roll < 0.35 and doc.published_at is not None:
                doc.published_at -= timedelta(days=self.rng.randint(3, 30))


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
    truth = {
        d.id: {"kind": d.kind, "parents": d.parents, "acceptable": acceptable[d.id], "story": d.story,
               "outlet": d.outlet.name, "root": root_of(d)}
        for d in docs
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    ap.add_argument("--no-dates", action="store_true", help="leave published_at empty everywhere")
    args = ap.parse_args()
    gen = Generator(args.seed)
    gen.build(args.docs)
    gen.corrupt_dates()
    write(gen.docs, args.out, dates=not args.no_dates)
    kinds: dict[str, int] = {}
    for d in gen.docs:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    print(json.dumps({"docs": len(gen.docs), "kinds": kinds, "out": str(args.out)}))


if __name__ == "__main__":
    main()
