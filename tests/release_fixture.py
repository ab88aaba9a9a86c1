"""A small synthetic release that follows the release contract, for fast tests of the readers.

Values are deterministic and plausible but invented; some cells are suppressed so readers are
tested on NULLs. The real pipeline is tested end to end elsewhere (small-scale demo build).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import __version__
from dashboard.pipeline.precision import round_table
from dashboard.pipeline.write_release import write_release
from dashboard.reference_data import departments, geo_table, sites
from dashboard.release_schema import AGE_GROUPS, SCHEMA_VERSION

YEARS = list(range(2019, 2024))
SITES = ["all", "lung", "breast", "prostate"]
GEO_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"


def _square_geometry(codes: list[str]) -> str:
    """A grid of unit squares (clockwise rings), one per code: stands in for real boundaries."""
    feats = []
    for i, code in enumerate(codes):
        x, y = -5 + (i % 12) * 0.8, 42 + (i // 12) * 0.8
        ring = [[x, y], [x, y + 0.7], [x + 0.7, y + 0.7], [x + 0.7, y], [x, y]]
        feats.append({"type": "Feature", "id": code, "properties": {"code": code, "name": code},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection", "features": feats})


def _geometry(geo: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for level, fname in [("department", "departements.geojson"), ("region", "regions.geojson"),
                         ("paris_zoom", "departements_paris_zoom.geojson")]:
        f = GEO_DIR / fname
        if f.exists():
            rows.append((level, f.read_text(encoding="utf-8")))
        else:
            codes = (["75", "92", "93", "94"] if level == "paris_zoom"
                     else list(geo.loc[geo.level == level, "code"]))
            rows.append((level, _square_geometry(codes)))
    return pd.DataFrame(rows, columns=["level", "geojson"])


def _age_table(ind: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """France's counts by age group: the national total split over 18 groups."""
    shape = np.exp(np.linspace(-6, 0, len(AGE_GROUPS)))
    rows = []
    for r in ind[(ind.level == "country") & ind.cases.notna()].itertuples():
        split = rng.multinomial(int(r.cases), shape / shape.sum())
        for j, (label, n) in enumerate(zip(AGE_GROUPS, split, strict=True)):
            pop = r.population / len(AGE_GROUPS)
            hidden = 0 < n < 11
            rate = None if hidden else n / pop * 1e5
            rows.append((r.measure, r.level, r.geo_code, r.sex, r.site_code, r.year_start,
                         r.year_end, label, 5 * j, None if hidden else int(n), pop, rate,
                         None if hidden else rate * 0.9, None if hidden else rate * 1.1,
                         "suppressed" if hidden else "published"))
    keys = ["measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end"]
    frame = pd.DataFrame(rows, columns=[*keys, "age_group", "age_start", "cases", "population",
                                        "rate", "rate_low", "rate_high", "status"])
    frame["cases"] = frame["cases"].astype("Int64")
    return round_table(frame, "age_specific")


