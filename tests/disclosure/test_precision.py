"""Published precision: the contract's rounding policy, worked examples and coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.pipeline.precision import round_column, round_table, round_to
from dashboard.release_schema import PRECISION, PUBLIC_TABLES, SUMMARY_DECIMALS, columns

KEY_OR_TEXT = {"year_start", "year_end", "year", "segment", "quintile", "age_start",
               "joinpoints", "cases", "cells_published", "cells_suppressed",
               "suppression_threshold", "first_year", "last_year"}


def test_nearest_down_and_up_by_hand():
    values = [12.34, 12.36, 0.04, -1.26, 7.0, np.nan]
    assert np.allclose(round_to(values, 1), [12.3, 12.4, 0.0, -1.3, 7.0, np.nan],
                       equal_nan=True)
    assert np.allclose(round_to(values, 1, "down"), [12.3, 12.3, 0.0, -1.3, 7.0, np.nan],
                       equal_nan=True)
    assert np.allclose(round_to(values, 1, "up"), [12.4, 12.4, 0.1, -1.2, 7.0, np.nan],
                       equal_nan=True)
    assert np.allclose(round_to([1.005, 0.994], 2, "up"), [1.01, 1.0])


def test_a_value_already_on_the_grid_stays():
    grid = np.round(np.arange(0, 100, 0.1), 1)
    assert np.array_equal(round_to(grid, 1, "down"), grid)
    assert np.array_equal(round_to(grid, 1, "up"), grid)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        round_to([1.0], 1, "sideways")


def test_policy_names_real_columns_only():
    for table, cols in PRECISION.items():
        names = {c for c, _ in columns(table)}
        assert set(cols) <= names, table


def test_every_public_real_value_has_a_precision():
    for table in PUBLIC_TABLES:
        if table in ("release", "geo", "site"):
            continue
        real = {c for c, t in columns(table) if t == "DOUBLE"} - KEY_OR_TEXT
        covered = set(PRECISION.get(table, {}))
        if table == "inequality_summary":
            covered |= {"value", "low", "high"}
        assert real <= covered, (table, real - covered)


def test_limits_are_rounded_outwards():
    for cols in PRECISION.values():
        for name, (_, mode) in cols.items():
            if name.endswith("_low"):
                assert mode == "down", name
            elif name.endswith("_high"):
                assert mode == "up", name
            else:
                assert mode == "nearest", name


def test_round_table_applies_each_statistics_precision():
    frame = pd.DataFrame({"statistic": ["rate_ratio", "sii"], "value": [1.23456, 12.3456],
                          "low": [1.1111, 10.01], "high": [1.3333, 14.99]})
    out = round_table(frame, "inequality_summary")
    assert SUMMARY_DECIMALS["rate_ratio"] == 2 and SUMMARY_DECIMALS["sii"] == 1
    assert out["value"].tolist() == [1.23, 12.3]
    assert out["low"].tolist() == [1.11, 10.0]
    assert out["high"].tolist() == [1.34, 15.0]


def test_round_column_follows_the_contract():
    assert round_column([3.14159], "indicator", "sir").tolist() == [3.14]
    assert round_column([3.14159], "indicator", "asr_world_high").tolist() == [3.2]
