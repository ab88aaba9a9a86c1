"""The release build: sources -> validated rows -> aggregates -> protected indicators -> file.

Layers stay separate: ``ingest`` (sources), ``aggregate`` and ``cells`` (what is counted and
published), ``dashboard.disclosure`` (suppression and its audit), ``indicators``,
``inequalities`` and ``trends`` (statistics of the published cells), ``write_release``.
Reports that hold real values (rejections, disclosure audit) go to ``reports_dir`` on the
secure side, never into the release.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from dashboard import __version__
from dashboard.disclosure import audit, protect
from dashboard.disclosure.protect import AGE_TABLE
from dashboard.disclosure.rates import decide as decide_rates
from dashboard.pipeline import published_cells
from dashboard.pipeline.aggregate import MEASURES, aggregate
from dashboard.pipeline.indicator_values import age_table, indicator_table, reference_rates
from dashboard.pipeline.inequalities import quintile_table, summary_table
from dashboard.pipeline.ingest import (
    format_rejections,
    ingest,
    rejection_report,
    write_rejection_report,
)
from dashboard.pipeline.trends import trend_tables
from dashboard.pipeline.write_release import write_release
from dashboard.reference_data import dep_region, geo_table, sites
from dashboard.release_schema import SCHEMA_VERSION
from dashboard.sources.errors import SourceError
from dashboard.typography import french

DEFAULT_YEARS = range(2010, 2024)
GEOMETRY_DIR = resources.files("dashboard.reference").joinpath("geo")  # package data
GEOMETRY_FILES = {"department": "departements.geojson", "region": "regions.geojson",
                  "paris_zoom": "departements_paris_zoom.geojson"}
SUPPRESSION_RULE = (
    "Counts from 1 to {t1} are never published, nor any value computed from them (primary "
    "suppression). Further cells are hidden (complementary suppression) so that no hidden count "
    "can be recovered or narrowed to an interval narrower than {t} by combining published "
    "figures (areas, sexes, years, periods, deprivation quintiles, age groups, 'all cancers' "
    "and its sites); an independent linear-programming audit checks every hidden count. "
    "Standardised rates are published for cells of 20 cases or more whose rates cannot narrow "
    "the count of an age group to less than {t}. Values are rounded to the precision their "
    "meaning needs. Zero is published."
)
SUPPRESSION_RULE_FR = (
    "Les effectifs de 1 à {t1} ne sont jamais publiés, ni aucune valeur calculée à partir "
    "d'eux (secret primaire). D'autres cases sont masquées (secret secondaire) pour qu'aucun "
    "effectif caché ne puisse être retrouvé ni encadré dans un intervalle plus étroit que {t} "
    "en combinant les chiffres publiés (territoires, sexes, années, périodes, quintiles de "
    "défavorisation, classes d'âge, « tous cancers » et ses localisations) ; un audit "
    "indépendant par programmation linéaire vérifie chaque effectif caché. Les taux "
    "standardisés sont publiés pour les cases d'au moins 20 cas dont les taux ne permettent "
    "pas d'encadrer l'effectif d'une classe d'âge à moins de {t}. Les valeurs sont arrondies "
    "à la précision que leur sens exige. Le zéro est publié."
)
STANDARDS_TEXT = ("world: Segi 1960 as modified by Doll, Payne & Waterhouse 1966 (world "
                  "age-standardised rate); europe: European Standard Population 2013 (Eurostat)")
INTERVALS_TEXT = ("95% intervals: exact Poisson (Garwood 1936) for crude rates and SIR; gamma "
                  "method of Tiwari, Clegg & Zou 2006 for standardised rates; empirical Bayes "
                  "(Clayton & Kaldor 1987) for smoothed SIR; joinpoint (Kim et al. 2000) with "
                  "AAPC of Clegg et al. 2009 for trends")

STANDARDS_TEXT_FR = ("monde : Segi 1960 modifiée par Doll, Payne et Waterhouse 1966 (taux "
                     "standardisé monde) ; Europe : population standard européenne 2013 "
                     "(Eurostat)")
INTERVALS_TEXT_FR = ("intervalles à 95 % : Poisson exact (Garwood 1936) pour les taux bruts et "
                     "les SIR ; méthode gamma de Tiwari, Clegg et Zou 2006 pour les taux "
                     "standardisés ; bayésien empirique (Clayton et Kaldor 1987) pour les SIR "
                     "lissés ; joinpoint (Kim et al. 2000) avec l'AAPC de Clegg et al. 2009 "
                     "pour les tendances")


class BuildError(SourceError):
    """The build cannot produce a safe release (e.g. the disclosure audit failed)."""


@dataclass
class BuildOptions:
    """What to build and how."""

    sources: Path
    out: Path
    years: range = DEFAULT_YEARS
    threshold: int = 11
    max_rejected_share: float = 0.02
    data_kind: str | None = None  # read from sources/SOURCE.json when None
    reports_dir: Path | None = None
    progress: bool = True
    sites: list[str] | None = None  # publish only these sites (quick builds, tests)


@dataclass
class BuildReport:
    """Figures of one build."""

    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)


def source_metadata(sources: Path) -> dict:
    """``SOURCE.json`` beside the sources: data kind and provenance (demo writes it)."""
    path = sources / "SOURCE.json"
    if not path.exists():
        return {"data_kind": "observed", "description": "registry extract",
                "description_fr": "extraction du registre"}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(f"SOURCE.json: not valid JSON ({exc.msg})") from None


def _geometry() -> pd.DataFrame:
    rows = []
    for level, name in GEOMETRY_FILES.items():
        path = GEOMETRY_DIR.joinpath(name)
        if not path.is_file():
            raise SourceError(f"geometry file missing from the package: {name}")
        rows.append((level, path.read_text(encoding="utf-8")))
    return pd.DataFrame(rows, columns=["level", "geojson"])


def _cells_frame(table: published_cells.CellTable, name: str) -> pd.DataFrame:
    frame = table.keys.copy()
    frame["table"] = name
    if "quintile" not in frame:
        frame["quintile"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    else:
        frame["quintile"] = frame["quintile"].astype("Int64")
    frame["cases"] = table.cases
    if name == AGE_TABLE:
        frame["age"] = (frame.pop("age_start").to_numpy() // 5).astype(np.int64)
        frame = frame.drop(columns="age_group")
        frame["population"] = table.population.sum(axis=1)
    return frame


def _age_vectors(table: published_cells.CellTable, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Age vectors (n × 18) of a cell table (zeros for France's age-specific cells)."""
    if name == AGE_TABLE:
        zeros = np.zeros((len(table.keys), 18))
        return zeros, zeros
    return table.counts.astype(float), np.asarray(table.population, dtype=float)


