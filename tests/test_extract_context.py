"""Context a reader uses to date and name a figure: a news item's dateline, a forecast period,
"respectively", parts of a whole, restatements, and what is not a figure at all."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract import SourceMeta
from pipeline.ingest import ingest_file


@pytest.fixture
def extract(tmp_path, extractor):
    def run(text: str, name: str = "doc.md", **meta):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        res = extractor.extract(ingest_file(path), SourceMeta(**meta))
        return {o.surface: o for o in res.observations}
    return run


NEWS = """# Adults living with HIV

24th November 2006

An estimated 63,500 adults are now living with HIV. The campaign has cost just £4 million.
In the late 1990s, around 500 extra people were diagnosed every year.

# Archive

The trust has a £42.5 million debt.
"""


def test_a_news_items_dateline_dates_its_undated_figures(extract):
    obs = extract(NEWS)
    assert obs["63,500"].period_end == date(2006, 11, 24)  # "now"
    cost = obs["£4 million"]
    assert (cost.period_end, cost.period_type, cost.period_inferred) == (date(2006, 11, 24), "as_reported", True)
    assert obs["500"].period_end is None  # "the late 1990s" is no year, and not the dateline's
    assert obs["£42.5 million"].period_end is None  # no dateline over it: never guess


BYLINE = """# Budget boost

Jane Doe
Thursday March 17, 2005
The Daily Paper

From April, the limit rises from £135 to £175 for a family. The government will spend an extra
£260m in the first year. The rise will total 13% over three years. Two years ago it was £120.
"""


def test_relative_periods_of_a_dated_article(extract):
    obs = extract(BYLINE)
    assert obs["£135"].period_end == date(2005, 3, 31)  # holds until April
    assert obs["£175"].period_end == date(2005, 4, 30)  # the April nearest the dateline
    assert obs["£260m"].period_end.year == 2006  # the plan's first year
    assert obs["13%"].period_end.year == 2008  # over the next three years
    assert obs["£120"].period_end.year == 2003
    span = extract("From 2010 to 2020, reports rose from 5,000 to 10,000.\n")
    assert (span["5,000"].period_end.year, span["10,000"].period_end.year) == (2010, 2020)


FORECAST = """# Summary

This summary sets out the fiscal outlook for the next three years, in June years.

The remainder lowers the balance by $245 million, $165 million and $85 million in 2000/01, 2001/02 and
2002/03 respectively. Net worth is stronger by between $650 million and $830 million over the forecast
period. Beyond 1999/2000 revenue growth averages 4.8% a year.

As a percentage of GDP, expenses fall between 1999/2000 and 2002/03 from 35% to 33%.

In dollar terms, over the same period, expenses increase from $36 billion to $39 billion.
"""


def test_forecast_period_respectively_and_the_same_period(extract):
    obs = extract(FORECAST, published=date(1999, 10, 13))
    assert [obs[s].period_end.year for s in ("$245 million", "$165 million", "$85 million")] == [2001, 2002, 2003]
    assert obs["$650 million"].period_end == obs["$830 million"].period_end == date(2003, 6, 30)
    assert obs["4.8%"].period_end.year == 2003  # the years beyond 1999/2000, not 2000
    assert (obs["35%"].period_end.year, obs["33%"].period_end.year) == (2000, 2003)
    assert (obs["$36 billion"].period_end.year, obs["$39 billion"].period_end.year) == (2000, 2003)


def test_without_a_reference_date_the_forecast_period_stays_empty(extract):
    obs = extract(FORECAST)
    assert obs["$650 million"].period_end is None and obs["4.8%"].period_end is None


def test_labels_of_parts_restatements_and_changes(extract):
    obs = extract("The agency estimates that 20,100 (32%) of the 63,500 people living with HIV do not know "
                  "they have the virus. Prevalence among men now stands at 3.2%, or about 1 in 30.\n\n"
                  "In Bulgaria, the numbers living with HIV are even lower - fewer than 500 people have it.\n\n"
                  "Diagnoses of chlamydia rose from 43 cases in 2000, to 91 in 2005.\n\n"
                  "In 1997, 20% of infants were infected. By 2004, the figure stood at just 4%.\n")
    assert "not know" in obs["20,100"].metric_label and "not know" in obs["32%"].metric_label
    assert "living HIV" in obs["63,500"].metric_label
    assert obs["1 in 30"].metric_label == obs["3.2%"].metric_label
    assert "Bulgaria" in obs["500"].metric_label
    assert obs["91"].metric_label == obs["43"].metric_label and "chlamydia" in obs["43"].metric_label
    assert obs["4%"].metric_label == obs["20%"].metric_label


def test_a_qualifier_governs_the_list_it_opens(extract):
    obs = extract("Families will receive up to £63 a week for the first child and £111 a week for two. "
                  "The payment is worth £40 a week up to a maximum of £2,000.\n")
    assert obs["£63"].qualifier == obs["£111"].qualifier == "under"
    assert obs["£2,000"].qualifier == "under"


def test_names_times_and_years_are_not_figures(extract):
    obs = extract("A report by Channel 4 News was aired on Channel 4, Five and others. Events run from "
                  "12 to 3pm, before the 9 o'clock watershed. Text SMILE to 81156. Reports rose from 43 in "
                  "2000 to 182 in 2005.\n")
    assert set(obs) == {"43", "182"}
    assert obs["43"].unit == "count" and obs["43"].period_end.year == 2000
    listed = extract("Diagnoses by region: London 450, Leeds 120. Rent is £500 pm.\n")
    assert set(listed) == {"450", "120", "£500"}  # places and their counts, a monthly rent


def test_a_sentence_that_points_back_reads_on_from_the_one_before(extract):
    obs = extract("The 1998/99 operating balance of $1.8 billion was boosted by large one-off items. Excluding "
                  "the one-off items, the operating balance was around $150 million.\n\n"
                  "Life expectancy is forecast to reach 85 years in 2050. The fertility rate of 2.1 is high.\n")
    assert obs["$150 million"].period_end.year == 1999
    assert obs["2.1"].period_end is None  # another subject, after a projection


def test_a_page_that_declares_itself_an_article_is_dated_by_its_metadata(extract):
    head = '<html><head><meta property="article:published_time" content="2024-05-02T09:00:00Z">{}</head>'
    body = "<body><h1>Shelter numbers</h1><p>The charity houses 1,250 families.</p></body></html>"
    article = extract(head.format('<meta property="og:type" content="article">') + body, name="a.html")
    assert article["1,250"].period_end == date(2024, 5, 2) and article["1,250"].period_inferred
    page = extract(head.format("") + body, name="b.html")
    assert page["1,250"].period_end is None  # a dated page is not a dated report of its figures


def test_a_news_page_with_a_byline(extract):
    page = """<html><body><nav><a href="/">Home</a></nav><article>
