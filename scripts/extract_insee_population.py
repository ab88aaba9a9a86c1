"""Extract the demo population reference from INSEE's departmental population workbook.

Usage: ``python scripts/extract_insee_population.py PATH/estim-pop-dep-sexe-aq-1975-2025.xlsx``

Writes ``dashboard/reference/population_2010_2023.csv.gz`` (long format: year, department, sex,
age_group, population) for the demo registry. Source: Insee, Estimations de population
(data of 20 December 2024, 2023 provisional), Licence Ouverte / Etalab 2.0. INSEE estimates
Mayotte from 2014 only: 2010-2013 are extrapolated backwards from 2014 by age and sex at 3.8% a
year (Mayotte's average growth 2014-2023 in the same estimates).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from dashboard.sources.ages import AGE_LABELS
from dashboard.sources.population import read_insee_workbook

OUT = (Path(__file__).resolve().parents[1] / "dashboard" / "reference"
       / "population_2010_2023.csv.gz")
MAYOTTE_GROWTH = 1.038


def main(path: str) -> None:
    table = read_insee_workbook(Path(path), range(2010, 2024))
    mayotte = table[(table.department == "976") & (table.year == 2014)]
    extra = [mayotte.assign(year=y, population=(mayotte.population / MAYOTTE_GROWTH ** (2014 - y)))
             for y in range(2010, 2014)]
    table = pd.concat([table, *extra], ignore_index=True)
    table["population"] = table["population"].round().astype(int)
    table["age_group"] = [AGE_LABELS[i] for i in table["age_group"]]
    table = table.sort_values(["year", "department", "sex"], kind="stable")
    table.to_csv(OUT, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{len(table)} rows -> {OUT.name}")


if __name__ == "__main__":
    main(sys.argv[1])
