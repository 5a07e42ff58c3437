"""Extraction rules as data: `rules/lexicon.yaml` and `rules/metrics/*.yaml`, checked by pydantic.

A metric rule gives a quantity a stable metric id and a short label when its patterns match the
words around the number (the clause, for prose; the row, column and table title, for a table
cell). Patterns follow spaCy's rule-matching records: a `phrase` is matched on lower-cased
tokens (PhraseMatcher), `tokens` is a Matcher token pattern. Errors name the file, the rule and
what is wrong; the rules hash goes into every dataset version.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import RulesError
from .entities import CODERS, UNKNOWN, name_code
from .lexicon import Lexicon

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.v\d+$")
METRIC_ID = re.compile(r"^[a-z0-9][a-z0-9_.]*$")


class Pattern(BaseModel):
    """One pattern: a phrase (case-insensitive) or a spaCy Matcher token pattern."""

    model_config = ConfigDict(extra="forbid")
    phrase: str | None = None
    tokens: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _one(self) -> Pattern:
        if (self.phrase is None) == (self.tokens is None):
            raise ValueError("give exactly one of 'phrase' or 'tokens'")
        if self.phrase is not None and not self.phrase.strip():
            raise ValueError("empty phrase")
        return self


def _coerce_patterns(v):
    """Accept plain strings as phrase patterns and plain token lists as token patterns."""
    if v is None:
        return []
    out = []
    for p in v:
        if isinstance(p, str):
            out.append({"phrase": p})
        elif isinstance(p, list):
            out.append({"tokens": p})
        else:
            out.append(p)
    return out


class MetricRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="versioned rule id, written on every observation: x.y.v1")
    metric: str = Field(description="the stable metric id this rule attributes")
    label: str = Field(description="a short human label of what is counted")
    patterns: list[Pattern] = Field(min_length=1, description="any one must match near the number")
    context: list[Pattern] = Field(default_factory=list,
                                   description="each must match somewhere in the sentence or table title")
    exclude: list[Pattern] = Field(default_factory=list, description="none may match near the number")
    scope: list[Literal["prose", "table"]] = Field(default_factory=lambda: ["prose", "table"])
    units: list[str] | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    cumulative: bool | None = Field(default=None, description="only cumulative (true) / only not (false)")
    row_dimension: str | None = Field(default=None, description="claims every figure of a table whose rows "
                                      "are keyed by this dimension (rules/dimensions.yaml)")
    part: bool = Field(default=False, description="names a part of a table's total (a row such as 'U.S.'): "
                                                  "never applied to the total row")
    description: str | None = None

    @field_validator("patterns", "context", "exclude", mode="before")
    @classmethod
    def _plain_patterns(cls, v):
        return _coerce_patterns(v)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError("must look like 'name.parts.v1' (lower case, ends with a version)")
        return v

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        if not METRIC_ID.match(v):
            raise ValueError("must be lower case letters, digits, '_' and '.'")
        return v


class Dimension(BaseModel):
    """A breakdown key and the header wordings of a table's row-label column that mean it."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    headers: list[str] = Field(min_length=1)
    description: str | None = None
    strip_marks: str = Field(default="", description="footnote marks dropped from the end of a value ('Google*')")
    strip_suffixes: list[str] = Field(default_factory=list,
                                      description="legal suffixes dropped from the end ('Twitter, Inc.' -> 'Twitter')")
    brand_clause: bool = Field(default=False, description=(
        "the identity leaves out a trailing brand ('Evasyst, Inc. (dba Kast)', 'Example Inc, d/b/a Brand'), "
        "unless two rows of one table differ only by it"))
    strip_prefixes: list[str] = Field(default_factory=list,
                                      description="leading words the identity leaves out ('The Meet Group')")
    strip_endings: list[str] = Field(default_factory=list,
                                     description="endings the identity leaves out even when attached ('Giphy.com')")
    aliases: dict[str, str] = Field(default_factory=dict, description="a spelling -> the series' name (after folding)")
    codes: Literal["iso3166_alpha3"] | None = Field(
        default=None, description="the library that gives a value its code (entities.py); none: its folded name")
    extra_codes: dict[str, str] = Field(default_factory=dict,
                                        description="a name (after aliases) -> its code, where the library has none")
    unknown: list[str] = Field(default_factory=list,
                               description="wordings of the declared unknown member ('No Country Listed')")

    @cached_property
    def _suffix(self) -> re.Pattern | None:
        if not self.strip_suffixes:
            return None
        words = "|".join(re.escape(w.rstrip(".")) for w in sorted(self.strip_suffixes, key=len, reverse=True))
        return re.compile(rf"(?:(?:,\s*|\s+)(?:{words})\.?)+$", re.I)

    def fold(self, value: str) -> str:
        """The value as printed for its series: footnote marks and legal suffixes off, then
        aliases (looked up without case or punctuation)."""
        out = value.strip().rstrip(self.strip_marks).strip() if self.strip_marks else value.strip()
        if self._suffix is not None:
            out = self._suffix.sub("", out).strip(" ,") or out
        return self._aliases.get(name_code(out), out)

    @cached_property
    def _aliases(self) -> dict[str, str]:
        return {name_code(k): v for k, v in self.aliases.items()}

    @cached_property
    def _unknown(self) -> frozenset[str]:
        return frozenset(name_code(w) for w in self.unknown)

    @cached_property
    def _extra_codes(self) -> dict[str, str]:
        return {name_code(k): v for k, v in self.extra_codes.items()}

    def code(self, folded: str, keep_brand: bool = False) -> str:
        """The identity of a folded value: `unknown` for a declared unknown, the library's code
        (or an extra code) when the dimension has one, else the name without case, punctuation,
        endings and (unless `keep_brand`) brand clause; "" when the library resolves nothing
        (the value stays a series of its own under its printed name)."""
        key = name_code(folded)
        if key in self._unknown:
            return UNKNOWN
        if key in self._extra_codes:
            return self._extra_codes[key]
        if self.codes is not None:
            return CODERS[self.codes](folded)
        out = folded
        if self.brand_clause and not keep_brand:
            out = _BRAND.sub("", out).strip(" ,") or out
            out = self.fold(out)  # the legal form before the brand: "JNJ Mobile, Inc. (dba X)"
        for prefix in self.strip_prefixes:
            if out.lower().startswith(prefix.lower() + " ") and len(out) > len(prefix) + 1:
                out = out[len(prefix) + 1:]
        for ending in self.strip_endings:
            if out.lower().endswith(ending.lower()) and len(out) > len(ending):
                out = out[: -len(ending)]
        key = name_code(out)
        return self._aliases_code.get(key, key)

    @cached_property
    def _aliases_code(self) -> dict[str, str]:
        return {name_code(k): name_code(v) for k, v in self.aliases.items()}


