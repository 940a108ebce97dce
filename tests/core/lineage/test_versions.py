"""Version labels of wire updates order the versions of one story."""

from __future__ import annotations

from service.core.lineage.versions import version_label, version_order

HEADLINE = "Harlow Foods to shut its Castlemere bakery, cutting 300 jobs"


def test_labels_are_recognised_by_their_form_and_stack() -> None:
    assert version_label(HEADLINE) == (0.0, HEADLINE)
    assert version_label(f"UPDATE 3-{HEADLINE}") == (3.0, HEADLINE)
    assert version_label(f"CORRECTED-{HEADLINE}") == (0.5, HEADLINE)
    assert version_label(f"REFILE-UPDATE 2-{HEADLINE}") == (2.5, HEADLINE)


def test_versions_of_one_headline_are_ordered_by_their_labels() -> None:
    assert version_order(HEADLINE, f"UPDATE 1-{HEADLINE}") == 1
    assert version_order(f"UPDATE 2-{HEADLINE}", f"UPDATE 1-{HEADLINE}") == -1
    assert version_order(f"UPDATE 1-{HEADLINE}", f"CORRECTED-UPDATE 1-{HEADLINE}") == 1


def test_an_upper_case_word_in_another_headline_orders_nothing() -> None:
    assert version_order("NASA-Funded probe finds ice near the lunar pole", "Funded probe finds ice near the pole") == 0
    assert version_order(HEADLINE, "UPDATE 1-Harlow Foods reports record quarterly sales") == 0
    assert version_order(HEADLINE, HEADLINE) == 0
