"""`facts extract` on real documents, the way a user runs it: spans, pages, rules, periods."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import BY_ESP, PAGE_2021, RAW, TRANSPARENCY, corpus_file, facts


@pytest.fixture(scope="module")
def transparency_obs():
    r = facts("extract", "--format", "jsonl", corpus_file(TRANSPARENCY))
    assert r.returncode == 0, r.stderr
    return [json.loads(l) for l in r.stdout.splitlines()]


def _find(obs, **kw):
    hits = [o for o in obs if all(o[k] == v for k, v in kw.items())]
    assert hits, kw
    return hits


def test_spans_slice_back_to_the_surface(ingested, transparency_obs):
    doc = ingested(TRANSPARENCY)
    for o in transparency_obs:
        assert doc.text[o["char_start"]:o["char_end"]] == o["surface"]
        assert o["quote"][o["quote_offset"]:o["quote_offset"] + len(o["surface"])] == o["surface"]
        assert o["rule"] and o["page"] == doc.page_at(o["char_start"])


def test_table_cell_with_year_from_its_column(transparency_obs):
    [o] = _find(transparency_obs, surface="29,397,681", page=4, metric="ncmec.cybertipline.reports")
    assert (o["period_start"], o["period_end"]) == ("2021-01-01", "2021-12-31")
    assert o["kind"] == "table" and o["rule"] == "ncmec.cybertipline.reports.v1"
    assert "Total CyberTipline Reports" in o["quote"] and o["bbox"]


def test_prose_periods_and_footnote(transparency_obs):
    [o] = _find(transparency_obs, surface="32 million", page=3)
    assert o["qualifier"] == "over" and o["period_end"] == "2022-12-31"
    assert not _find(transparency_obs, page=3)[0]["surface"] == "2"  # the footnote mark is no figure
    [o] = _find(transparency_obs, surface="6,827,053")
    assert o["period_end"] == "2023-01-31"  # "As of January 31, 2023" in the sentence before


def test_breakdown_dimensions(transparency_obs):
    [o] = _find(transparency_obs, surface="Actionable: 273,619"[-7:], page=8)
    assert "detail=Actionable" in o["dimensions"] and "Internet Crimes" in o["dimensions"]


def test_document_period_governs_rows_without_a_year():
    r = facts("extract", "--format", "csv", corpus_file(BY_ESP))
    rows = list(csv.DictReader(r.stdout.splitlines()))
    fb = next(x for x in rows if "Facebook" in x["dimensions"])
    assert fb["value"] == "20307216" and fb["period_end"] == "2020-12-31" and fb["page"] == "2"


def test_cumulative_since_and_scale_anomaly():
    r = facts("extract", "--format", "jsonl", "--raw", RAW, RAW / PAGE_2021)
    obs = [json.loads(l) for l in r.stdout.splitlines()]
    [since] = [o for o in obs if o["surface"] == "116 million"]
    assert since["period_type"] == "cumulative" and since["period_start"] == "1998-01-01"
    assert since["period_end"] == "2021-12-31"  # the manifest's as-of date
    [anomaly] = [o for o in obs if o["surface"] == "29,397,681 million"]
    assert "scale_anomaly" in anomaly["flags"] and anomaly["period_end"] == "2021-12-31"
    [male] = [o for o in obs if o["quote"] == "Male 36%"]  # a label/value pair on separate lines
    assert male["value"] == 36 and male["unit"] == "percent"


def test_explain_lists_skipped_numbers_with_reasons():
    r = facts("extract", "--explain", "--raw", RAW, RAW / "002_0a1c537e7b82efe0.txt")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert any("'1-877-446-2632': phone number" in l for l in lines)
    assert any("'1998': year" in l for l in lines)
    obs = facts("extract", "--raw", RAW, RAW / "002_0a1c537e7b82efe0.txt").stdout.splitlines()
    assert obs == []  # a brochure with no statistics


def test_labels_of_bracketed_figures_and_opening_subjects(tmp_path):
    """A figure in brackets is about the words before its bracket; a figure late in a sentence
    about what the sentence opened with; letters of any script are words."""
    doc = tmp_path / "languages.txt"
    doc.write_text("Other major groups include Asian (11.8%) and Pacific peoples (7.4%), and 14.9% as Māori.\n\n"
                   "Samoan is the most widely spoken non-official language, used by 2.2% of residents.\n\n"
                   "The island lies some 2,000 kilometres (1,200 mi) east of Australia.\n", encoding="utf-8")
    r = facts("extract", "--format", "jsonl", doc)
    assert r.returncode == 0, r.stderr
    label = {o["surface"]: o["metric_label"] for o in map(json.loads, r.stdout.splitlines())}
    assert "Asian" in label["11.8%"] and "Pacific peoples" in label["7.4%"]
    assert "Māori" in label["14.9%"]
    assert label["2.2%"].startswith("Samoan")
    assert "Australia" in label["2,000 kilometres"]


def test_words_in_a_table_cell_are_its_breakdown(ingested, extractor):
    """An infobox cell such as '70.2% European' gives the figure and what it is of."""
    doc = ingested("html/wikipedia-new-zealand.html")
    obs = extractor.extract(doc).observations
    [european] = [o for o in obs if o.kind == "table" and o.surface == "70.2%"]
    assert "European" in european.dimensions and european.unit == "percent"


def test_token_patterns_skipped_only_where_they_cannot_match(extractor, corpus_texts):
    """The rule matcher runs a token pattern only on sentences holding the words it requires;
    on every corpus sentence (and ones made to match) it finds what running them all finds."""
    from spacy.matcher import Matcher

    from pipeline.extract.nlp import FIELDS, RuleHit, required_words

    assert required_words([{"LOWER": "a"}, {"OP": "?"}, {"LOWER": {"IN": ["b", "C"]}, "OP": "+"},
                           {"OP": "!", "LOWER": "d"}, {"IS_PUNCT": True}, {"ORTH": "E", "OP": "{2}"}]) == \
        [frozenset({"a"}), frozenset({"b", "c"}), frozenset({"e"})]
    nlp, rules = extractor.nlp, extractor.rules
    every = Matcher(nlp.vocab)
    for ri, rule in enumerate(rules.metric_rules):
        for field in FIELDS:
            tokens = [p.tokens for p in getattr(rule, field) if p.tokens]
            if tokens:
                every.add(f"{ri}:{field}", tokens)
    made = ["NCMEC reviewed more than 1 million images and videos.", "In 2022, 2,000 children were identified.",
            "It received 5,000 requests from law enforcement.", "NGOs added 2 million hashes."]
    keys, matched = extractor.matcher.keys, 0
    for doc in nlp.pipe(made + [t for t in corpus_texts if any(c.isdigit() for c in t)]):
        for sent in doc.sents:
            # the PhraseMatcher counts a span's tokens from the doc's start, the Matcher from the span's
            phrases = [RuleHit(*keys[k], doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
                       for k, s, e in extractor.matcher.phrases(sent)]
            tokens = [RuleHit(*keys[k], sent[s].idx, sent[e - 1].idx + len(sent[e - 1])) for k, s, e in every(sent)]
            assert sorted(extractor.matcher(sent)) == sorted(phrases + tokens), sent.text
            matched += bool(tokens)
    assert matched >= len(made)


def test_extractor_loads_rules_again_only_when_they_change(tmp_path):
    """Workers ask for the extractor once per document: the rules are parsed and validated
    again only when a rules file changes, and a broken one is still an error naming it."""
    import shutil

    from conftest import RULES
    from pipeline.errors import RulesError
    from pipeline.run import get_extractor

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    first = get_extractor(rules)
    assert get_extractor(rules) is first
    metrics = rules / "metrics" / "ncmec.yaml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\n# a reviewer's note\n", encoding="utf-8")
    second = get_extractor(rules)
    assert second is not first and second.rules.hash != first.rules.hash
    (rules / "lexicon.yaml").write_text("qualifiers: [\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        get_extractor(rules)
    assert "lexicon.yaml" in str(err.value)


def test_text_table_cells_take_their_column_year(tmp_path):
    from test_ingest_text import TEXT_TABLE

    p = tmp_path / "report.txt"
    p.write_text(TEXT_TABLE, encoding="utf-8")
    r = facts("extract", "--format", "jsonl", p)
    assert r.returncode == 0, r.stderr
    obs = [json.loads(l) for l in r.stdout.splitlines()]
    by_surface = {o["surface"]: o for o in obs}
    assert by_surface["80,524"]["period_end"] == "2022-12-31"
    assert by_surface["186,819"]["period_end"] == "2023-12-31"
    assert "Online Enticement of Children" in by_surface["186,819"]["dimensions"]
    assert by_surface["186,819"]["kind"] == "table"
    # the column headers' years are no figures
    assert not {"2021", "2022", "2023"} & set(by_surface)
    for o in obs:
        assert o["quote"][o["quote_offset"]:o["quote_offset"] + len(o["surface"])] == o["surface"]