def _statistics(parts: list[tuple[published_cells.CellTable, str]], published: np.ndarray,
                rated: np.ndarray) -> dict[str, pd.DataFrame]:
    """Release tables of the published cells (``parts`` in the order of ``published``)."""
    split = np.cumsum([0] + [len(tab.keys) for tab, _ in parts])
    by = {(name, tab.keys["measure"].iloc[0]): (tab, published[a:b], rated[a:b])
          for (tab, name), a, b in zip(parts, split[:-1], split[1:], strict=True)}
    out: dict[str, list[pd.DataFrame]] = {"indicator": [], "inequality": [],
                                          "inequality_summary": [], AGE_TABLE: []}
    for measure in MEASURES:
        ind, ind_pub, ind_rated = by[("indicator", measure)]
        ages, ages_pub, _ = by[(AGE_TABLE, measure)]
        reference = reference_rates(ages, ages_pub, _national_totals(ind, ind_pub))
        out[AGE_TABLE].append(age_table(ages, ages_pub))
        out["indicator"].append(indicator_table(ind, ind_pub, ind_rated, reference))
        ineq, ineq_pub, ineq_rated = by[("inequality", measure)]
        q = quintile_table(ineq, ineq_pub, ineq_rated)
        out["inequality"].append(q)
        out["inequality_summary"].append(summary_table(q))
    final = {k: pd.concat(v, ignore_index=True) for k, v in out.items()}
    final.update(trend_tables(final["indicator"]))
    return final


def _national_totals(ind: published_cells.CellTable, published: np.ndarray) -> pd.Series:
    """France's published totals by series (measure, sex, site, period)."""
    keys = ind.keys
    nat = (keys["level"] == "country").to_numpy() & published
    frame = keys.loc[nat, ["measure", "sex", "site_code", "year_start", "year_end"]]
    return pd.Series(ind.cases[nat].astype(float), index=pd.MultiIndex.from_frame(frame))


def release_id(tables: dict[str, pd.DataFrame], created: datetime) -> str:
    """Date and a short hash of the published indicator values."""
    digest = hashlib.sha256()
    for name in ("indicator", "inequality", "trend"):
        digest.update(pd.util.hash_pandas_object(tables[name], index=False).to_numpy().tobytes())
    return f"{created:%Y%m%d}-{digest.hexdigest()[:8]}"


