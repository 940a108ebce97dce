"""POST /v1/statements/check: contract, ordering, filters, origin, bad input, and the reference corpus."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SHARED

GOLD = SHARED / "eval" / "seed_statements.json"

ORIGINAL = (
    "The city council approved a $2.1 billion budget for schools on Tuesday. "
    "The plan will add 300 teachers by September 2026, the mayor said.\n\n"
    "Critics called the vote rushed."
)
COPY = (
    "According to the Daily Courier, the city council approved a $2.1 billion budget for schools on Tuesday. "
    "It rained in the afternoon."
)
MUTATED = (
    "The city council approved a $21 billion budget for schools on Tuesday, a local blog wrote. "
    "The blog did not say who voted."
)


def ingest(client: FlaskClient, external_id: str, text: str, **meta: Any) -> int:
    response = client.post("/v1/documents", json={"external_id": external_id, "text": text, **meta})
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


@pytest.fixture()
def small_corpus(client: FlaskClient) -> FlaskClient:
    ingest(client, "original", ORIGINAL, outlet="Courier", published_at="2025-03-04")
    ingest(client, "copy", COPY, outlet="Aggregator", published_at="2025-03-05")
    ingest(client, "mutated", MUTATED, outlet="Blog")
    return client


def check(client: FlaskClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/statements/check", json=body)
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


STATEMENT = "The city council approved a $2.1 billion budget for schools."


def test_check_returns_verdict_tally_evidence_and_origin(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement=STATEMENT)
    assert result["statement"] == STATEMENT
    assert result["verdict"] == "mixed"
    assert result["tally"]["supports"] == 2 and result["tally"]["contradicts"] == 1
    assert 0.0 < result["confidence"] < 1.0
    stances = {e["document"]["external_id"]: e["stance"] for e in result["evidence"]}
    assert stances == {"original": "supports", "copy": "supports", "mutated": "contradicts"}
    contra = next(e for e in result["evidence"] if e["stance"] == "contradicts")
    assert contra["conflicts"] == [{"kind": "amount", "statement": "$2.1 billion", "passage": "$21 billion"}]
    for item in result["evidence"]:
        assert set(item) >= {"document", "passage", "stance", "confidence", "conflicts", "matched"}
        assert set(item["document"]) == {"id", "external_id", "title", "outlet", "url", "published_at"}
        assert 0.0 <= item["confidence"] <= 1.0
    support = next(e for e in result["evidence"] if e["document"]["external_id"] == "original")
    assert {"statement": "$2.1 billion", "passage": "$2.1 billion"} in support["matched"]


def test_passage_offsets_point_into_the_document(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement=STATEMENT)
    assert result["evidence"]
    for item in result["evidence"]:
        doc = small_corpus.get(f"/v1/documents/{item['document']['id']}").get_json()
        assert doc["text"][item["passage"]["start"] : item["passage"]["end"]] == item["passage"]["text"]


def _in_order(evidence: list[dict[str, Any]]) -> bool:
    """Supports and contradictions first, then mentions; each group by relevance, then confidence."""
    keys = [(e["stance"] == "mentions", -e["relevance"], -e["confidence"]) for e in evidence]
    return keys == sorted(keys)


def test_evidence_is_ordered_by_relevance_then_confidence(small_corpus: FlaskClient) -> None:
    assert _in_order(check(small_corpus, statement=STATEMENT)["evidence"])


def test_committed_evidence_comes_before_mentions(seeded_client: FlaskClient) -> None:
    # A reader asking for a few passages wants the ones that support or contradict: on the
    # reference corpus, half the gold statements had a mere mention ranked above one of those
    # (it matched more of the statement's words), so a small ``limit`` could hide them all.
    for case in _gold_cases():
        result = check(seeded_client, statement=case["statement"], limit=200)
        assert _in_order(result["evidence"]), case["statement"]
        committed = result["tally"]["supports"] + result["tally"]["contradicts"]
        first = check(seeded_client, statement=case["statement"], limit=3)["evidence"]
        assert sum(e["stance"] != "mentions" for e in first) == min(3, committed), case["statement"]


def test_origin_is_the_earliest_dated_support(small_corpus: FlaskClient) -> None:
    origin = check(small_corpus, statement=STATEMENT)["origin"]
    assert origin["document"]["external_id"] == "original"
    assert "$2.1 billion" in origin["passage"]["text"]
    assert 0.0 < origin["confidence"] <= 1.0


def test_limit_outlets_and_min_confidence_filter_the_evidence(small_corpus: FlaskClient) -> None:
    assert len(check(small_corpus, statement=STATEMENT, limit=1)["evidence"]) == 1
    only_blog = check(small_corpus, statement=STATEMENT, outlets=["Blog"])
    assert {e["document"]["outlet"] for e in only_blog["evidence"]} == {"Blog"}
    assert only_blog["verdict"] == "contradicted"
    confidences = sorted(e["confidence"] for e in check(small_corpus, statement=STATEMENT)["evidence"])
    assert confidences and confidences[0] < confidences[-1], confidences
    threshold = (confidences[0] + confidences[-1]) / 2
    strict = check(small_corpus, statement=STATEMENT, min_confidence=threshold)
    assert 0 < len(strict["evidence"]) < len(confidences)
    assert all(e["confidence"] >= threshold for e in strict["evidence"])


def test_nothing_relevant_is_unverified_without_committed_stances(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement="A volcano erupted in Iceland overnight.")
    assert result["verdict"] == "unverified"
    assert result["origin"] is None
    assert all(e["stance"] == "mentions" for e in result["evidence"])


def test_fact_missing_from_the_passage_is_only_a_mention(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement="The plan will add 300 teachers by September 2026.")
    assert result["verdict"] == "supported"
    result = check(small_corpus, statement="The city council approved a budget for 900 new buses.")
    assert result["tally"]["supports"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"statement": ""},
        {"statement": "   \n\t "},
        {"statement": "x" * 2001},
        {"statement": "ok", "limit": 0},
        {"statement": "ok", "limit": 201},
        {"statement": "ok", "limit": "ten"},
        {"statement": "ok", "min_confidence": 1.5},
        {"statement": "ok", "outlets": []},
        {"statement": "ok", "surprise": True},
    ],
)
def test_bad_input_is_a_422_problem(client: FlaskClient, body: dict[str, Any]) -> None:
    response = client.post("/v1/statements/check", json=body)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.get_json()["status"] == 422


def test_the_longest_allowed_statement_is_accepted(client: FlaskClient) -> None:
    statement = ("The council approved the budget. " * 61)[:2000]
    assert len(statement) == 2000
    response = client.post("/v1/statements/check", json={"statement": statement})
    assert response.status_code == 200


def _gold_cases() -> list[dict[str, Any]]:
    if not GOLD.exists():
        pytest.skip("the reference gold file ../shared/eval is not available")
    cases: list[dict[str, Any]] = json.loads(GOLD.read_text())["cases"]
    assert cases, f"{GOLD} has no cases"
    return cases


def _quote_in(quote: str, text: str) -> bool:
    return " ".join(quote.lower().split()) in " ".join(text.lower().split())


def test_reference_corpus_verdicts_and_required_evidence(seeded_client: FlaskClient) -> None:
    """The shared gold cases: every verdict right, every required passage found with its stance,
    and no supporting passage ever labelled contradicting (or the reverse)."""
    wrong = []
    for case in _gold_cases():
        result = check(seeded_client, statement=case["statement"], limit=200)
        if result["verdict"] != case["verdict"]:
            wrong.append(f"{case['id']}: verdict {result['verdict']}")
        for want, gold in (("supports", case["supports"]), ("contradicts", case["contradicts"])):
            for g in gold:
                found = [
                    e["stance"]
                    for e in result["evidence"]
                    if e["document"]["external_id"] == g["doc"] and _quote_in(g["quote"], e["passage"]["text"])
                ]
                if want not in found:
                    wrong.append(f"{case['id']}: {g['doc'][:3]} '{g['quote']}' got {found}")
        if case["verdict"] == "unverified":
            assert all(e["stance"] == "mentions" for e in result["evidence"])
    assert wrong == []


DEBUNK = "A photo of a giant crab off the coast of Kent went viral this week.\n\nExperts say it is a hoax."
CRAB = "A giant crab was photographed off the coast of Kent."


def test_without_the_learned_layer_the_service_still_checks(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    ingest(client, "debunk", DEBUNK)
    result = check(client, statement=CRAB)
    assert result["verdict"] in {"supported", "contradicted", "mixed", "unverified"}
    assert result["evidence"]


def fake_model(
    monkeypatch: Any, label: str, probs: dict[str, float], anchor: int = 0, short: bool = False,
    opinion: bool = False,
) -> list[int]:
    """Replace the learned layer by one that reads every document as ``label`` (as a
    headline-sized document with ``short``, as a comment or opinion piece with ``opinion``); returns,
    per call, how many documents it was given (the layer must be called once per check)."""
    from service import checking
    from service.core.stance.model.classifier import DocumentJudgement

    calls: list[int] = []

    def judge_documents(statement: str, documents: Any, vectors: Any = None) -> list[DocumentJudgement]:
        calls.append(len(documents))
        return [
            DocumentJudgement(
                label, dict(probs), [min(anchor, len(d) - 1)], {}, short, min(anchor, len(d) - 1), opinion
            )
            for d in documents
        ]

    monkeypatch.setattr(checking, "_load_document_stance", lambda: judge_documents)
    return calls


REFUTING = {"supports": 0.05, "contradicts": 0.8, "mentions": 0.1, "unrelated": 0.05}
SUPPORTING = {"supports": 0.8, "contradicts": 0.05, "mentions": 0.1, "unrelated": 0.05}


def test_learned_layer_names_a_refutation_cue_or_the_arguing_sentence(client: FlaskClient, monkeypatch: Any) -> None:
    calls = fake_model(monkeypatch, "contradicts", REFUTING)
    ingest(client, "debunk", DEBUNK)
    ingest(client, "plain", "A giant crab was seen off the coast of Kent by a fisherman on Monday morning.")
    result = check(client, statement=CRAB)
    assert calls == [2], "the learned layer reads every touched document in one call"
    contra = {e["document"]["external_id"]: e for e in result["evidence"] if e["stance"] == "contradicts"}
    assert contra["debunk"]["passage"]["text"] == "Experts say it is a hoax."
    assert contra["debunk"]["conflicts"] == [{"kind": "refutation", "statement": CRAB, "passage": "hoax"}]
    # the other document has no refuting word: its support is demoted (as a whole the model reads
    # it as refuting) and, the model being sure, its sentence is named whole as an argument
    plain = "A giant crab was seen off the coast of Kent by a fisherman on Monday morning."
    assert contra["plain"]["conflicts"] == [{"kind": "argument", "statement": CRAB, "passage": plain}]
    assert contra["plain"]["reason"] == "model"
    assert {e["stance"] for e in result["evidence"] if e["document"]["external_id"] == "plain"} == {"contradicts"}


def test_an_unsure_learned_contradiction_without_a_cue_is_not_committed(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "contradicts", {"supports": 0.3, "contradicts": 0.35, "mentions": 0.3, "unrelated": 0.05})
    ingest(client, "plain", "A giant crab was seen off the coast of Kent by a fisherman on Monday morning.")
    result = check(client, statement=CRAB)
    assert all(e["stance"] != "contradicts" for e in result["evidence"])


def test_a_comment_that_argues_against_the_claim_is_committed_as_an_argument(
    client: FlaskClient, monkeypatch: Any
) -> None:
    # the register gate read the document as a comment or opinion piece: it argues without a
    # refuting word, so the model's contradiction commits whatever its margin
    unsure = {"supports": 0.3, "contradicts": 0.35, "mentions": 0.3, "unrelated": 0.05}
    fake_model(monkeypatch, "contradicts", unsure, opinion=True)
    plain = "I think the crab story from Kent is something people tell tourists."
    ingest(client, "plain", plain)
    result = check(client, statement=CRAB)
    contra = [e for e in result["evidence"] if e["stance"] == "contradicts"]
    assert [e["conflicts"] for e in contra] == [[{"kind": "argument", "statement": CRAB, "passage": plain}]]
    # the same document read as a news report: the unsure contradiction is not committed
    fake_model(monkeypatch, "contradicts", unsure)
    assert all(e["stance"] != "contradicts" for e in check(client, statement=CRAB)["evidence"])


def test_a_comment_that_argues_against_a_denying_claim_is_committed(client: FlaskClient, monkeypatch: Any) -> None:
    # "X should not Y": in a news report the model's "contradicts" often rests on a quoted denial,
    # which confirms such a statement, so it is not committed there; a reader's comment (the
    # register gate) that argues for "X should Y" disagrees with it, whatever the claim's polarity
    statement = "Zoos should not keep elephants."
    comment = "Elephants thrive in good zoos and my children learned more there than from any book."
    ingest(client, "comment", comment)
    fake_model(monkeypatch, "contradicts", REFUTING, opinion=True)
    contra = [e for e in check(client, statement=statement)["evidence"] if e["stance"] == "contradicts"]
    assert [e["conflicts"] for e in contra] == [[{"kind": "argument", "statement": statement, "passage": comment}]]
    assert contra[0]["reason"] == "model"
    # the same document read as a news report: a denying statement blocks the model's contradiction
    fake_model(monkeypatch, "contradicts", REFUTING)
    assert all(e["stance"] != "contradicts" for e in check(client, statement=statement)["evidence"])


def test_learned_layer_commits_at_most_one_stance_per_document(client: FlaskClient, monkeypatch: Any) -> None:
    fake_model(monkeypatch, "contradicts", REFUTING, anchor=2)
    ingest(
        client,
        "debunk",
        "A photo of a giant crab off the coast of Kent went viral. Locals called it fake. "
        "Experts say it is a hoax. The photographer denied editing it.",
    )
    result = check(client, statement=CRAB)
    committed = [e for e in result["evidence"] if e["stance"] in ("supports", "contradicts")]
    assert [(e["stance"], e["passage"]["text"]) for e in committed] == [("contradicts", "Experts say it is a hoax.")]
    assert committed[0]["conflicts"][0]["kind"] == "refutation"


def test_learned_support_never_outranks_a_rule_conflict_or_confirms_a_missing_figure(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "supports", SUPPORTING)
    ingest(client, "mutated", MUTATED)
    ingest(client, "vague", "The city council approved a budget for schools, the mayor said on Tuesday.")
    result = check(client, statement=STATEMENT)
    by_doc = {e["document"]["external_id"]: e for e in result["evidence"]}
    assert by_doc["mutated"]["stance"] == "contradicts"
    assert by_doc["mutated"]["conflicts"][0]["kind"] in {"amount", "number"}
    # the vague report never states the amount: a model cannot confirm it
    assert by_doc["vague"]["stance"] == "mentions"
    assert result["verdict"] == "contradicted"


def test_learned_support_commits_one_passage_of_a_document_the_rules_left_open(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "supports", SUPPORTING)
    ingest(client, "report", "Reportedly, a giant crab was photographed off the coast of Kent. Nobody knows more.")
    result = check(client, statement=CRAB)
    committed = [e for e in result["evidence"] if e["stance"] != "mentions"]
    assert [(e["stance"], e["document"]["external_id"]) for e in committed] == [("supports", "report")]
    assert result["verdict"] == "supported"


def test_learned_unrelated_drops_the_documents_mentions(client: FlaskClient, monkeypatch: Any) -> None:
    fake_model(monkeypatch, "unrelated", {"supports": 0.0, "contradicts": 0.0, "mentions": 0.05, "unrelated": 0.95})
    ingest(client, "crabs", "Crab prices on the Kent coast rose this week.")
    result = check(client, statement=CRAB)
    assert result["evidence"] == [] and result["verdict"] == "unverified"


def test_rules_alone_support_the_plain_report(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    ingest(client, "plain", "A giant crab was seen off the coast of Kent by a fisherman on Monday morning.")
    assert check(client, statement=CRAB)["verdict"] == "supported"


def test_statement_of_function_words_only_finds_nothing(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement="It was the one that they had.")
    assert (result["verdict"], result["evidence"], result["origin"]) == ("unverified", [], None)
    assert result["tally"] == {"supports": 0, "contradicts": 0, "mentions": 0}


def test_an_unloadable_stance_model_is_logged_once_at_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from service import checking
    from service.core.stance.model import classifier

    def corrupt(path: str | None = None) -> Any:
        raise ValueError("model file is not valid JSON")

    monkeypatch.setattr(classifier, "load_model", corrupt)
    checking._load_document_stance.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="service.checking"):
            assert checking._load_document_stance() is None
            assert checking._load_document_stance() is None
    finally:
        checking._load_document_stance.cache_clear()
    warnings = [r for r in caplog.records if r.name == "service.checking" and r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "not valid JSON" in warnings[0].getMessage()


def test_reported_confidences_go_through_the_calibration_maps(small_corpus: FlaskClient, monkeypatch: Any) -> None:
    from service import checking
    from service.core.stance.calibration import Calibration, MonotoneMap

    raw = check(small_corpus, statement=STATEMENT)
    flat = {name: MonotoneMap((0.0, 1.0), (p, p)) for name, p in (("rule.supports", 0.42), ("verdict.mixed", 0.37),
                                                                    ("verdict.supported", 0.61))}
    monkeypatch.setattr(checking, "load_calibration", lambda: Calibration(flat))
    mapped = check(small_corpus, statement=STATEMENT)
    # the verdict rule reads the raw scores: calibration changes what is reported, not what is decided
    assert mapped["verdict"] == raw["verdict"] and mapped["tally"] == raw["tally"]
    raw_confidence = {e["passage"]["id"]: e["confidence"] for e in raw["evidence"]}
    supports = [e for e in mapped["evidence"] if e["stance"] == "supports"]
    assert supports
    # a support resting on named facts a rule matched keeps the rule's confidence (it judges the
    # sentence; the maps are fitted on document-level labels); the others are mapped
    assert all(e["confidence"] in (0.42, raw_confidence[e["passage"]["id"]]) for e in supports)
    assert mapped["confidence"] in ({"mixed": 0.37, "supported": 0.61}.get(mapped["verdict"]), raw["confidence"])


def test_an_unverified_verdict_reports_the_calibrated_probability_that_nothing_commits(
    small_corpus: FlaskClient,
) -> None:
    from service.core.stance.calibration import load_calibration

    result = check(small_corpus, statement="Penguins were seen migrating across the Sahara last winter.")
    assert result["verdict"] == "unverified" and result["evidence"] == []
    # nothing relevant: the raw score is the cap (0.99), reported through the unverified map
    assert result["confidence"] == round(load_calibration()("verdict.unverified", 0.99), 3)
    assert 0.0 < result["confidence"] <= 0.99


# --- not a claim ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("Globex", "no-predicate"),
        ("Pineapple", "no-predicate"),
        ("Globex, Falcon, open source, Initech", "keywords"),
        ("Globex AND (Falcon OR NEAR(x)) NOT ^closed", "search-syntax"),
        ("Who approved the school budget?", "question-for-something"),
    ],
)
def test_a_statement_that_asserts_nothing_is_a_422_not_a_claim(
    small_corpus: FlaskClient, statement: str, reason: str
) -> None:
    response = small_corpus.post("/v1/statements/check", json={"statement": statement})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.get_json()
    assert body["type"] == "https://httpstatuses.io/422/not-a-claim"
    assert body["title"] == "Not a claim"
    assert body["reason"] == reason
    assert body["status"] == 422 and body["detail"] and body["instance"].startswith("/v1/statements/check")
    assert "verdict" not in body


@pytest.mark.parametrize(
    "statement",
    ["Prices rose.", "The council approved the budget", "Did the city council approve the budget?"],
)
def test_short_claims_and_yes_no_questions_are_checked(small_corpus: FlaskClient, statement: str) -> None:
    assert "verdict" in check(small_corpus, statement=statement)


# --- evidence that says why -------------------------------------------------------------------


def test_every_evidence_item_says_why(small_corpus: FlaskClient) -> None:
    result = check(small_corpus, statement=STATEMENT)
    assert result["evidence"]
    for item in result["evidence"]:
        assert item["reason"] in {
            "facts-match", "wording-match", "conflict", "reported", "quoted", "subject-only",
            "not-asserted", "fact-missing", "partial", "model",
        }
        assert item["role"] in {"body", "list-item", "heading", "title", "byline", "caption"}
        assert isinstance(item["cues"], list) and "context" in item
    contra = next(e for e in result["evidence"] if e["stance"] == "contradicts")
    assert contra["reason"] == "conflict"
    copy = next(e for e in result["evidence"] if e["document"]["external_id"] == "copy")
    assert copy["stance"] == "supports"


def test_one_item_per_distinct_passage_text_per_document(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    repeated = "The harbour board approved a $4 million pier repair on Monday."
    ingest(client, "echo", f"{repeated}\n\nThe vote was close.\n\n{repeated}\n\nA pull quote repeats it:\n\n{repeated}")
    result = check(client, statement="The harbour board approved a $4 million pier repair.")
    texts = [(e["document"]["id"], e["passage"]["text"]) for e in result["evidence"]]
    assert len(texts) == len(set(texts))
    assert result["tally"]["supports"] == 1


def test_a_conflict_repeated_in_the_statement_is_reported_once(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    ingest(client, "pier", "The harbour board approved a $40 million pier repair on Monday.")
    statement = " ".join(["The harbour board approved a $4 million pier repair."] * 20)
    result = check(client, statement=statement)
    for item in result["evidence"]:
        assert len(item["conflicts"]) == len({tuple(sorted(c.items())) for c in item["conflicts"]})
    contra = [e for e in result["evidence"] if e["stance"] == "contradicts"]
    assert contra
    assert contra[0]["conflicts"] == [{"kind": "amount", "statement": "$4 million", "passage": "$40 million"}]


def test_a_heading_that_only_names_the_subject_is_no_evidence(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    ingest(
        client,
        "profile",
        "Jane Doe, the New Finance Minister\n\nJane Doe took office in Leeds on Monday and spoke about schools.",
        title="Jane Doe, the new finance minister",
    )
    result = check(client, statement="Jane Doe opposes the new fuel tax.")
    assert all(e["stance"] == "mentions" for e in result["evidence"])
    assert result["verdict"] == "unverified"


def test_a_sentence_that_refers_back_is_evidence_with_its_neighbours(client: FlaskClient, monkeypatch: Any) -> None:
    from service import checking

    monkeypatch.setattr(checking, "_load_document_stance", lambda: None)
    ingest(
        client,
        "report",
        "Initech hired Jane Doe as its chief scientist last spring. She came in through a $2 billion deal.",
    )
    result = check(client, statement="Jane Doe joined Initech through a $2 billion deal.")
    (support,) = [e for e in result["evidence"] if e["stance"] == "supports"]
    assert support["passage"]["text"] == "She came in through a $2 billion deal."
    assert support["context"]["reference"] == "She"
    assert set(support["context"]["terms"]) == {"Jane", "Doe"}
    assert len(support["context"]["passages"]) == 1


REWORDED_CORPUS = [
    "Mobile devices ought to be prohibited in classrooms. The teachers' union voted for the motion on Friday.",
    "Bakers at the county fair entered a rye loaf in the contest. The judges liked its crust.",
    "The town museum reopened after a long renovation. Visitors praised the gallery lighting.",
]
# Shares no content word with the only passage about it: full-text search cannot find it.
REWORDED_STATEMENT = "Schools should ban cellphones."


@pytest.mark.parametrize("semantic", [True, False])
def test_reworded_evidence_is_found_only_by_the_semantic_channel(make_app: Any, semantic: bool) -> None:
    client = make_app(SEMANTIC_SEARCH=semantic).test_client()
    for text in REWORDED_CORPUS:
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    body = client.post("/v1/statements/check", json={"statement": REWORDED_STATEMENT}).get_json()
    texts = [e["passage"]["text"] for e in body["evidence"]]
    if not semantic:
        assert texts == [] and body["verdict"] == "unverified"
        return
    assert texts == ["Mobile devices ought to be prohibited in classrooms."]
    (evidence,) = body["evidence"]
    # found by meaning alone: reported, never judged (no fact of the statement was aligned)
    assert evidence["stance"] == "mentions" and evidence["conflicts"] == []
    assert 0 < evidence["relevance"] < 0.5
    assert body["verdict"] == "unverified" and body["tally"] == {"supports": 0, "contradicts": 0, "mentions": 1}


def test_semantic_candidates_join_the_full_text_ones_without_duplicates(client: FlaskClient) -> None:
    from service.checking import candidate_ids
    from service.db import get_session

    for text in REWORDED_CORPUS:
        client.post("/v1/documents", json={"text": text})
    with client.application.app_context():
        session = get_session()
        lexical = candidate_ids(session, "The museum reopened", semantic=False)
        merged = candidate_ids(session, "The museum reopened", semantic=True)
    assert lexical and merged[: len(lexical)] == lexical
    assert len(merged) == len(set(merged)) > len(lexical)


MENTIONING = {"supports": 0.2, "contradicts": 0.05, "mentions": 0.7, "unrelated": 0.05}
ARGUING = {"supports": 0.3, "contradicts": 0.35, "mentions": 0.3, "unrelated": 0.05}
FERRY = "The ferry to Westholm will stop running for good."


def stances(result: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in result["evidence"]:
        out.setdefault(e["document"]["external_id"], set()).add(e["stance"])
    return out


def test_in_a_headline_a_hedge_against_a_certainty_is_left_to_the_model(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "mentions", MENTIONING, short=True)
    ingest(client, "hedged", "The ferry to Westholm may stop running for good")
    result = check(client, statement=FERRY)
    # a body-length document keeps the rules' "may" vs "will" conflict; a headline reports an open claim
    assert stances(result) == {"hedged": {"mentions"}}
    assert result["evidence"][0]["cues"] == [{"kind": "hedge", "text": "may"}]


def test_a_hedge_conflict_in_a_body_length_document_stays_the_rules_call(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "mentions", MENTIONING)
    ingest(client, "hedged", "The ferry to Westholm may stop running for good")
    result = check(client, statement=FERRY)
    assert stances(result) == {"hedged": {"contradicts"}}
    assert result["evidence"][0]["conflicts"][0]["kind"] == "modality"


def test_a_reporting_headline_only_mentions_the_claim(client: FlaskClient, monkeypatch: Any) -> None:
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    ingest(client, "says", "Ferry to Westholm will stop running for good, harbour master says")
    ingest(client, "plain", "The ferry to Westholm will stop running for good")
    result = check(client, statement=FERRY)
    assert stances(result)["plain"] == {"supports"}
    says = [e for e in result["evidence"] if e["document"]["external_id"] == "says"]
    # the rules' support becomes a mention, and the model's own "supports" is not committed either
    assert [e["stance"] for e in says] == ["mentions"] and says[0]["reason"] == "reported"


def test_a_headline_that_calls_the_claim_false_contradicts_it(client: FlaskClient, monkeypatch: Any) -> None:
    # the model reads the headline as a mention (it shares the claim's words); its refuting word decides
    fake_model(monkeypatch, "mentions", MENTIONING, short=True)
    ingest(client, "debunk", "Harbour master debunks claims the Westholm ferry will stop running")
    result = check(client, statement=FERRY)
    assert stances(result) == {"debunk": {"contradicts"}}
    assert result["evidence"][0]["conflicts"][0]["kind"] == "refutation"


def test_a_statement_that_itself_reports_speech_can_be_supported_by_a_saying_headline(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    ingest(client, "tells", "Harbour master tells crews the Westholm ferry will stop running")
    result = check(client, statement="The harbour master told crews that the Westholm ferry will stop running.")
    assert stances(result) == {"tells": {"supports"}}


def test_a_reporting_headline_is_a_mention_when_the_model_reads_it_so(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "mentions", MENTIONING, short=True)
    ingest(client, "says", "Ferry to Westholm will stop running for good, harbour master says")
    result = check(client, statement=FERRY)
    assert stances(result) == {"says": {"mentions"}}


def test_a_headline_that_hedges_is_not_committed_as_support(client: FlaskClient, monkeypatch: Any) -> None:
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    ingest(client, "probably", "Westholm ferry probably stops running in winter")
    ingest(client, "purported", "Purported timetable shows Westholm ferry stops running in winter")
    result = check(client, statement="The Westholm ferry stops running in winter.")
    assert stances(result) == {"probably": {"mentions"}, "purported": {"mentions"}}


def test_a_headline_without_the_figure_can_still_be_supported_by_the_model(
    client: FlaskClient, monkeypatch: Any
) -> None:
    statement = "The Westholm ferry carried 12,000 passengers in its last summer."
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    ingest(client, "headline", "Record summer for the Westholm ferry and its passengers")
    assert stances(check(client, statement=statement)) == {"headline": {"supports"}}
    # a body-length document that lacks the figure does not confirm it
    fake_model(monkeypatch, "supports", SUPPORTING)
    assert stances(check(client, statement=statement)) == {"headline": {"mentions"}}


def test_a_headline_about_something_else_is_not_committed_as_support(
    client: FlaskClient, monkeypatch: Any
) -> None:
    # stance10: the headline stage never saw a headline about another claim and reads one near
    # the topic as support; one that states neither the figure nor the predicate only names the subject
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    jackets = "A delivery of new life jackets reached the ferries on Monday, and the harbour board thanked the drivers."
    ingest(client, "jackets", jackets)
    result = check(client, statement="The harbour board approved a 3.4 million euro budget for the ferries.")
    assert stances(result) == {"jackets": {"mentions"}}
    assert result["evidence"][0]["reason"] != "model"


def test_an_unsure_support_on_a_headline_the_rules_find_unrelated_is_not_committed(
    client: FlaskClient, monkeypatch: Any
) -> None:
    ingest(client, "pass", "Snow closes the mountain pass above Westholm for a week")
    unsure = {"supports": 0.45, "contradicts": 0.05, "mentions": 0.2, "unrelated": 0.3}
    fake_model(monkeypatch, "supports", unsure, short=True)
    assert "supports" not in stances(check(client, statement=FERRY)).get("pass", set())
    fake_model(monkeypatch, "supports", SUPPORTING, short=True)
    assert stances(check(client, statement=FERRY)) == {"pass": {"supports"}}


def test_a_headline_that_argues_against_the_claim_is_committed_as_an_argument(
    client: FlaskClient, monkeypatch: Any
) -> None:
    fake_model(monkeypatch, "contradicts", ARGUING, short=True)
    ingest(client, "argues", "Westholm ferry keeps sailing all year round and for years to come")
    result = check(client, statement=FERRY)
    assert stances(result) == {"argues": {"contradicts"}}
    assert result["evidence"][0]["conflicts"][0]["kind"] == "argument"


def test_headline_sized_documents_beyond_the_model_cap_are_still_read(
    client: FlaskClient, monkeypatch: Any
) -> None:
    from service import checking

    read: list[list[Any]] = []
    fake_model(monkeypatch, "mentions", MENTIONING, short=True)
    judge = checking._load_document_stance()
    assert judge is not None

    def reading(s: Any, docs: Any, v: Any = None) -> Any:
        read.append(list(docs))
        return judge(s, docs, v)

    monkeypatch.setattr(checking, "_load_document_stance", lambda: reading)
    monkeypatch.setattr(checking, "MODEL_MAX_DOCUMENTS", 1)
    monkeypatch.setattr(checking, "MODEL_MAX_HEADLINE_DOCUMENTS", 10)
    body = "The ferry to Westholm will stop running for good. The harbour is quiet. Nobody knows why. It rained."
    ingest(client, "body-1", body)
    ingest(client, "body-2", body.replace("rained", "snowed"))
    ingest(client, "headline-1", "Ferry to Westholm will stop running for good")
    ingest(client, "headline-2", "The Westholm ferry will stop running for good, sadly")
    check(client, statement=FERRY)
    (documents,) = read
    # the first document within the cap, whatever its size; beyond it only the headline-sized ones
    assert all(len(d) <= checking.HEADLINE_PASSAGES for d in documents[1:])
    headlines = {"Ferry to Westholm will stop running for good", "The Westholm ferry will stop running for good, sadly"}
    assert headlines <= {" ".join(d) for d in documents}
