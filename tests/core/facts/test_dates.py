"""Dates: years, seasons, months and days, and relative dates resolved against publication."""

from __future__ import annotations

from datetime import date

from service.core.facts.dates import compare_dates, extract_dates


def one_date(text: str, reference: date | None = None):  # type: ignore[no-untyped-def]
    found = extract_dates(text, reference)
    assert len(found) == 1, found
    return found[0]


def test_dates_read_year_season_month_and_day() -> None:
    d = one_date("slated for the spring of 2026")
    assert (d.year, d.season, d.month) == (2026, "spring", None)
    d = one_date("published 04 Dec 2025")
    assert (d.year, d.month, d.day) == (2025, 12, 4)
    assert one_date("left in November").month == 11
    assert one_date("in 2023").kind == "year"


def test_may_the_modal_is_not_a_month() -> None:
    assert extract_dates("It May be launched later") == []


def test_season_years_conflict_and_undated_relative_season_agrees() -> None:
    stated = one_date("in spring 2026")
    assert compare_dates(stated, one_date("in spring 2027")) == "conflict"
    assert compare_dates(stated, one_date("sometime next spring")) == "match"
    assert compare_dates(stated, one_date("in the autumn of 2026")) == "conflict"


def test_relative_dates_resolve_against_the_publication_date() -> None:
    stated = one_date("in spring 2026")
    assert compare_dates(stated, one_date("next spring", date(2025, 12, 4))) == "match"
    assert compare_dates(stated, one_date("next spring", date(2024, 11, 1))) == "conflict"
    assert one_date("next year", date(2025, 3, 1)).year == 2026


def test_months_conflict_and_missing_year_is_no_conflict() -> None:
    assert compare_dates(one_date("in November 2025"), one_date("in December 2025")) == "conflict"
    assert compare_dates(one_date("in November 2025"), one_date("In November,")) == "match"
    assert compare_dates(one_date("in April 2025"), one_date("in 2023")) == "conflict"


def test_only_relative_dates_depend_on_the_publication_date() -> None:
    from datetime import date

    from service.core.facts.dates import extract_dates, has_relative_date

    fixed = "The plant opened in March 2024 and closed on 5 May 2025, in the 2025 season."
    relative = "The plant will open next spring, a year after it closed last March."
    assert not has_relative_date(fixed) and has_relative_date(relative)
    assert extract_dates(fixed, date(2020, 1, 1)) == extract_dates(fixed, date(2026, 6, 1)) == extract_dates(fixed)
    assert extract_dates(relative, date(2020, 1, 1)) != extract_dates(relative, date(2026, 6, 1))


def test_the_relative_date_shortcut_agrees_with_the_full_reading() -> None:
    from service.core.facts.dates import extract_dates, has_relative_date

    texts = [
        "Sales fell last year.", "Earlier this March the plant closed.", "It opens in mid-summer 2026.",
        "The vote is next Tuesday in May.", "He spoke at length about the budget.", "Next spring it reopens.",
        "late-winter storms", "The 2024 season ended in October.", "They met this week.",
    ]
    for text in texts:
        assert has_relative_date(text) == any(d.relative is not None for d in extract_dates(text)), text
