"""Period expressions and how a figure gets its period (never a guess)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.periods import Period, find_mentions, parse_point, resolve_relative


@pytest.mark.parametrize("text, start, end", [
    ("2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("CY 2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("CY2022", date(2022, 1, 1), date(2022, 12, 31)),
    ("2000/01", date(2000, 7, 1), date(2001, 6, 30)),
    ("1999/2000", date(1999, 7, 1), date(2000, 6, 30)),
    ("2006/7", date(2006, 7, 1), date(2007, 6, 30)),
    ("FY 2005-06", date(2005, 7, 1), date(2006, 6, 30)),
    ("Dec. 31, 2021", date(2021, 12, 31), date(2021, 12, 31)),
    ("11th November 2012", date(2012, 11, 11), date(2012, 11, 11)),
    ("June, 2012", date(2012, 6, 1), date(2012, 6, 30)),
    ("12/31/2021", date(2021, 12, 31), date(2021, 12, 31)),
])
def test_parse_point(text, start, end):
    p = parse_point(text)
    assert (p.start, p.end) == (start, end)


def _kinds(text):
    return [(m.kind, m.period.start if m.period else None, m.period.end if m.period else None, m.role)
            for m in find_mentions(text)]


def test_ranges_since_and_as_of():
    assert _kinds("between 1998 and June, 2012 indicates") == [("range", date(1998, 1, 1), date(2012, 6, 30), "")]
    assert _kinds("Children Intaked Between 1/1/2021 and 12/31/2021") == [
        ("range", date(2021, 1, 1), date(2021, 12, 31), "")]
    assert _kinds("since we began tracking in 2005") == [("since", date(2005, 1, 1), date(2005, 12, 31), "since")]
    assert _kinds("as of Dec. 31, 2021.") == [("as_of", None, date(2021, 12, 31), "")]
    assert _kinds("in the year to March 2000")[0][1:3] == (date(1999, 4, 1), date(2000, 3, 31))


def test_comparison_base_is_not_the_period():
    assert _kinds("Reports of videos increased more than 40% from 2020.")[0][3] == "base"
    assert _kinds("an increase of 5.3% over the 2006 figure")[0][3] == "base"
    assert _kinds("303,299 reports from 2020 came from the public")[0][3] == ""  # no change word: it is the period


def test_no_dates_inside_web_addresses():
    assert find_mentions("see http://www.ecpat.org/wp-content/uploads/2018/03/report.pdf") == []


def test_relative_periods_resolve_against_the_reference():
    [m] = find_mentions("last year")
    assert resolve_relative(m, date(2006, 11, 24), None) == Period(date(2005, 1, 1), date(2005, 12, 31), "calendar_year")
    [m] = find_mentions("now")
    assert resolve_relative(m, date(2006, 11, 24), None).end == date(2006, 11, 24)
    assert resolve_relative(m, None, None) is None  # no reference date: no period


def test_period_patterns_run_where_they_can_match_and_find_what_whole_text_scans_find(corpus_texts):
    """Period patterns run only at their start strings, or near a year, and only on texts
    holding a string they need; on real text that finds what scanning the whole text finds."""
    from pipeline.extract.numbers import digit_windows, finditer_in
    from pipeline.extract.periods import _YEARISH, PATTERNS, RELATIVE_KINDS, _Starts, finditer_at
    for text in corpus_texts:
        starts = _Starts(text.lower())
        for p in PATTERNS:
            whole = [m.span() for m in p.rx.finditer(text)]
            for a, b in whole:
                assert p.needs is None or any(t in text[a:b].lower() for t in p.needs), (p.kind, text[a:b])
                assert not p.starts or text[a:b].lower().startswith(p.starts), (p.kind, text[a:b])
            if p.starts:
                assert [m.span() for m in finditer_at(p.rx, text, starts.of(p))] == whole, p.kind
            elif p.kind not in RELATIVE_KINDS:
                windows = digit_windows(text, _YEARISH, *p.near)
                assert [m.span() for m in finditer_in(p.rx, text, windows)] == whole, p.kind


def test_years_end_month_starts_a_word():
    from pipeline.extract.prose_periods import years_end
    assert years_end("All figures are for June years unless stated.").group(1) == "June"
    assert years_end("MidJune years, then March years").group(1) == "March"
    assert years_end("no such years here") is None


def test_relative_periods_are_found_far_from_any_year():
    text = "Figures for 2019 are final. " + "The network kept growing through many quiet months. " * 3 + \
        "It began two years ago with 40 members."
    assert [m.kind for m in find_mentions(text)] == ["point", "ago"]


def test_a_comparison_base_and_an_other_events_year_have_their_roles():
    roles = {m.text: m.role for m in find_mentions(
        "590 homicides, a 15% decrease from the year ending March 2022 (696); compared with the year ending "
        "March 2020, and the charity, founded in 1984, counted them")}
    assert [r for t, r in roles.items() if "2022" in t] == ["base"]
    assert [r for t, r in roles.items() if "2020" in t] == ["base"]
    assert [r for t, r in roles.items() if "1984" in t] == ["event"]



@pytest.mark.parametrize("text, start, end", [
    ("grew 0.2 per cent for the March quarter 2004", date(2004, 1, 1), date(2004, 3, 31)),
    ("annual growth of 4.5% in the fourth quarter of 2003", date(2003, 10, 1), date(2003, 12, 31)),
    ("Labour Productivity, Q1 2013", date(2013, 1, 1), date(2013, 3, 31)),
    ("the 2012 Q4 estimate", date(2012, 10, 1), date(2012, 12, 31)),
])
def test_quarters(text, start, end):
    [m] = find_mentions(text)
    assert (m.kind, m.period.start, m.period.end) == ("quarter", start, end)
