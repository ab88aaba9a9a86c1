"""Packaged reference tables: sites, departments, regions, communes (read-only, cached)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

COUNTRY_CODE = "FR"
COUNTRY_NAME = "France"


def read_reference(name: str, **kwargs) -> pd.DataFrame:
    """A CSV file of ``dashboard/reference`` (pandas ``read_csv`` options in ``kwargs``)."""
    with resources.files("dashboard.reference").joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, **kwargs)


def _read(name: str, **kwargs) -> pd.DataFrame:
    return read_reference(name, dtype=str, keep_default_na=False, **kwargs)


@cache
def sites() -> pd.DataFrame:
    """Cancer sites published: ``site_code, label_fr, label_en, icd10, sexes``."""
    return _read("sites.csv")


@cache
def departments() -> pd.DataFrame:
    """The 101 departments: ``code, name, region``."""
    return _read("departments.csv")


@cache
def regions() -> pd.DataFrame:
    """The 18 regions: ``code, name``."""
    return _read("regions.csv")


@cache
def communes() -> pd.DataFrame:
    """Commune codes a registry may deliver (current communes, arrondissements, former communes).

    Columns ``code, type, name, commune`` (current commune), ``department``, ``population_2017``.
    """
    return _read("communes.csv.gz", compression="gzip")


@cache
def dep_region() -> dict[str, str]:
    """Department code -> region code."""
    d = departments()
    return dict(zip(d["code"], d["region"], strict=True))


def geo_table() -> pd.DataFrame:
    """The ``geo`` release table: France, regions, departments with their parent."""
    rows = [("country", COUNTRY_CODE, COUNTRY_NAME, None)]
    rows += [("region", r.code, r.name, COUNTRY_CODE) for r in regions().itertuples()]
    rows += [("department", d.code, d.name, d.region) for d in departments().itertuples()]
    return pd.DataFrame(rows, columns=["level", "code", "name", "parent_code"])
