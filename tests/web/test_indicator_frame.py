"""The dashboard's in-memory tables answer exactly as the SQL reads they replace."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from plain_records import same_records

from dashboard import release_reads as reads
from dashboard.data_access import Release
from dashboard.web.indicator_frame import (
    KEYED,
    IndicatorFrame,
    KeyedTable,
    indicator_frame,
    keyed_table,
)


@pytest.fixture(scope="module")
def release(fixture_release: Path) -> Release:
    return Release(fixture_release)


@pytest.fixture(scope="module")
def frame(release: Release) -> IndicatorFrame:
    return IndicatorFrame.read(release)



def sample(keys: str, every: int) -> str:
    """Every ``every``-th distinct key of the indicator table, in a fixed order."""
    return (f"WITH keys AS (SELECT DISTINCT {keys} FROM indicator ORDER BY ALL) "
            f"SELECT * EXCLUDE (k) FROM (SELECT *, row_number() OVER () AS k FROM keys) "
            f"WHERE k % {every} = 0")


def test_every_map_view_equals_its_query(release: Release, frame: IndicatorFrame) -> None:
    views = release.query(sample("measure, site_code, sex, level, year_start, year_end", 1)
                          ).itertuples(index=False)
    n = with_nulls = 0
    for measure, site, sex, level, ys, ye in views:
        expected = reads.level_values(release, measure, site, sex, (ys, ye), level)
        got = frame.level_values(measure, site, sex, (ys, ye), level)
        pd.testing.assert_frame_equal(got, expected)
        n += 1
        with_nulls += bool(expected.cases.isna().any())
    assert n > 150 and 0 < with_nulls < n  # suppressed cells in some views, not all


def test_series_equal_their_query(release: Release, frame: IndicatorFrame) -> None:
    """An area's series: the records of the query, value types and nulls included."""
    keys = release.query(sample("measure, site_code, sex, level, geo_code", 17)  # of ~1,900
                         ).itertuples(index=False)
    n = 0
    for measure, site, sex, level, code in keys:
        for pooled in (False, True):
            expected = reads.series(release, measure, site, sex, level, code, pooled)
            got = frame.series_records(measure, site, sex, level, code, pooled)
            assert same_records(got, expected.to_dict("records"))
            n += 1
    assert n > 50


def test_an_absent_view_is_empty_with_the_query_columns(release: Release,
                                                         frame: IndicatorFrame) -> None:
    expected = reads.level_values(release, "incidence", "all", "all", (1900, 1900), "region")
    got = frame.level_values("incidence", "all", "all", (1900, 1900), "region")
    assert got.empty and list(got.columns) == list(expected.columns)
    assert frame.series_records("incidence", "all", "all", "region", "nowhere", True) == []


def test_a_taken_view_is_a_copy(release: Release) -> None:
    """Callers may change what they get without changing the next answer."""
    table = indicator_frame(release)
    first = table.level_values("incidence", "all", "all", (2019, 2023), "department")
    first.loc[:, "asr_world"] = -1.0
    again = indicator_frame(release).level_values("incidence", "all", "all", (2019, 2023),
                                                  "department")
    assert indicator_frame(release) is table and (again.asr_world != -1.0).all()


def distinct(release: Release, table: str, columns: tuple[str, ...], every: int,
             where: str = "") -> list[tuple[object, ...]]:
    """Every ``every``-th distinct value of ``columns`` in ``table``, in a fixed order."""
    keys = release.query(f"SELECT DISTINCT {', '.join(columns)} FROM {table} {where} "
                         "ORDER BY ALL").itertuples(index=False)
    return [tuple(k) for k in keys][::every]


@pytest.mark.parametrize("table", ["trend", "trend_segment", "trend_fitted"])
def test_trend_series_equal_their_query(release: Release, table: str) -> None:
    trends = KeyedTable.read(release, *KEYED[table])
    keys = distinct(release, table, reads.SERIES_KEY, 7)
    for key in keys:
        assert same_records(trends.records(*key),
                            reads.trend_rows(release, table, *key).to_dict("records"))
    assert len(keys) > 5
    absent = ("incidence", "all", "all", "region", "nowhere")
    assert reads.trend_rows(release, table, *absent).empty
    assert trends.records(*absent) == []
    assert keyed_table(release, table) is keyed_table(release, table)
    with pytest.raises(ValueError, match="not a keyed table"):
        keyed_table(release, "indicator")


def test_inequality_cells_equal_their_query(release: Release) -> None:
    """Quintile rates and inequality statistics of a cell (the national statistics over time:
    ``test_queries``)."""
    quintiles = KeyedTable.read(release, *KEYED["inequality"])
    summary = KeyedTable.read(release, *KEYED["inequality_summary"])
    cells = distinct(release, "inequality", (*reads.SERIES_KEY, "year_start", "year_end"), 5)
    for measure, site, sex, level, code, ys, ye in cells:
        assert same_records(
            quintiles.records(measure, site, sex, level, code, ys, ye),
            reads.quintiles(release, measure, site, sex, (ys, ye), level, code
                            ).to_dict("records"))
        assert same_records(
            [{c: r[c] for c in reads.INEQUALITY_STATS_COLUMNS}
             for r in summary.records(measure, site, sex, level, code, ys, ye)],
            reads.inequality_stats(release, measure, site, sex, (ys, ye), level, code
                                   ).to_dict("records"))
    assert len(cells) > 5



def test_plain_records_are_the_records_of_a_take(release: Release,
                                                 frame: IndicatorFrame) -> None:
    """A view's column arrays and cells (no pandas) hold the values ``to_dict("records")`` of
    the same rows gives, types and nulls included: integers with and without nulls, texts all
    null or not (the series and keyed tables' records: compared with their queries above)."""
    views = release.query(sample("measure, site_code, sex, level, year_start, year_end", 3)
                          ).itertuples(index=False)
    n = with_nulls = 0
    for measure, site, sex, level, ys, ye in views:
        df = frame.level_values(measure, site, sex, (ys, ye), level)
        records = df.to_dict("records")
        columns = frame.level_columns(measure, site, sex, (ys, ye), level)
        assert same_records([dict(zip(columns, r, strict=True)) for r in zip(
            *(c.tolist() for c in columns.values()), strict=True)], records)
        for code in df.geo_code[:3]:
            got = frame.cell_record(measure, site, sex, (ys, ye), level, code)
            assert got is not None
            assert same_records([got], [r for r in records if r["geo_code"] == code])
        n += 1
        with_nulls += bool(df.cases.isna().any())
    assert n > 50 and 0 < with_nulls < n
    assert frame.cell_record("incidence", "all", "all", (2019, 2023), "region", "zz") is None
