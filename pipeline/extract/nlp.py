"""The spaCy pipeline: tokenizer, sentencizer and the metric rules' matchers.

`spacy.blank("en")` is enough and works offline; set FACTPIPE_SPACY_MODEL to a trained pipeline
(e.g. en_core_web_sm) to use it instead. The model is an optional extra, never required.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .rules import RuleSet

FIELDS = ("patterns", "context", "exclude")


def build_nlp():
    name = os.environ.get("FACTPIPE_SPACY_MODEL")
    if name:
        nlp = spacy.load(name, exclude=["ner", "lemmatizer", "textcat"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    return nlp


@dataclass
class RuleHit:
    rule: int  # index into RuleSet.metric_rules
    field: str  # patterns, context, exclude
    start: int  # character span in the doc
    end: int


class RuleMatcher:
    """All metric rule patterns in one PhraseMatcher and one Matcher; hits by rule and field."""

    def __init__(self, nlp, rules: RuleSet):
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.keys: dict[int, tuple[int, str]] = {}
        for ri, rule in enumerate(rules.metric_rules):
            for field in FIELDS:
                phrases = [p.phrase for p in getattr(rule, field) if p.phrase]
                tokens = [p.tokens for p in getattr(rule, field) if p.tokens]
                key = f"{ri}:{field}"
                kid = nlp.vocab.strings.add(key)
                self.keys[kid] = (ri, field)
                if phrases:
                    self.phrases.add(key, [nlp.make_doc(p) for p in phrases])
                if tokens:
                    self.tokens.add(key, tokens)

    def __call__(self, doc: Doc) -> list[RuleHit]:
        hits = []
        for matcher in (self.phrases, self.tokens):
            for kid, s, e in matcher(doc):
                ri, field = self.keys[kid]
                hits.append(RuleHit(ri, field, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])))
        return hits