<h1>Thousands evacuated as river bursts its banks</h1>
<p>By Jane Smith<br>Sunday 12 March 2023</p>
<p>More than 1,200 people were evacuated on Sunday after the river rose 2.3 metres overnight.</p>
<p>Last year, floods damaged 4,500 homes. In January, 300 homes were flooded.</p>
<p>Rainfall was 40% above the 1991-2020 average, the Met Office said.</p>
</article></body></html>"""
    obs = extract(page, name="flood.html")
    assert obs["1,200"].period_end == date(2023, 3, 12) and obs["1,200"].period_type == "as_reported"
    assert "river rose" in obs["2.3 metres"].metric_label and "river" not in obs["1,200"].metric_label
    assert obs["4,500"].period_end.year == 2022
    assert (obs["300"].period_start, obs["300"].period_end) == (date(2023, 1, 1), date(2023, 1, 31))
    assert obs["40%"].period_end == date(2023, 3, 12)  # 1991-2020 is the baseline, not the period


def test_a_year_that_dates_another_event_is_not_the_figures_period(extract):
    obs = extract("The charity, founded by two parents in 1984, said its hotline took 29.3 million calls. "
                  "Over 99 percent of the calls came from the public.\n\n"
                  "Team Blue was launched in 2003 and has deployed 1,200 times.\n")
    for surface in ("29.3 million", "99 percent", "1,200 times"):
        assert obs[surface].period_end is None, surface


def test_a_clause_that_opens_with_a_period_governs_the_figures_after_it(extract):
    obs = extract("In 2020, the hotline took 21,669,264 calls, while in 2021, it took 29,309,106 calls, "
                  "an increase of 35.3 percent. In 2022, it took 32 million calls, up from 29.3 million in "
                  "2021, and 88 million messages.\n")
    assert obs["21,669,264"].period_end == date(2020, 12, 31)
    assert obs["29,309,106"].period_end == date(2021, 12, 31)
    assert obs["35.3 percent"].period_end == date(2021, 12, 31)
    assert obs["88 million"].period_end == date(2022, 12, 31)  # not the "in 2021" of 29.3 million


def test_a_line_that_introduces_the_figure_below_it_labels_and_dates_it(extract):
    obs = extract("Number of missing child reports made to the police in 2019:\n\n421,387\n\n"
                  "The team has so far assisted in165 identifications.\n")
    o = obs["421,387"]
    assert o.period_end == date(2019, 12, 31) and "missing child reports" in o.metric_label
    assert obs["165"].value == 165  # "in165": a word glued to the figure


def test_a_day_in_a_heading_dates_the_item_and_a_base_keeps_its_own_period(extract):
    obs = extract("# Economic indicators, March 3rd 2005\n\n"
                  "GDP in Australia grew by 0.1% in the fourth quarter of last year. That left GDP 1.5% higher "
                  "than a year earlier, down from annual growth of 4.5% in the fourth quarter of 2003.\n\n"
                  "Unemployment in France rose to 10.0% in January.\n\n"
                  "Gonorrhoea fell by 13% to 19,392 cases in 2005.\n")
    assert obs["0.1%"].period_end.year == 2004  # "last year", from the heading's date
    assert obs["4.5%"].period_end == date(2003, 12, 31)
    assert obs["1.5%"].period_end is None  # not the 2003 of the figure it is compared with
    assert obs["10.0%"].period_end == date(2005, 1, 31)
    assert obs["13%"].period_end == obs["19,392"].period_end == date(2005, 12, 31)  # a change and its result
    obs = extract("During 2004 the trust answered 12,345 calls, 8% more than in 2003.\n")
    assert obs["8%"].period_end == date(2004, 12, 31)  # "than in 2003" is what it is compared with
