"""Population at 1 January by department, sex, five-year age group and year.

Two accepted forms (docs/data-formats.md):
- INSEE's workbook "Estimation de la population au 1er janvier par département, sexe et âge
  quinquennal" exactly as published (xlsx, one sheet per year, strict OOXML: read with calamine);
- a long CSV/Parquet ``year, department, sex, age_group, population``.
Both give a frame ``year, department, sex (1/2), age_group (0..17), population``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.reference_data import departments
from dashboard.sources.ages import age_group_of_label
from dashboard.sources.errors import SourceError
from dashboard.sources.readers import read_table

LONG_COLUMNS = ["year", "department", "sex", "age_group", "population"]
_SEX_BLOCKS = {"hommes": 1, "femmes": 2}


def _department_code(value: object) -> str:
    """Department code from a workbook cell ('01', 1.0, 971.0, '2A')."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


def read_insee_workbook(path: Path, years: range) -> pd.DataFrame:
    """Read INSEE's departmental population workbook for the given years."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise SourceError(f"{path.name}: cannot read the workbook ({exc})") from None
    known = set(departments()["code"])
    frames = []
    for year in years:
        if str(year) not in book.sheet_names:
            raise SourceError(f"{path.name}: no sheet for year {year}")
        rows = book.get_sheet_by_name(str(year)).to_python()
        header = next((i for i, r in enumerate(rows) if any(
            str(c).strip().lower() == "hommes" for c in r)), None)
        if header is None:
            raise SourceError(f"{path.name}: sheet {year} has no 'Hommes' header row")
        sexes, bands = rows[header], rows[header + 1]
        blocks: list[tuple[int, int, int]] = []  # (column, sex, age group)
        current = None
        for col, (sex_cell, band) in enumerate(zip(sexes, bands, strict=False)):
            label = str(sex_cell).strip().lower()
            if label:
                current = _SEX_BLOCKS.get(label)
            if current and str(band).strip() and str(band).strip().lower() != "total":
                blocks.append((col, current, age_group_of_label(str(band))))
        records = []
        for r in rows[header + 2:]:
            if not r or r[0] in ("", None):
                continue
            code = _department_code(r[0])
            if code not in known:
                continue
            for col, sex, group in blocks:
                value = r[col]
                if value in ("", None):
                    continue
                records.append((year, code, sex, group, float(value)))
        frames.append(pd.DataFrame(records, columns=LONG_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    return out.groupby(LONG_COLUMNS[:4], as_index=False)["population"].sum()


def read_long(path: Path, years: range) -> pd.DataFrame:
    """Read the long population format; every row must be valid (a clear error otherwise)."""
    raw = read_table(path, LONG_COLUMNS)
    out = pd.DataFrame({
        "year": pd.to_numeric(raw["year"], errors="coerce"),
        "department": raw["department"].str.strip().str.upper(),
        "sex": raw["sex"].str.strip().map({"1": 1, "2": 2, "male": 1, "female": 2}),
        "population": pd.to_numeric(raw["population"], errors="coerce"),
    })
    try:
        out["age_group"] = [age_group_of_label(a) for a in raw["age_group"]]
    except ValueError as exc:
        raise SourceError(f"{path.name}: {exc}") from None
    bad = out[["year", "sex", "population"]].isna().any(axis=1) | (out["population"] < 0)
    bad |= ~out["department"].isin(set(departments()["code"]))
    if bad.any():
        first = raw[bad].iloc[0].to_dict()
        raise SourceError(f"{path.name}: {int(bad.sum())} invalid row(s), first: {first}")
    out = out[out["year"].isin(list(years))]
    return out.groupby(LONG_COLUMNS[:4], as_index=False)["population"].sum()


def read_population(path: Path, years: range) -> pd.DataFrame:
    """Read either population form and check it covers every department, sex, age and year."""
    table = (read_insee_workbook(path, years) if path.suffix == ".xlsx"
             else read_long(path, years))
    table["year"] = table["year"].astype(np.int16)
    table["sex"] = table["sex"].astype(np.int8)
    table["age_group"] = table["age_group"].astype(np.int8)
    counts = table.groupby("year").size()
    expected = len(departments()) * 2 * 18
    missing = [y for y in years if counts.get(y, 0) < expected]
    if missing:
        raise SourceError(f"{path.name}: population incomplete for year(s) "
                          f"{', '.join(map(str, missing))} (need every department, sex, age band)")
    return table
