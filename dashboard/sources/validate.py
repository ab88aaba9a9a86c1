"""Row-level validation of the event sources (cases, deaths) and of the deprivation index.

Every input row ends either accepted or rejected with exactly one reason (the first that
applies, in the order of ``REASONS``); ``accepted + rejected = read`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.reference_data import sites
from dashboard.sources import communes, icd10

EVENT_COLUMNS = {
    "cases": ["case_id", "sex", "age", "year", "icd10", "commune"],
    "deaths": ["death_id", "sex", "age", "year", "icd10", "commune"],
}
DEPRIVATION_COLUMNS = ["commune", "quintile", "score"]
MAX_AGE = 120
# Sites of organs that exist in one sex only: a record of the other sex is an error.
SEX_ORGANS = ("prostate", "testis", "cervix", "corpus_uteri", "ovary")

REASONS = {
    "missing_field": "a required field is empty",
    "duplicate_id": "the identifier appears more than once (every occurrence after the first)",
    "bad_sex": "sex is not 1 (male) or 2 (female)",
    "bad_age": f"age is not a whole number of years from 0 to {MAX_AGE}",
    "year_out_of_coverage": "year is not a year covered by the release",
    "invalid_icd10": "icd10 is not an ICD-10 code",
    "not_cancer_icd10": "icd10 is outside malignant neoplasms C00-C97",
    "excluded_icd10": "icd10 is C44 (non-melanoma skin), outside 'all cancers' by convention",
    "sex_site_mismatch": "the organ does not exist in this sex (e.g. prostate in a woman)",
    "unknown_commune": "commune is not a known INSEE commune code",
    "bad_quintile": "quintile is not 1 to 5",
    "bad_score": "score is not a number",
}


@dataclass
class Validated:
    """Outcome of validating one source."""

    source: str
    read: int
    accepted: pd.DataFrame
    rejected: pd.DataFrame  # the original columns plus ``reason``
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    def check_balance(self) -> None:
        """Fail loudly if a row was lost: accepted + rejected must equal read."""
        if len(self.accepted) + len(self.rejected) != self.read:
            raise AssertionError(f"{self.source}: rows lost during validation")


def _integers(text: pd.Series) -> pd.Series:
    """Parse whole numbers ('65', '65.0'); NaN for anything else."""
    value = pd.to_numeric(text, errors="coerce")
    return value.where(value == np.floor(value))


def _assign(reason: pd.Series, mask: pd.Series | np.ndarray, code: str) -> None:
    """Give ``code`` to rows matching ``mask`` that have no reason yet."""
    mask = pd.Series(mask, index=reason.index).fillna(False).astype(bool)
    reason[mask & reason.isna()] = code


def _finish(source: str, raw: pd.DataFrame, reason: pd.Series,
            accepted: pd.DataFrame) -> Validated:
    rejected = raw[reason.notna()].copy()
    rejected["reason"] = reason[reason.notna()]
    counts = {k: int(v) for k, v in rejected["reason"].value_counts().items()}
    out = Validated(source, len(raw), accepted[reason.isna()].reset_index(drop=True),
                    rejected.reset_index(drop=True), counts)
    out.check_balance()
    return out


def _per_value(column: pd.Series, func) -> pd.DataFrame | pd.Series:
    """Apply ``func`` to the distinct values of a column and spread the result to every row.

    Source columns hold few distinct values (codes, ages, years) among millions of rows, so
    validating each distinct value once is much faster and gives the same answer.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    result = func(pd.Series(uniques, dtype="string"))
    taken = result.iloc[codes]
    taken.index = column.index
    return taken


def _strip(column: pd.Series) -> pd.Series:
    return column.astype("string").str.strip()