def build_release(opts: BuildOptions) -> BuildReport:
    """Run the whole build; raise ``SourceError`` (one clear line) on bad input."""
    report = BuildReport()
    unknown = set(opts.sites or ()) - set(sites()["site_code"])
    if unknown:
        raise SourceError(f"unknown site code(s): {', '.join(sorted(unknown))}")
    meta = source_metadata(opts.sources)
    data_kind = opts.data_kind or meta.get("data_kind", "observed")
    reports_dir = opts.reports_dir or opts.sources / "reports"
    steps = tqdm(total=7, desc="build", unit="step", disable=not opts.progress)

    def step(name: str, start: float) -> None:
        report.seconds[name] = time.perf_counter() - start
        steps.set_postfix_str(name)
        steps.update()

    t = time.perf_counter()
    sources = ingest(opts.sources, opts.years, opts.max_rejected_share)
    rejections = rejection_report(sources.validated())
    write_rejection_report(rejections, reports_dir / "rejections.json")
    if opts.progress:
        tqdm.write(format_rejections(rejections))
    for v in sources.validated():
        report.rows[f"{v.source}_read"] = v.read
        report.rows[f"{v.source}_rejected"] = v.n_rejected
    step("ingest", t)

    t = time.perf_counter()
    agg = aggregate(sources)
    del sources
    step("aggregate", t)

    t = time.perf_counter()
    only = opts.sites
    tables = {m: (published_cells.indicator_cells(agg, m, only),
                  published_cells.inequality_cells(agg, m, only)) for m in MEASURES}
    ages = {m: published_cells.age_cells(tables[m][0]) for m in MEASURES}
    parts = [(tables[m][0], "indicator") for m in MEASURES] + \
        [(tables[m][1], "inequality") for m in MEASURES] + [(ages[m], AGE_TABLE) for m in MEASURES]
    cells = pd.concat([_cells_frame(tab, name) for tab, name in parts], ignore_index=True)
    age_counts = np.concatenate([_age_vectors(tab, name)[0] for tab, name in parts])
    age_pop = np.concatenate([_age_vectors(tab, name)[1] for tab, name in parts])
    base = pd.concat([published_cells.disclosure_base(agg, m, only) for m in MEASURES],
                     ignore_index=True)
    coupled = only is None or "all" in only
    remainder = pd.concat([published_cells.disclosure_base(agg, m, remainder=True)
                           for m in MEASURES], ignore_index=True) if coupled else None
    empty = published_cells.empty_units(agg)
    step("cells", t)

    t = time.perf_counter()
    protected = protect(base, cells, dep_region(), opts.threshold, empty=empty,
                        remainder=remainder)
    rated, certificates = decide_rates(protected, age_counts, age_pop, opts.threshold)
    step("suppression", t)
    t = time.perf_counter()
    result = audit(base, protected, dep_region(), opts.threshold, empty=empty,
                   remainder=remainder, ages=(age_counts, age_pop), rates_published=rated,
                   certificates=certificates)
    reports_dir.mkdir(parents=True, exist_ok=True)
    (reports_dir / "disclosure-audit.md").write_text(result.to_markdown(), encoding="utf-8")
    if not result.passed:
        raise BuildError(f"disclosure audit failed: {len(result.failures)} under-protected "
                         f"cell(s); see {reports_dir / 'disclosure-audit.md'}")
    step("audit", t)

    t = time.perf_counter()
    published = protected["status"].eq("published").to_numpy()
    final = _statistics(parts, published, rated)
    step("statistics", t)

    t = time.perf_counter()
    created = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    rid = release_id(final, created)
    final["release"] = pd.DataFrame([{
        "release_id": rid, "created_at": created, "data_kind": data_kind,
        "first_year": opts.years.start, "last_year": opts.years.stop - 1,
        "suppression_threshold": opts.threshold,
        "suppression_rule": SUPPRESSION_RULE.format(t1=opts.threshold - 1, t=opts.threshold),
        "suppression_rule_fr": french(SUPPRESSION_RULE_FR.format(t1=opts.threshold - 1,
                                                                 t=opts.threshold)),
        "cells_published": int(published.sum()), "cells_suppressed": int((~published).sum()),
        "audit_passed": bool(result.passed), "standards": STANDARDS_TEXT,
        "standards_fr": french(STANDARDS_TEXT_FR),
        "interval_methods": INTERVALS_TEXT, "interval_methods_fr": french(INTERVALS_TEXT_FR),
        "sources": meta.get("description", "registry extract"),
        "sources_fr": french(meta.get("description_fr", meta.get("description",
                                                                 "extraction du registre"))),
        "citation": french(
            f"Registre national des cancers. Indicateurs d'incidence et de mortalité par "
            f"cancer, {opts.years.start}-{opts.years.stop - 1}, version {rid}"
            + (" (données simulées)." if data_kind == "simulated" else ".")),
        "licence": "Licence Ouverte / Etalab 2.0",
        "schema_version": SCHEMA_VERSION, "software_version": __version__,
    }])
    final["geo"] = geo_table()
    final["site"] = sites()[sites()["site_code"].isin(only or sites()["site_code"])]
    final["geometry"] = _geometry()
    write_release(opts.out, final)
    step("write", t)
    steps.close()
    report.cells = {"published": int(published.sum()), "suppressed": int((~published).sum()),
                    "primary": result.n_primary, "complementary": result.n_complementary}
    report.rows["indicator"] = len(final["indicator"])
    return report


def as_years(first: int, last: int) -> range:
    """Validated range of years of coverage."""
    if last < first:
        raise SourceError(f"last year {last} is before first year {first}")
    return range(first, last + 1)


def summary_line(report: BuildReport) -> str:
    """One line of figures for the console."""
    seconds = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    c = report.cells
    return (f"{report.rows.get('indicator', 0):,} indicator rows; cells published "
            f"{c.get('published', 0):,}, suppressed {c.get('suppressed', 0):,} (primary "
            f"{c.get('primary', 0):,}, complementary {c.get('complementary', 0):,}); {seconds}")


__all__ = ["BuildError", "BuildOptions", "as_years", "build_release", "summary_line"]
