"""Small hand-made tables for the disclosure tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

COLUMNS = ["table", "measure", "level", "geo_code", "sex", "site_code", "year_start",
           "year_end", "quintile"]


def base_frame(rows: Iterable[tuple[str, int, str, int, int]]) -> pd.DataFrame:
    """Base from (department, quintile, sex, year, count) tuples, one block."""
    df = pd.DataFrame(list(rows), columns=["department", "quintile", "sex", "year", "count"])
    df.insert(0, "site_code", "s")
    df.insert(0, "measure", "incidence")
    return df


def true_count(base: pd.DataFrame, cell: Mapping, dep_region: Mapping[str, str]) -> int:
    """Sum of base over a cell's members, written plainly."""
    total = 0
    for r in base.itertuples(index=False):
        if cell["level"] == "department" and r.department != cell["geo_code"]:
            continue
        if cell["level"] == "region" and dep_region[r.department] != cell["geo_code"]:
            continue
        if cell["sex"] != "all" and r.sex != cell["sex"]:
            continue
        if not cell["year_start"] <= r.year <= cell["year_end"]:
            continue
        if not pd.isna(cell["quintile"]) and r.quintile != cell["quintile"]:
            continue
        total += int(r.count)
    return total


def make_cells(
    base: pd.DataFrame,
    dep_region: Mapping[str, str],
    spans: Iterable[tuple[int, int]],
    sexes: Iterable[str] = ("male", "female", "all"),
    levels: Iterable[str] = ("country", "region", "department"),
    quintiles: Iterable[int] = (),
    quintile_levels: Iterable[str] = ("country",),
) -> pd.DataFrame:
    """Indicator cells (and inequality cells for `quintiles`) with their true counts."""
    geos = {
        "country": ["FR"],
        "region": sorted(set(dep_region.values())),
        "department": sorted(dep_region),
    }
    rows = []
    for sex in sexes:
        for a, b in spans:
            for level in levels:
                for geo in geos[level]:
                    rows.append(("indicator", "incidence", level, geo, sex, "s", a, b, None))
            for q in quintiles:
                for level in quintile_levels:
                    for geo in geos[level]:
                        rows.append(("inequality", "incidence", level, geo, sex, "s", a, b, q))
    cells = pd.DataFrame(rows, columns=COLUMNS)
    cells["quintile"] = cells["quintile"].astype("Int64")
    cells["cases"] = [true_count(base, c, dep_region) for c in cells.to_dict("records")]
    return cells


def primary_only(cells: pd.DataFrame, threshold: int = 11) -> pd.DataFrame:
    """Suppress sensitive cells only (what a naive release would do)."""
    out = cells.copy()
    sens = out["cases"].between(1, threshold - 1)
    out["status"] = sens.map({True: "suppressed", False: "published"})
    out["reason"] = sens.map({True: "primary", False: None})
    return out


def find(cells: pd.DataFrame, **attrs) -> pd.DataFrame:
    mask = pd.Series(True, index=cells.index)
    for k, v in attrs.items():
        mask &= cells[k] == v
    return cells[mask]