# a trailing "(dba Brand)", "(Brand)", ", dba Brand", " d/b/a Brand"
_BRAND = re.compile(r"\s*\([^()]*\)$|,?\s+(?:d/b/a|d\.b\.a\.?|dba)\s+.*$", re.I)


class DimensionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dimensions: list[Dimension]


def header_words(text: str) -> str:
    """A header compared without case, spacing or punctuation: 'Country / Territory' -> 'country territory'."""
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


class MetricRuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[MetricRule]


class RuleSet:
    """Everything extraction needs from rules/: the lexicon and the metric rules, with a hash."""

    def __init__(self, lexicon: Lexicon, metric_rules: list[MetricRule], digest: str, files: list[str],
                 dimensions: list[Dimension] = ()):
        self.lexicon = lexicon
        self.dimensions = list(dimensions)
        self.dimension_of_header = {header_words(h): d.key for d in self.dimensions for h in d.headers}
        self.dimension_by_key = {d.key: d for d in self.dimensions}
        self.metric_rules = metric_rules
        self.hash = digest
        self.files = files

    @cached_property
    def by_id(self) -> dict[str, MetricRule]:
        return {r.id: r for r in self.metric_rules}


def _format_errors(path: Path, e: ValidationError, data: Any) -> str:
    parts = []
    for err in e.errors()[:5]:
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            try:
                rid = data["rules"][loc[1]].get("id", f"#{loc[1] + 1}")
            except (KeyError, IndexError, TypeError, AttributeError):
                rid = f"#{loc[1] + 1}"
            where = f"rule {rid}: " + ".".join(str(x) for x in loc[2:])
        else:
            where = ".".join(str(x) for x in loc)
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RulesError(path, f"not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    except UnicodeDecodeError:
        raise RulesError(path, "not UTF-8 text") from None


def rule_files(rules_dir: Path) -> list[str]:
    """The files extraction reads: the lexicon and every metrics file."""
    metrics = sorted((rules_dir / "metrics").glob("*.yaml")) if (rules_dir / "metrics").is_dir() else []
    dims = [rules_dir / "dimensions.yaml"] if (rules_dir / "dimensions.yaml").exists() else []
    return [str(rules_dir / "lexicon.yaml")] + [str(p) for p in dims + metrics]


def rules_hash(rules_dir: Path, files: list[str]) -> str:
    """Hash of the files extraction reads (not resolutions.yaml: a reviewer's decision must not
    make every document be extracted again)."""
    h = hashlib.sha256()
    for p in sorted(map(Path, files)):
        h.update(p.relative_to(rules_dir).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def load_rules(rules_dir: str | Path, checked_dir: Path | None = None) -> RuleSet:
    """The validated rules of `rules_dir`. Token patterns are checked by spaCy's validator;
    with `checked_dir`, a rules version that passed once is not checked (nor spaCy loaded) again."""
    rules_dir = Path(rules_dir)
    if not rules_dir.is_dir():
        raise RulesError(rules_dir, "rules folder not found")
    lex_path = rules_dir / "lexicon.yaml"
    if not lex_path.exists():
        raise RulesError(lex_path, "missing: the number scanner needs its lexicon")
    data = _load_yaml(lex_path)
    try:
        lexicon = Lexicon(**(data or {}))
    except (ValidationError, TypeError) as e:
        msg = _format_errors(lex_path, e, data) if isinstance(e, ValidationError) else str(e)
        raise RulesError(lex_path, msg) from None
    metric_rules: list[MetricRule] = []
    seen: dict[str, Path] = {}
    files = rule_files(rules_dir)
    dimensions: list[Dimension] = []
    for path in map(Path, files[1:]):
        data = _load_yaml(path)
        if path.name == "dimensions.yaml" and path.parent == rules_dir:
            try:
                dimensions = DimensionFile(**(data or {"dimensions": []})).dimensions
            except ValidationError as e:
                raise RulesError(path, _format_errors(path, e, data)) from None
            except TypeError:
                raise RulesError(path, "expected a mapping with a 'dimensions' list") from None
            continue
        try:
            parsed = MetricRuleFile(**(data or {"rules": []}))
        except ValidationError as e:
            raise RulesError(path, _format_errors(path, e, data)) from None
        except TypeError:
            raise RulesError(path, "expected a mapping with a 'rules' list") from None
        for r in parsed.rules:
            if r.id in seen:
                raise RulesError(path, f"rule {r.id}: duplicate id (also in {seen[r.id]})")
            seen[r.id] = path
            metric_rules.append(r)
    digest = rules_hash(rules_dir, files)
    marker = checked_dir / f"rules-checked-{digest[:16]}-spacy{_spacy_version()}" if checked_dir else None
    if marker is None or not marker.exists():
        _check_token_patterns(metric_rules, seen)
        if marker is not None:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
    keys = {d.key for d in dimensions}
    for r in metric_rules:
        if r.row_dimension is not None and r.row_dimension not in keys:
            raise RulesError(seen[r.id], f"rule {r.id}: row_dimension '{r.row_dimension}' is not a key of dimensions.yaml")
    return RuleSet(lexicon, metric_rules, digest, files, dimensions)


def _spacy_version() -> str:
    from importlib.metadata import version

    return version("spacy")


def _check_token_patterns(rules: list[MetricRule], where: dict[str, Path]) -> None:
    """Let spaCy's own validator check every token pattern, naming the rule on failure."""
    import spacy
    from spacy.matcher import Matcher

    vocab = spacy.blank("en").vocab
    for r in rules:
        for field in ("patterns", "context", "exclude"):
            for i, p in enumerate(getattr(r, field)):
                if p.tokens is None:
                    continue
                m = Matcher(vocab, validate=True)
                try:
                    m.add("x", [p.tokens])
                except (ValueError, TypeError, KeyError) as e:
                    msg = str(e).strip().splitlines()
                    detail = next((l.strip() for l in msg if l.strip().startswith(("-", "[E"))), msg[0] if msg else "")
                    raise RulesError(where[r.id], f"rule {r.id}: {field}[{i}]: invalid token pattern: {detail}") from None