def build_fixture_release(path: Path, seed: int = 1) -> Path:
    """Write the synthetic release at ``path`` and return it."""
    rng = np.random.default_rng(seed)
    geo = geo_table()
    site = sites()
    deps = departments()
    pop_dep = dict(zip(deps.code, rng.uniform(8e4, 2.5e6, len(deps)).round(), strict=True))
    rows = []
    periods = [(y, y) for y in YEARS] + [(YEARS[0], YEARS[-1])]
    for measure in ("incidence", "mortality"):
        for s in SITES:
            sexes_allowed = site.set_index("site_code").loc[s, "sexes"]
            sexes = ["male", "female", "all"] if sexes_allowed == "both" else [sexes_allowed]
            base_rate = {"all": 500, "lung": 70, "breast": 160, "prostate": 170}[s]
            base_rate *= 0.4 if measure == "mortality" else 1.0
            for g in geo.itertuples():
                if g.level == "department":
                    pop1 = pop_dep[g.code]
                elif g.level == "region":
                    pop1 = sum(pop_dep[d] for d in deps.code[deps.region == g.code])
                else:
                    pop1 = sum(pop_dep.values())
                rr = float(rng.lognormal(0, 0.12))
                for sex in sexes:
                    share = 1.0 if sex == "all" else 0.5
                    for y0, y1 in periods:
                        pop = pop1 * share * (y1 - y0 + 1)
                        mean = base_rate * rr * pop / 1e5 * (0.5 if sex == "all" else 1)
                        cases = int(rng.poisson(mean / (40 if g.level == "department" else 1)))
                        if g.level == "department" and y0 == y1:
                            continue  # departments: 5-year periods only, as in a real release
                        rows.append((measure, g.level, g.code, sex, s, y0, y1, cases, pop))
    ind = pd.DataFrame(rows, columns=["measure", "level", "geo_code", "sex", "site_code",
                                      "year_start", "year_end", "cases", "population"])
    crude = ind.cases / ind.population * 1e5
    ind["crude_rate"] = crude
    ind["crude_rate_low"] = crude * 0.9
    ind["crude_rate_high"] = crude * 1.1
    for std, f in (("world", 0.55), ("europe", 0.95)):
        ind[f"asr_{std}"] = crude * f
        ind[f"asr_{std}_low"] = crude * f * 0.9
        ind[f"asr_{std}_high"] = crude * f * 1.1
    national = ind[ind.level == "country"].set_index(
        ["measure", "sex", "site_code", "year_start", "year_end"])["crude_rate"]
    key = pd.MultiIndex.from_frame(ind[["measure", "sex", "site_code", "year_start", "year_end"]])
    ind["expected"] = national.reindex(key).to_numpy() * ind.population / 1e5
    ind.loc[ind.level == "country", "expected"] = np.nan
    ind["sir"] = ind.cases / ind.expected
    ind["sir_low"] = ind.sir * 0.85
    ind["sir_high"] = ind.sir * 1.15
    ind["sir_flag"] = np.where(ind.sir_low > 1, "higher",
                               np.where(ind.sir_high < 1, "lower", "not_different"))
    ind.loc[ind.expected.isna(), "sir_flag"] = None
    ind["sir_smoothed"] = (ind.sir + 1) / 2
    ind["sir_prob_above"] = np.clip(ind.sir / 2, 0, 1)
    sensitive = (ind.cases > 0) & (ind.cases < 11)
    ind["status"] = np.where(sensitive, "suppressed", "published")
    value_cols = [c for c in ind.columns if c not in (
        "measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end",
        "population", "status")]
    ind.loc[sensitive, value_cols] = None
    # standardised rates: 20 cases at least; the European ones for France only
    rated = ~sensitive & (ind.cases >= 20)
    ind.loc[~rated, ["asr_world", "asr_world_low", "asr_world_high"]] = None
    ind.loc[~rated | (ind.level != "country"),
            ["asr_europe", "asr_europe_low", "asr_europe_high"]] = None
    ind["asr_status"] = np.where(rated, "published", "withheld")
    ind = round_table(ind, "indicator")

    ineq_rows, summ_rows = [], []
    for r in ind[(ind.level != "department") & (ind.status == "published")].itertuples():
        if r.level == "region" and r.year_start == r.year_end:
            continue
        grad = np.linspace(0.85, 1.2, 5)
        for q in range(1, 6):
            asr = r.asr_world * grad[q - 1]
            ineq_rows.append((r.measure, r.level, r.geo_code, r.sex, r.site_code, r.year_start,
                              r.year_end, q, int(r.cases * grad[q - 1] / 5), r.population / 5,
                              asr, asr * 0.9, asr * 1.1, None, None, None,
                              "published", "published" if np.isfinite(asr) else "withheld"))
        for stat, val in (("rate_ratio", 1.41), ("rate_difference", r.asr_world * 0.35),
                          ("sii", r.asr_world * 0.4), ("rii", 0.4)):
            summ_rows.append((r.measure, r.level, r.geo_code, r.sex, r.site_code, r.year_start,
                              r.year_end, stat, val, val * 0.8, val * 1.2, "published"))
    keys = ["measure", "level", "geo_code", "sex", "site_code", "year_start", "year_end"]
    ineq = pd.DataFrame(ineq_rows, columns=[*keys, "quintile", "cases", "population",
                                            "asr_world", "asr_world_low", "asr_world_high",
                                            "asr_europe", "asr_europe_low", "asr_europe_high",
                                            "status", "asr_status"])
    ineq = round_table(ineq, "inequality")
    summ = pd.DataFrame(summ_rows, columns=[*keys, "statistic", "value", "low", "high", "status"])

    series = ind[(ind.year_start == ind.year_end) & (ind.level != "department")]
    tkeys = ["measure", "level", "geo_code", "sex", "site_code"]
    trend_rows, seg_rows, fit_rows = [], [], []
    for k, grp in series.groupby(tkeys, sort=True):
        ok = bool((grp.status == "published").all())
        aapc = float(rng.normal(0, 2)) if ok else None
        lab = None if not ok else ("rising" if aapc > 1 else "falling" if aapc < -1 else "stable")
        trend_rows.append((*k, YEARS[0], YEARS[-1], 0 if ok else None, aapc,
                           aapc - 1 if ok else None, aapc + 1 if ok else None, aapc,
                           aapc - 1.5 if ok else None, aapc + 1.5 if ok else None, lab,
                           "published" if ok else "suppressed"))
        if ok:
            seg_rows.append((*k, 1, YEARS[0], YEARS[-1], aapc, aapc - 1, aapc + 1))
            first = float(grp.sort_values("year_start").asr_world.iloc[0])
            for i, y in enumerate(YEARS):
                fit_rows.append((*k, y, first * (1 + aapc / 100) ** i))
    trend = pd.DataFrame(trend_rows, columns=[*tkeys, "year_start", "year_end", "joinpoints",
                                              "aapc", "aapc_low", "aapc_high", "aapc_last5",
                                              "aapc_last5_low", "aapc_last5_high", "label",
                                              "status"])
    seg = pd.DataFrame(seg_rows, columns=[*tkeys, "segment", "year_start", "year_end", "apc",
                                          "apc_low", "apc_high"])
    fit = pd.DataFrame(fit_rows, columns=[*tkeys, "year", "asr_world_fitted"])
    n_pub = int((ind.status == "published").sum() + len(ineq))
    release = pd.DataFrame([{
        "release_id": "20260101-fixture0", "created_at": pd.Timestamp("2026-01-01 12:00:00"),
        "data_kind": "simulated", "first_year": YEARS[0], "last_year": YEARS[-1],
        "suppression_threshold": 11,
        "suppression_rule": "Counts from 1 to 10 are not published (fixture).",
        "suppression_rule_fr": "Les effectifs de 1 à 10 ne sont pas publiés (jeu d'essai).",
        "standards_fr": "monde (Segi 1960) ; Europe (ESP 2013)",
        "interval_methods_fr": "Poisson exact ; Tiwari 2006",
        "sources_fr": "jeu d'essai synthétique",
        "cells_published": n_pub, "cells_suppressed": int(sensitive.sum()),
        "audit_passed": True, "standards": "world (Segi 1960); Europe (ESP 2013)",
        "interval_methods": "exact Poisson; Tiwari 2006", "sources": "synthetic test fixture",
        "citation": "Test fixture release.", "licence": "Licence Ouverte / Etalab 2.0",
        "schema_version": SCHEMA_VERSION, "software_version": __version__,
    }])
    tables = {"release": release, "geo": geo, "site": site, "indicator": ind,
              "inequality": ineq, "inequality_summary": summ,
              "age_specific": _age_table(ind, rng), "trend": trend,
              "trend_segment": seg, "trend_fitted": fit, "geometry": _geometry(geo)}
    return write_release(path, tables)


if __name__ == "__main__":
    import sys

    print(build_fixture_release(Path(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb")))
