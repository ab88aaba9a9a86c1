"""Query functions on the fixture release: validation, content, caching."""

from __future__ import annotations

import pytest

from dashboard.web import queries


def test_catalog(ctx: None) -> None:
    cat = queries.catalog()
    assert cat.measures == ("incidence", "mortality")
    assert cat.sites[0][0] == "all"
    assert {s[0] for s in cat.sites} == {"all", "lung", "breast", "prostate"}
    assert (2019, 2023) in cat.pooled_periods and (2023, 2023) in cat.single_years
    assert len(cat.codes_of("department")) == 101 and len(cat.codes_of("region")) == 18
    assert cat.site_sexes("prostate") == ("male",)
    assert cat.area_parent("department", "69") == "84"


def test_level_values(ctx: None) -> None:
    df = queries.level_values("incidence", "lung", "all", 2019, 2023, "department")
    assert len(df) == 101 and df.geo_code.is_unique
    assert {"name", "asr_world", "sir_flag", "status"} <= set(df.columns)
    suppressed = df[df.status == "suppressed"]
    assert suppressed.asr_world.isna().all()


@pytest.mark.parametrize("bad", [("measure", "survival"), ("site_code", "x'; DROP TABLE--")])
def test_values_are_checked(ctx: None, bad: tuple[str, str]) -> None:
    args = {"measure": "incidence", "site_code": "lung"}
    args[bad[0]] = bad[1]
    with pytest.raises(ValueError):
        queries.level_values(args["measure"], args["site_code"], "all", 2019, 2023, "region")


def test_cell_trend_quintiles(ctx: None) -> None:
    fr = queries.cell("incidence", "all", "all", 2019, 2023, "country", "FR")
    assert fr is not None and fr["cases"] > 0
    tr = queries.trend("incidence", "all", "all", "country", "FR")
    assert tr is not None and tr["label"] in ("rising", "stable", "falling")
    q = queries.quintiles("incidence", "all", "all", 2019, 2023, "country", "FR")
    assert [r["quintile"] for r in q] == [1, 2, 3, 4, 5]
    stats = queries.inequality_stats("incidence", "all", "all", 2019, 2023, "country", "FR")
    assert {r["statistic"] for r in stats} == {"rate_ratio", "rate_difference", "sii", "rii"}
    assert queries.inequality_zones()[0] == "FR"


def test_inequality_tables_from_memory_equal_their_query(ctx: None) -> None:
    """Quintile rates, inequality statistics and the national statistics over time: the
    records of the SQL reads they replace, value types included."""
    from plain_records import same_records

    from dashboard import release_reads as reads

    release = queries.release()
    cells = 0
    for measure, site, sex in [("incidence", "all", "all"), ("mortality", "lung", "male"),
                               ("incidence", "prostate", "male")]:
        for statistic in ("rate_ratio", "rate_difference", "sii", "rii"):
            expected = reads.inequality_over_time(release, measure, site, sex, statistic)
            assert not expected.empty
            assert same_records(queries.inequality_over_time(measure, site, sex, statistic),
                                expected.to_dict("records"))
        for level, code in [("country", "FR"), ("region", "84")]:
            for period in [(2019, 2023), (2023, 2023)]:
                expected = reads.quintiles(release, measure, site, sex, period, level, code)
                cells += not expected.empty
                assert same_records(queries.quintiles(measure, site, sex, *period, level, code),
                                    expected.to_dict("records"))
                expected = reads.inequality_stats(release, measure, site, sex, period, level,
                                                  code)
                assert same_records(queries.inequality_stats(measure, site, sex, *period, level,
                                                             code), expected.to_dict("records"))
    assert cells >= 6
    with pytest.raises(ValueError, match="statistic"):
        queries.inequality_over_time("incidence", "all", "all", "gini")


def test_sites_of_area_includes_sex_specific_sites(ctx: None) -> None:
    df = queries.sites_of_area("incidence", "all", 2019, 2023, "country", "FR")
    assert {"breast", "prostate", "lung"} <= set(df.site_code)
    assert df.loc[df.site_code == "prostate", "sex"].item() == "male"
    assert list(df.cases) == sorted(df.cases, reverse=True)


def test_results_are_cached(ctx: None) -> None:
    a = queries.sites_of_area("mortality", "all", 2021, 2021, "region", "84")
    b = queries.sites_of_area("mortality", "all", 2021, 2021, "region", "84")
    assert a is b


def test_map_views_come_from_the_table_in_memory(ctx: None) -> None:
    """Not cached (a lookup costs less than a cache): equal answers, each the caller's own."""
    a = queries.level_values("mortality", "lung", "all", 2021, 2021, "region")
    b = queries.level_values("mortality", "lung", "all", 2021, 2021, "region")
    assert a is not b and a.equals(b) and len(a) > 0


def test_geometry(ctx: None) -> None:
    assert '"FeatureCollection"' in queries.geometry("department")
    with pytest.raises(ValueError):
        queries.geometry("commune")
