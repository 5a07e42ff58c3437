"""The word lists the number scanner and period resolver use, loaded from rules/lexicon.yaml."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

QualifierClass = Literal["over", "about", "under"]


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    qualifiers: dict[QualifierClass, list[str]] = Field(
        description="words before a number that qualify it, by class")
    scales: dict[str, float] = Field(description="scale words after a number: million -> 1e6")
    short_scales: dict[str, float] = Field(
        default_factory=dict, description="abbreviations glued to a number: 1bn, 260m, 27.8b")
    currency_prefixes: dict[str, str] = Field(description="symbol or code before a number -> unit")
    currency_suffixes: dict[str, str] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict, description="unit words after a number -> unit id")
    glued_prefixes: list[str] = Field(
        default_factory=list, description="words that may be glued to a number: over82, than5")
    identifier_words: list[str] = Field(
        default_factory=list, description="words before a number that make it an identifier: Figure 1")
    count_nouns: list[str] = Field(
        default_factory=list, description="nouns that make a 4-digit number a count: 1504 children")
    not_count_nouns: list[str] = Field(default_factory=list)
    duration_measures: list[str] = Field(
        default_factory=list, description="phrases that make a duration a statistic: life expectancy")

    @field_validator("scales", "short_scales")
    @classmethod
    def _positive(cls, v: dict[str, float]) -> dict[str, float]:
        for k, x in v.items():
            if x <= 0:
                raise ValueError(f"scale {k!r} must be positive")
        return {k.lower(): x for k, x in v.items()}

    @field_validator("currency_prefixes", "currency_suffixes")
    @classmethod
    def _currency_keys(cls, v: dict[str, str]) -> dict[str, str]:
        return {k.lower().replace(" ", ""): x for k, x in v.items()}

    @field_validator("units")
    @classmethod
    def _unit_keys(cls, v: dict[str, str]) -> dict[str, str]:
        return {k.lower(): x for k, x in v.items()}

    @cached_property
    def qualifier_lengths(self) -> list[tuple[int, dict[str, str]]]:
        """Qualifier phrases (with a trailing space) -> class, grouped by length, longest first:
        the text before a number is tested with one lookup per length."""
        by_len: dict[int, dict[str, str]] = {}
        for cls, ps in self.qualifiers.items():
            for p in ps:
                phrase = p.lower().strip() + " "
                by_len.setdefault(len(phrase), {}).setdefault(phrase, cls)
        return sorted(by_len.items(), reverse=True)

    @cached_property
    def qualifier_words(self) -> dict[str, str]:
        """Single-word qualifiers that may be glued to a number ("over82")."""
        return {p.lower(): cls for cls, ps in self.qualifiers.items() for p in ps if " " not in p}

    @cached_property
    def identifier_reversed_rx(self) -> re.Pattern:
        """An identifier word ending the reversed text before a number ("Figure 1" -> "erugiF "):
        one anchored match instead of a search for a word at the end."""
        words = "|".join(re.escape(w[::-1]) for w in sorted(self.identifier_words, key=len, reverse=True))
        return re.compile(rf"\s?(?:{words})(?!\w)", re.I)

    @cached_property
    def duration_measure_rx(self) -> re.Pattern:
        words = "|".join(re.escape(w.lower()) for w in self.duration_measures)
        return re.compile(rf"\b(?:{words})\b")

    def __hash__(self) -> int:  # cached_property needs a hashable-free model; identity is fine
        return id(self)
