"""Entity codes: the identity of a breakdown value across editions.

A country's code is its ISO 3166-1 alpha-3 code, from country_converter (it resolved 251 of the
258 country spellings of the NCMEC editions, pycountry 227 with one wrong: Kosovo as Serbia);
the rest are aliases in rules/dimensions.yaml. Any other dimension's code is its folded value
compared without case or punctuation ("Twitter, Inc." and "TWITTER" are `twitter`). A value a
dimension declares unknown ("No Country Listed") has the code `unknown`; a value that resolves
to nothing has no code and stays a series of its own under its printed name.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def _converter():
    import country_converter as coco
    import pandas as pd
    from country_converter.country_converter import COUNTRY_DATA_FILE

    # read as text: pandas >= 3 would read Namibia's ISO 2 code "NA" as missing
    data = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)  # "not found" is ours to report
    return coco.CountryConverter(country_data=data)


@lru_cache(maxsize=8192)
def country_code(name: str) -> str:
    """ISO 3166-1 alpha-3 code of a country name as printed, or "" when none matches."""
    got = _converter().convert(name, to="ISO3", not_found=None)
    if isinstance(got, list):  # "Macao/Macao": one match per part; one code or none
        got = got[0] if len(set(got)) == 1 else None
    return got if isinstance(got, str) and re.fullmatch(r"[A-Z]{3}", got) else ""


def name_code(value: str) -> str:
    """A name compared without case, spacing or punctuation: 'Twitter, Inc' -> 'twitter inc'."""
    return " ".join(re.findall(r"[^\W_]+", value.casefold()))


CODERS = {"iso3166_alpha3": country_code}
