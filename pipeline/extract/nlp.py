"""The spaCy pipeline: tokenizer, sentencizer and the metric rules' matchers.

`spacy.blank("en")` is enough and works offline; set FACTPIPE_SPACY_MODEL to a trained pipeline
(e.g. en_core_web_sm) to use it instead. The model is an optional extra, never required.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

import numpy
import spacy
from spacy.attrs import IS_PUNCT, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .rules import RuleSet

FIELDS = ("patterns", "context", "exclude")


def build_nlp():
    name = os.environ.get("FACTPIPE_SPACY_MODEL")
    if name:
        nlp = spacy.load(name, exclude=["ner", "lemmatizer", "textcat"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("factpipe_sentencizer")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("factpipe_sentencizer")
    return nlp


class RuleHit(NamedTuple):
    rule: int  # index into RuleSet.metric_rules
    field: str  # patterns, context, exclude
    start: int  # character span in the doc
    end: int


class RuleMatcher:
    """All metric rule patterns: one PhraseMatcher, and a Matcher per rule field with token
    patterns, run only on texts holding a word for each token its patterns cannot match
    without (the Matcher costs per token and pattern; most sentences hold none of them)."""

    def __init__(self, nlp, rules: RuleSet):
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens: list[tuple[list[list[frozenset[int]]], Matcher]] = []  # (gates, matcher)
        self.keys: dict[int, tuple[int, str]] = {}
        strings = nlp.vocab.strings
        for ri, rule in enumerate(rules.metric_rules):
            for field in FIELDS:
                phrases = [p.phrase for p in getattr(rule, field) if p.phrase]
                tokens = [p.tokens for p in getattr(rule, field) if p.tokens]
                key = f"{ri}:{field}"
                kid = strings.add(key)
                self.keys[kid] = (ri, field)
                if phrases:
                    self.phrases.add(key, [nlp.make_doc(p) for p in phrases])
                if tokens:
                    matcher = Matcher(nlp.vocab)
                    matcher.add(key, tokens)
                    gates = [[frozenset(strings.add(w) for w in words) for words in required_words(t)] for t in tokens]
                    self.tokens.append((gates, matcher))

    def __call__(self, doclike) -> list[RuleHit]:
        """Hits in a Doc or a Span (a sentence), with character offsets into the Doc."""
        is_span = isinstance(doclike, Span)
        doc = doclike.doc if is_span else doclike
        base = doclike.start if is_span else 0
        lower = doc.user_data.get("factpipe.lower")  # each token's LOWER id, once per Doc
        if lower is None:
            lower = doc.user_data["factpipe.lower"] = doc.to_array(LOWER).tolist()
        words = set(lower[base:base + len(doclike)])
        # on a Span, the Matcher counts tokens from the span's start, the PhraseMatcher from the doc's
        runs = [(self.phrases, 0)] + [(m, base) for gates, m in self.tokens if _may_match(gates, words)]
        hits = []
        for matcher, offset in runs:
            for kid, s, e in matcher(doclike):
                ri, field = self.keys[kid]
                first, last = doc[offset + s], doc[offset + e - 1]
                hits.append(RuleHit(ri, field, first.idx, last.idx + len(last)))
        return hits


def _may_match(gates: list[list[frozenset[int]]], words: set[int]) -> bool:
    """Whether the words hold, for some pattern, a word of each token it requires."""
    for gate in gates:
        for ids in gate:
            if ids.isdisjoint(words):
                break
        else:
            return True
    return False


_REQUIRED_OP = re.compile(r"\+|\{[1-9]\d*(?:,\d*)?\}")  # one or more of the token


def required_words(pattern: list[dict]) -> list[frozenset[str]]:
    """For each token a Matcher pattern cannot match without, the lower-cased words it may be
    (its LOWER, ORTH or TEXT value or IN list): a text without one of them cannot match.
    Tokens given by other attributes say nothing."""
    out = []
    for spec in pattern:
        op = spec.get("OP")
        if op is not None and not _REQUIRED_OP.fullmatch(op):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = spec.get(attr)
            if isinstance(value, str):
                out.append(frozenset([value.lower()]))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                out.append(frozenset(str(v).lower() for v in value["IN"]))
    return out


@Language.component("factpipe_sentencizer")
def fast_sentencizer(doc: Doc) -> Doc:
    """Sentence starts after '.', '!' or '?' and the closing quotes or brackets that follow
    them (token arrays instead of spaCy's token-by-token Sentencizer)."""
    n = len(doc)
    if n == 0:
        return doc
    arr = doc.to_array([ORTH, IS_PUNCT, SPACY])
    starts = numpy.full(n, -1, dtype=numpy.int64)
    starts[0] = 1
    orth, punct, spaced = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    end_ids, closing = _ids(doc.vocab, _ENDS), _ids(doc.vocab, _CLOSING)
    for i in [i for i, o in enumerate(orth[:-1]) if o in end_ids]:
        # closing quotes and brackets written against the end ('needed."') stay with it; the next
        # sentence starts after them, at an opening quote too ('HPA. "The'), but not at other
        # punctuation written against it ("etc.,")
        j = i + 1
        while j < n and orth[j] in closing and not spaced[j - 1]:
            j += 1
        if j < n and not (punct[j] and not spaced[j - 1]):
            starts[j] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1).astype(numpy.uint64))
    return doc


_ENDS = (".", "!", "?", "...", "…")
_CLOSING = ('"', "'", "”", "’", ")", "]", "»")


def _ids(vocab, strings: tuple[str, ...]) -> frozenset[int]:
    key = (id(vocab), strings)
    ids = _ID_CACHE.get(key)
    if ids is None:
        ids = _ID_CACHE[key] = frozenset(vocab.strings.add(p) for p in strings)
    return ids


_ID_CACHE: dict[tuple, frozenset[int]] = {}