def validate_events(raw: pd.DataFrame, source: str, first_year: int,
                    last_year: int) -> Validated:
    """Validate a cases or deaths table read as text.

    Accepted rows get ``sex`` (1/2), ``age``, ``year``, ``site_code`` (published site or
    'other'), ``commune`` (current commune) and ``department``.
    """
    id_col, *fields = EVENT_COLUMNS[source]
    reason = pd.Series(None, index=raw.index, dtype="object")
    empty = pd.Series(False, index=raw.index)
    for col in (id_col, *fields):
        empty |= _per_value(raw[col], lambda u: _strip(u).fillna("") == "").to_numpy()
    _assign(reason, empty, "missing_field")
    _assign(reason, _strip(raw[id_col]).duplicated(keep="first"), "duplicate_id")
    sex = _per_value(raw["sex"], _strip)
    _assign(reason, ~sex.isin(["1", "2"]), "bad_sex")
    age = _per_value(raw["age"], lambda u: _integers(_strip(u)))
    _assign(reason, age.isna() | (age < 0) | (age > MAX_AGE), "bad_age")
    year = _per_value(raw["year"], lambda u: _integers(_strip(u)))
    _assign(reason, year.isna() | (year < first_year) | (year > last_year),
            "year_out_of_coverage")

    def icd(u: pd.Series) -> pd.DataFrame:
        category, problem = icd10.classify(icd10.normalise(u))
        site = icd10.site_of_category(category.where(category >= 0, 0).to_numpy())
        return pd.DataFrame({"problem": problem, "site": site})

    code = _per_value(raw["icd10"], icd)
    for name in ("invalid_icd10", "not_cancer_icd10", "excluded_icd10"):
        _assign(reason, code["problem"] == name, name)
    site_sex = sites().set_index("site_code")["sexes"].reindex(code["site"].to_numpy()).to_numpy()
    anatomical = code["site"].isin(SEX_ORGANS).to_numpy()
    _assign(reason, anatomical & (((site_sex == "male") & (sex == "2").to_numpy())
                                  | ((site_sex == "female") & (sex == "1").to_numpy())),
            "sex_site_mismatch")
    # A published site defined for one sex only (breast: women) counts a case of the other
    # sex in 'all cancers' only.
    site = code["site"].mask(~anatomical & (((site_sex == "female") & (sex == "1").to_numpy())
                                            | ((site_sex == "male") & (sex == "2").to_numpy())),
                             "other")
    place = _per_value(raw["commune"],
                       lambda u: communes.resolve(communes.normalise(u)).reset_index(drop=True))
    _assign(reason, place["department"].isna(), "unknown_commune")

    ok = reason.isna()
    accepted = pd.DataFrame({
        "sex": sex.where(ok, "1").astype(np.int8),
        "age": age.where(ok, 0).astype(np.int16),
        "year": year.where(ok, first_year).astype(np.int16),
        "site_code": site,
        "commune": place["commune"],
        "department": place["department"],
    }, index=raw.index)
    return _finish(source, raw, reason, accepted)


def validate_deprivation(raw: pd.DataFrame) -> Validated:
    """Validate the commune deprivation table (one row per commune code)."""
    text = raw[DEPRIVATION_COLUMNS].astype("string").apply(lambda s: s.str.strip())
    reason = pd.Series(None, index=raw.index, dtype="object")
    _assign(reason, (text[["commune", "quintile"]].isna() | (text[["commune", "quintile"]] == ""))
            .any(axis=1), "missing_field")
    code = communes.normalise(text["commune"])
    _assign(reason, code.duplicated(keep="first"), "duplicate_id")
    _assign(reason, ~text["quintile"].isin(["1", "2", "3", "4", "5"]), "bad_quintile")
    score = pd.to_numeric(text["score"].replace("", None), errors="coerce")
    _assign(reason, text["score"].notna() & (text["score"] != "") & score.isna(), "bad_score")
    place = communes.resolve(code)
    _assign(reason, place["department"].isna(), "unknown_commune")
    ok = reason.isna()
    accepted = pd.DataFrame({
        "commune": place["commune"], "code": code,
        "quintile": text["quintile"].where(ok, "0").astype(np.int8),
        "score": score,
    }, index=raw.index)
    return _finish("deprivation", raw, reason, accepted)
