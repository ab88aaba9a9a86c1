"""Population sources: INSEE's workbook layout (written here) and the long CSV."""

import os
from pathlib import Path

import pytest

from dashboard.reference_data import departments
from dashboard.sources.ages import age_group_of_label
from dashboard.sources.errors import SourceError
from dashboard.sources.population import read_population

BANDS = [f"{a} à {a + 4} ans" for a in range(0, 95, 5)] + ["95 ans et plus"]


def write_insee_workbook(path: Path, years: list[int]) -> None:
    """A workbook in INSEE's layout: title rows, sex blocks, age bands, one row per department."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet("À savoir")
    for year in years:
        sheet = book.create_sheet(str(year))
        sheet.append(["Estimation de population au 1er janvier, par département, sexe et âge"])
        sheet.append([f"Année {year}"])
        sheet.append([])
        blocks = ["Départements", ""]
        for sex in ("Ensemble", "Hommes", "Femmes"):
            blocks += [sex] + [""] * len(BANDS)
        sheet.append(blocks)
        sheet.append(["", "", *([*BANDS, "Total"] * 3)])
        for i, d in enumerate(departments().itertuples()):
            code = int(d.code) if d.code.startswith("97") else d.code  # 971 is a number there
            men = [100 + i + k for k in range(len(BANDS))]
            women = [200 + i + k for k in range(len(BANDS))]
            both = [m + w for m, w in zip(men, women, strict=True)]
            sheet.append([code, d.name, *both, sum(both), *men, sum(men), *women, sum(women)])
        sheet.append(["France métropolitaine", "", 1, 2, 3])
        sheet.append(["Source : Insee - Estimations de population"])
    book.save(path)


def test_age_labels():
    assert age_group_of_label("0 à 4 ans") == 0
    assert age_group_of_label("80-84") == 16
    assert age_group_of_label("90 à 94 ans") == 17
    assert age_group_of_label("95 ans et plus") == 17
    assert age_group_of_label("85+") == 17
    with pytest.raises(ValueError):
        age_group_of_label("3 à 9 ans")


def test_insee_workbook_layout(tmp_path):
    path = tmp_path / "population.xlsx"
    write_insee_workbook(path, [2019, 2020])
    table = read_population(path, range(2019, 2021))
    assert len(table) == 2 * 101 * 2 * 18
    ain = table[(table.year == 2020) & (table.department == "01") & (table.sex == 1)]
    assert ain.loc[ain.age_group == 0, "population"].item() == 100
    # 85-89, 90-94 and 95+ fold into 85+.
    assert ain.loc[ain.age_group == 17, "population"].item() == 117 + 118 + 119
    assert set(table.department) == set(departments().code)


def test_missing_year_is_a_clear_error(tmp_path):
    path = tmp_path / "population.xlsx"
    write_insee_workbook(path, [2020])
    with pytest.raises(SourceError, match="no sheet for year 2021"):
        read_population(path, range(2020, 2022))


def test_long_csv(tmp_path):
    rows = ["year,department,sex,age_group,population"]
    for d in departments().code:
        for sex in (1, 2):
            rows += [f"2020,{d},{sex},{a}-{a + 4},10" for a in range(0, 85, 5)]
            rows.append(f"2020,{d},{sex},85+,5")
    path = tmp_path / "population.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    table = read_population(path, range(2020, 2021))
    assert table.population.sum() == 101 * 2 * (17 * 10 + 5)
    path.write_text("\n".join(rows[:-1]), encoding="utf-8")
    with pytest.raises(SourceError, match="incomplete"):
        read_population(path, range(2020, 2021))


@pytest.mark.skipif(not os.environ.get("INSEE_POP_XLSX"),
                    reason="INSEE_POP_XLSX does not point to INSEE's workbook")
def test_real_insee_workbook():
    table = read_population(Path(os.environ["INSEE_POP_XLSX"]), range(2020, 2021))
    metro = table[~table.department.str.startswith("97")]
    # Known totals published by INSEE for 1 January 2020.
    assert metro.population.sum() == 65_269_154
    assert table[table.department == "75"].population.sum() == 2_145_906
    assert table[table.department == "59"].population.sum() == 2_607_746
