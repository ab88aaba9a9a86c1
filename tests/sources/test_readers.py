"""Reading source files: encodings, separators, Parquet, and one clear error line."""

import gzip

import pandas as pd
import pytest

from dashboard.sources.errors import SourceError
from dashboard.sources.readers import find_source, read_table

COLS = ["case_id", "sex", "age", "year", "icd10", "commune"]


def test_latin1_semicolon_csv_keeps_codes_as_text(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("case_id;sex;age;year;icd10;commune;commentaire\n"
                     "A1;1;65;2020;C509;01001;été\n".encode("latin-1"))
    frame = read_table(path, COLS)
    assert frame.loc[0, "commune"] == "01001"
    assert frame.loc[0, "commentaire"] == "été"


def test_utf8_bom_and_gzip(tmp_path):
    path = tmp_path / "cases.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8-sig") as fh:
        fh.write("Case_ID,sex,age,year,icd10,commune\nA1,2,70,2021,C34,2A004\n")
    frame = read_table(path, COLS)
    assert list(frame.columns) == COLS and frame.loc[0, "commune"] == "2A004"


def test_parquet_columns_become_text(tmp_path):
    path = tmp_path / "cases.parquet"
    pd.DataFrame({"case_id": ["A"], "sex": [1], "age": [65], "year": [2020],
                  "icd10": ["C61"], "commune": ["01001"]}).to_parquet(path)
    frame = read_table(path, COLS)
    assert frame.loc[0, "sex"] == "1"


def test_missing_file_and_missing_column_give_one_line(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        read_table(tmp_path / "nope.csv", COLS)
    path = tmp_path / "cases.csv"
    path.write_text("case_id,sex\nA,1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing column"):
        read_table(path, COLS)
    with pytest.raises(SourceError, match="no file"):
        find_source(tmp_path, "deaths")


def test_malformed_csv_is_a_clear_error(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text('case_id,sex,age,year,icd10,commune\n"A,1,2,3\nB,1\n', encoding="utf-8")
    with pytest.raises(SourceError, match="cannot read"):
        read_table(path, COLS)
