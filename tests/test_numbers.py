"""The number scanner: every form a reader sees as a quantity, and the numbers that are not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RULES
from pipeline.extract.numbers import Scanner
from pipeline.extract.rules import load_rules


@pytest.fixture(scope="module")
def scanner():
    return Scanner(load_rules(RULES).lexicon)


@pytest.fixture(scope="module")
def scan(scanner):
    def run(text, **kw):
        return scanner.scan(text, **kw)

    return run


def one(scan, text, **kw):
    qs, _ = scan(text, **kw)
    assert len(qs) == 1, [(q.surface, q.value) for q in qs]
    return qs[0]


@pytest.mark.parametrize("text, surface, value, unit, qualifier", [
    ("received 29,397,681 reports", "29,397,681", 29397681, "count", "exact"),
    ("it received over\n32 million.", "32 million", 32e6, "count", "over"),  # a PDF line break
    ("In 2022, 630 000 people died", "630 000", 630_000, "count", "exact"),
    ("an estimated 1 300 000 people", "1 300 000", 1_300_000, "count", "about"),
    ("more than 21.7 million reports", "21.7 million", 21_700_000, "count", "over"),
    ("1.2 billion files", "1.2 billion", 1.2e9, "count", "exact"),
    ("half a million people", "half a million", 500_000, "count", "exact"),
    ("93.5% of our reports", "93.5%", 93.5, "percent", "exact"),
    ("78 percent of parents", "78 percent", 78, "percent", "exact"),
    ("six per cent reported", "six per cent", 6, "percent", "exact"),
    ("1 in 6 were likely victims", "1 in 6", 1 / 6, "ratio", "exact"),
    ("One in three English teens", "One in three", 1 / 3, "ratio", "exact"),
    ("more than nine in 10 had", "nine in 10", 0.9, "ratio", "over"),
    ("it cost £4 million", "£4 million", 4e6, "gbp", "exact"),
    ("exports to China ( NZ$ 27.8b)", "NZ$ 27.8b", 27.8e9, "nzd", "exact"),
    ("a budget of $1,460 million", "$1,460 million", 1.46e9, "usd", "exact"),
    ("an extra £260m in the first year", "£260m", 2.6e8, "gbp", "exact"),
    ("worth €12 a day", "€12", 12, "eur", "exact"),
    ("just 80p a week", "80p", 0.8, "gbp", "exact"),
    ("around 2½% in the year", "2½%", 2.5, "percent", "about"),
    ("at least 30 PCTs", "30", 30, "count", "over"),
    ("nearly 400 employees", "400", 400, "count", "about"),
    ("approximately 70% were from abroad", "70%", 70, "percent", "about"),
    ("up to £63 a week", "£63", 63, "gbp", "under"),
    ("less than 0.1% of the population", "0.1%", 0.1, "percent", "under"),
    ("fewer than 500 people", "500", 500, "count", "under"),
    ("New Zealand has six international airports", "six", 6, "count", "exact"),
    ("The CyberTipline has received over82 million reports", "82 million", 82e6, "count", "over"),
    ("reviewed Over19,100victims", "19,100", 19100, "count", "over"),
    ("NCMEC CONNECT has over 20,000users.", "20,000", 20000, "count", "over"),
    ("268,021 km 2 of land", "268,021 km 2", 268021, "km2", "exact"),
    ("and 20k new jobs were created", "20k", 20000, "count", "exact"),
    ("about 3m people live there", "3m", 3e6, "count", "about"),
    ("population\u00a0of 4,933,210\u00a0people", "4,933,210", 4933210, "count", "exact"),
])
def test_quantities(scan, text, surface, value, unit, qualifier):
    q = one(scan, text)
    assert (q.surface, q.unit, q.qualifier) == (surface, unit, qualifier)
    assert q.value == pytest.approx(value)


def test_range_shares_scale_and_qualifier(scan):
    qs, _ = scan("lower by between $100 and $300 million")
    assert [q.value for q in qs] == [1e8, 3e8]
    qs, _ = scan("around 25 to 20 members of the clergy")
    assert [(q.value, q.qualifier) for q in qs] == [(25, "about"), (20, "about")]
    qs, _ = scan("a target of 45,000–50,000 approvals")
    assert [q.value for q in qs] == [45000, 50000]
    qs, _ = scan("between 5 and 10% of adults")
    assert [(q.value, q.unit) for q in qs] == [(5, "percent"), (10, "percent")]


def test_a_change_and_its_result_are_no_range(scan):
    qs, _ = scan("Fraud offences fell by 13% to 3.5 million")
    assert [(q.value, q.unit) for q in qs] == [(13, "percent"), (3.5e6, "count")]
    qs, _ = scan("rose from 12% to 3.4 million households")  # no unit in common: two figures
    assert [(q.value, q.unit) for q in qs] == [(12, "percent"), (3.4e6, "count")]


def test_scale_anomaly_kept_as_written(scan):
    q = one(scan, "the CyberTipline received 29,397,681 million reports")
    assert q.value == 29397681e6 and "scale_anomaly" in q.flags


def test_glued_footnote_after_a_sentence(scan):
    qs, skipped = scan("not yet reached puberty.378% of reports regarding online enticement4 involved girls")
    assert [(q.surface, q.value) for q in qs] == [("78%", 78)]
    assert {(s.surface, s.reason.split(" (")[0]) for s in skipped} >= {("3", "footnote marker"), ("4", "footnote marker")}


def test_table_brackets_are_negative(scan):
    assert one(scan, "(0.4)", table=True).value == -0.4
    assert one(scan, "(5,699)", table=True).value == -5699


@pytest.mark.parametrize("text", ["ranked fourth in the world", "tens of millions of reports", "the seventh best",
                                  "a tennis court", "hundreds of cases"])
def test_number_words_inside_longer_words_are_not_numbers(scan, text):
    qs, skipped = scan(text)
    assert not qs and not skipped, ([q.surface for q in qs], [s.surface for s in skipped])


@pytest.mark.parametrize("text, reason", [
    ("In 2021, nothing", "year"),
    ("call 1-877-446-2632, ext 6702", "phone"),
    ("Tel: 01677 460168", "phone"),
    ("1-800-THE-LOST (1-800-843-5678)", "phone"),
    ("as of Dec. 31, 2021 nothing", "date"),
    ("on 7 May 1856 nothing", "date"),
    ("e-mail team2021@ncmec.org now", "email"),
    ("see http://example.org/2018/03/report-5.pdf now", "URL"),
    ("ranked ( 75th ) in area", "ordinal"),
    ("(1) the number of reports", "enumerator"),
    ("see 18 U.S.C. § 2258A(b)(4).", "citation"),
    ("Public Law 117-103 states", "identifier"),
    ("in Figure 3 we show", "identifier"),
    ("a 6-year-old boy", "age"),
    ("available 24 hours a day", "duration"),
    ("COVID-19 restrictions", "name or code"),
    ("MD5 hashes", "name or code"),
    ("Calling code +64", "signed code"),
    ("version 3.2.21.P of the site", "version"),
    ("4,933,210[5] people", "footnote"),
    ("at 333 John Carlyle Street, Alexandria", "street address"),
    ("type the 4 digit code below", "digits"),
    ("see Form 2 for details", "identifier"),
    ("identified 24,500 child victims.2 In 2022 it grew", "footnote"),
    ("images since 2002.1Law enforcement", "footnote"),
    ("Complaint statistics ................ 7", "dot leader"),
    ("an article on her top-ten favourite songs", "rank"),
    ("the top 5 companies reported", "rank"),
    ("no more than it did three or four years ago", "duration"),
    ("amongst 18 to 24-year-olds", "duration"),
    ("Registered charity 123456.", "identifier"),
    ("11.2 deaths per 100,000 population", "base of a rate"),
])
def test_non_quantities(scan, text, reason):
    qs, skipped = scan(text)
    assert not [q for q in qs if q.unit == "count" and q.value in (2021, 1856, 6702, 460168, 19, 5, 64, 75, 1, 18, 117, 3, 6, 24, 2018,
                                                                   333, 4, 2, 2002.1, 7, 10, 18, 123456, 100000)], \
        [(q.surface, q.value) for q in qs]
    assert any(reason.lower() in s.reason.lower() for s in skipped), [(s.surface, s.reason) for s in skipped]


def test_markers_from_ingestion_are_skipped(scan):
    text = "it received over 32 million. 2 Appendix A"
    i = text.index("2 Appendix")
    qs, skipped = scan(text, markers=[(i, i + 1)])
    assert [q.value for q in qs] == [32e6]
    assert any(s.reason == "footnote marker" and s.surface == "2" for s in skipped)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", " ", "\u202f"]))
def test_formatted_integers_parse_back(scan, n, sep):
    text = f"they counted {n:,} cases".replace(",", sep)  # "21,751,085", "21 751 085"
    qs, skipped = scan(text)
    if 1600 <= n <= 2100:  # a bare 4-digit number in that range reads as a year: not a figure
        return
    assert [q.value for q in qs] == [n], (text, [(s.surface, s.reason) for s in skipped])


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("million", 1e6), ("billion", 1e9), ("%", 1), (" percent", 1)]))
def test_decimals_with_scale_parse_back(scan, whole, tenth, scale):
    word, mult = scale
    sep = "" if word.startswith(("%", " ")) else " "
    text = f"a total of {whole:,}.{tenth}{sep}{word} items"
    qs, _ = scan(text)
    assert len(qs) == 1
    assert qs[0].value == pytest.approx((whole + tenth / 10) * mult, rel=1e-12)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.integers(min_value=0, max_value=10**10).map(lambda n: f"{n:,}"),
                 st.integers(min_value=0, max_value=10**6).map(str),
                 st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:,.2f}")),
       st.sampled_from(["", "%", " %"]), st.sampled_from(["", " ", "\n"]), st.booleans())
def test_plain_cell_shortcut_agrees_with_full_scan(scanner, n, pct, pad, table):
    """The shortcut for one plain figure gives what the full scan gives."""
    text = f"{pad}{n}{pct}{pad}"
    fast, slow = scanner.scan(text, table=table), scanner._scan(text, table=table, markers=())
    assert [(q.start, q.end, q.value, q.unit, q.qualifier) for q in fast[0]] == \
        [(q.start, q.end, q.value, q.unit, q.qualifier) for q in slow[0]]
    assert [(s.surface, s.reason) for s in fast[1]] == [(s.surface, s.reason) for s in slow[1]]


def test_patterns_tried_only_at_digits_find_what_whole_text_scans_find(scanner, corpus_texts):
    """Trying the numeral, phone and footnote patterns only just before and over runs of digits,
    and the ratio pattern only near "in" / "out of", changes nothing, on real text."""
    from pipeline.extract.numbers import (_DIGIT_RUN, _GLUED_NOTE, _IN_OUT_OF, _NOTE_NUMBER, _PHONE, digit_windows,
                                          finditer_in, finditer_runs)
    made = "-$.5 and NZ$ 3 and 1,234,56789 and 630 000 and ½ and US$-4, call +64 (09) 123 4567, puberty.378% Ibid.3 – x"
    for text in corpus_texts + [made]:
        runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
        for rx, reach in ((scanner.rx, scanner.reach), (_PHONE, 1), (_NOTE_NUMBER, 0), (_GLUED_NOTE, 1)):
            assert [m.span() for m in finditer_runs(rx, text, runs, reach)] == [m.span() for m in rx.finditer(text)]
        near_in = digit_windows(text.lower(), _IN_OUT_OF, before=16, after=40)
        spans = [m.span() for m in finditer_in(scanner.ratio_rx, text, near_in)]
        assert spans == [m.span() for m in scanner.ratio_rx.finditer(text)]
