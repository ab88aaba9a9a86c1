"""The public release contract: every table and column of ``indicators.duckdb``, as data.

Each column is declared once (name, DuckDB type, unit, allowed values, nullability, French and
English description, key or not). Everything else is generated from these declarations: the
DDL the build writes (:func:`ddl`), the Arrow schema of downloads (:func:`arrow_schema`), the
Frictionless Table Schema of the bulk files (:func:`table_schema`, also the source of the
OpenAPI row schemas) and ``docs/release-schema.md`` (:func:`markdown`; ``python -m
dashboard.release_schema`` rewrites it and a test fails when it is stale). Nothing reads the
Markdown at run time. Tables are written sorted by their key so DuckDB zone maps serve the usual
filters.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.stats.standard_populations import AGE_GROUPS as STANDARD_AGE_GROUPS
from dashboard.typography import french

SCHEMA_VERSION = "1.2"

# Status of a published cell: public code knows nothing finer (primary vs complementary
# suppression stays internal, see docs/disclosure-control.md).
STATUSES = ("published", "suppressed")
MEASURES = ("incidence", "mortality")
LEVELS = ("country", "region", "department")
SEXES = ("male", "female", "all")
SITE_SEXES = ("both", "male", "female")
SIR_FLAGS = ("higher", "lower", "not_different")
TREND_LABELS = ("rising", "stable", "falling")
# Standardised rates of a published cell are either published with it or withheld (too few
# cases for a reliable rate, or they would narrow an age group's count: see
# docs/disclosure-control.md). A suppressed cell's rates are always withheld.
ASR_STATUSES = ("published", "withheld")
AGE_GROUPS = tuple(STANDARD_AGE_GROUPS)  # "0-4", ..., "80-84", "85+"
INEQUALITY_STATISTICS = ("rate_ratio", "rate_difference", "sii", "rii")
DATA_KINDS = ("simulated", "observed")
GEOMETRY_LEVELS = ("department", "region", "paris_zoom")

RATE_UNIT = "per 100,000 person-years"
COUNT_UNIT = "cases (or deaths)"

_ARROW_TYPES = {"VARCHAR": pa.string(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(),
                "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
                "TIMESTAMP": pa.timestamp("us")}
TABLE_SCHEMA_TYPES = {"VARCHAR": "string", "SMALLINT": "integer", "INTEGER": "integer",
                      "BIGINT": "integer", "DOUBLE": "number", "BOOLEAN": "boolean",
                      "TIMESTAMP": "datetime"}


@dataclass(frozen=True)
class Column:
    """One column of a release table."""

    name: str
    type: str  # DuckDB type
    en: str
    fr: str
    nullable: bool = True
    unit: str | None = None
    enum: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fr", french(self.fr))  # one typography for every reader

    def description(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Table:
    """One table of the release: its columns, its key (also its sort order) and its notes."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    title_en: str = ""
    title_fr: str = ""
    notes_en: str = ""
    notes_fr: str = ""
    public: bool = True  # downloadable (bulk files, API)
    # Documentation rows shared by consecutive columns: first column -> (count, text).
    doc_groups: dict[str, tuple[int, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title_fr", french(self.title_fr))
        object.__setattr__(self, "notes_fr", french(self.notes_fr))

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def is_key(self, name: str) -> bool:
        return name in self.key

    def description(self, lang: str = "en") -> str:
        """The table's title and notes as one text."""
        title = self.title_fr if lang == "fr" else self.title_en
        notes = self.notes_fr if lang == "fr" else self.notes_en
        title = title[:1].upper() + title[1:]
        return ". ".join(t for t in (title, notes) if t)


def _col(name: str, dtype: str, en: str, fr: str, *, null: bool = True,
         unit: str | None = None, enum: tuple[Any, ...] | None = None) -> Column:
    return Column(name, dtype, en, fr, nullable=null, unit=unit, enum=enum)


def _req(name: str, dtype: str, en: str, fr: str, **kw: Any) -> Column:
    return _col(name, dtype, en, fr, null=False, **kw)


def _limits(name: str, dtype: str, of_en: str, of_fr: str, method_en: str, method_fr: str,
            unit: str | None, null: bool = True) -> tuple[Column, Column]:
    """Lower and upper 95% limits of ``name``."""
    suffix_en = f" ({method_en})" if method_en else ""
    suffix_fr = f" ({method_fr})" if method_fr else ""
    return (
        _col(f"{name}_low", dtype, f"Lower 95% limit{of_en}{suffix_en}.",
             f"Borne inférieure à 95 %{of_fr}{suffix_fr}.", null=null, unit=unit),
        _col(f"{name}_high", dtype, f"Upper 95% limit{of_en}{suffix_en}.",
             f"Borne supérieure à 95 %{of_fr}{suffix_fr}.", null=null, unit=unit),
    )


def _with(column: Column, en: str | None = None, fr: str | None = None, **kw: Any) -> Column:
    return replace(column, en=en or column.en, fr=fr or column.fr, **kw)


# --- shared columns --------------------------------------------------------------------------

MEASURE = _req("measure", "VARCHAR", "`incidence` or `mortality`.",
               "`incidence` ou `mortality` (mortalité).", enum=MEASURES)
LEVEL = _req("level", "VARCHAR", "Geographic level of `geo_code`.",
             "Niveau géographique de `geo_code`.", enum=LEVELS)
GEO_CODE = _req("geo_code", "VARCHAR", "Area code (see `geo`).",
                "Code de la zone (voir `geo`).")
SEX = _req("sex", "VARCHAR", "`male`, `female` or `all`.",
           "`male` (hommes), `female` (femmes) ou `all` (les deux sexes).", enum=SEXES)
SITE_CODE = _req("site_code", "VARCHAR", "Cancer site (see `site`).",
                 "Localisation cancéreuse (voir `site`).")
YEAR_START = _req("year_start", "SMALLINT", "First year of the period.",
                  "Première année de la période.", unit="year")
YEAR_END = _req("year_end", "SMALLINT",
                "Last year of the period (equal to `year_start` for a single year).",
                "Dernière année de la période (égale à `year_start` pour une année seule).",
                unit="year")
SERIES_KEYS = (MEASURE, LEVEL, GEO_CODE, SEX, SITE_CODE)
CELL_KEYS = (*SERIES_KEYS, YEAR_START, YEAR_END)
STATUS = _req("status", "VARCHAR", "`published` or `suppressed`.",
              "`published` (publiée) ou `suppressed` (secret statistique).", enum=STATUSES)
ASR_STATUS = _req(
    "asr_status", "VARCHAR",
    "`published` when the standardised rates are published, `withheld` otherwise (fewer than "
    "20 cases, rates that would narrow an age group's count, or a suppressed cell).",
    "`published` quand les taux standardisés sont publiés, `withheld` sinon (moins de 20 cas, "
    "taux qui préciseraient l'effectif d'une classe d'âge, ou cellule supprimée).",
    enum=ASR_STATUSES)
_TIWARI_EN, _TIWARI_FR = "gamma method, Tiwari et al. 2006", "méthode gamma, Tiwari et al. 2006"
_TIWARI = "Tiwari et al. 2006"
_GARWOOD_EN, _GARWOOD_FR = "exact Poisson, Garwood 1936", "Poisson exact, Garwood 1936"


def _asr_columns(world_en: str, world_fr: str, europe_en: str, europe_fr: str,
                 limit_of: bool, methods: tuple[str, str]) -> tuple[Column, ...]:
    """The world and European standardised rates with their limits (``methods``: of each)."""
    out: list[Column] = []
    for name, en, fr, method in (("asr_world", world_en, world_fr, methods[0]),
                                 ("asr_europe", europe_en, europe_fr, methods[1])):
        of_en, of_fr = (f" of `{name}`", f" de `{name}`") if limit_of else ("", "")
        m_fr = _TIWARI_FR if method == _TIWARI_EN else method
        out += [_col(name, "DOUBLE", en, fr, unit=RATE_UNIT),
                *_limits(name, "DOUBLE", of_en, of_fr, method, m_fr, RATE_UNIT)]
    return tuple(out)


# --- tables ----------------------------------------------------------------------------------

RELEASE = Table("release", (
    _req("release_id", "VARCHAR",
         "Identifier of this release (`YYYYMMDD-` + first 8 hex digits of the content hash); "
         "keys caches, ETags and citations.",
         "Identifiant de la release (`AAAAMMJJ-` + 8 premiers chiffres hexadécimaux de "
         "l'empreinte du contenu) ; clé des caches, des ETag et des citations."),
    _req("created_at", "TIMESTAMP", "UTC timestamp of the build.",
         "Date et heure UTC de la construction."),
    _req("data_kind", "VARCHAR",
         "`simulated` (built from the demo registry: not real data) or `observed`.",
         "`simulated` (construite à partir du registre de démonstration : pas des données "
         "réelles) ou `observed` (observées).", enum=DATA_KINDS),
    _req("first_year", "SMALLINT", "First year of diagnosis/death covered.",
         "Première année de diagnostic ou de décès couverte.", unit="year"),
    _req("last_year", "SMALLINT", "Last year covered.", "Dernière année couverte.",
         unit="year"),
    _req("suppression_threshold", "INTEGER",
         "Counts from 1 to threshold − 1 are never published (default 11).",
         "Les effectifs de 1 à seuil − 1 ne sont jamais publiés (11 par défaut)."),
    _req("suppression_rule", "VARCHAR",
         "Plain-language statement of the rule (primary and complementary suppression), in "
         "English.",
         "La règle en clair (secret primaire et secondaire), en anglais."),
    _req("suppression_rule_fr", "VARCHAR",
         "The same text in French (`suppression_rule` is English).",
         "Le même texte en français (`suppression_rule` est en anglais)."),
    _req("cells_published", "BIGINT",
         "Number of published cells (indicator, inequality and age_specific tables).",
         "Nombre de cellules publiées (tables indicator, inequality et age_specific)."),
    _req("cells_suppressed", "BIGINT",
         "Number of suppressed cells (indicator, inequality and age_specific tables).",
         "Nombre de cellules supprimées (tables indicator, inequality et age_specific)."),
    _req("audit_passed", "BOOLEAN",
         "True when the independent attacker audit found no under-protected cell (the build "
         "fails otherwise).",
         "Vrai quand l'audit indépendant (attaquant) n'a trouvé aucune cellule insuffisamment "
         "protégée (la construction échoue sinon)."),
    _req("standards", "VARCHAR",
         "Standard populations used: world (Segi 1960, modified by Doll et al. 1966) and "
         "European Standard Population 2013 (in English).",
         "Populations de référence : monde (Segi 1960, modifiée par Doll et al. 1966) et "
         "population standard européenne 2013 (texte en anglais)."),
    _req("standards_fr", "VARCHAR",
         "The same text in French (`standards` is English).",
         "Le même texte en français (`standards` est en anglais)."),
    _req("interval_methods", "VARCHAR",
         "Interval methods: exact Poisson (Garwood) for counts, crude rates and SIR; Tiwari "
         "et al. (2006) gamma for standardised rates (in English).",
         "Méthodes des intervalles : Poisson exact (Garwood) pour les effectifs, taux bruts et "
         "SIR ; gamma de Tiwari et al. (2006) pour les taux standardisés (texte en anglais)."),
    _req("interval_methods_fr", "VARCHAR",
         "The same text in French (`interval_methods` is English).",
         "Le même texte en français (`interval_methods` est en anglais)."),
    _req("sources", "VARCHAR",
         "Data sources and vintages (registry extract, INSEE population estimates, geography, "
         "deprivation index), in English.",
         "Sources et millésimes (extraction du registre, estimations de population INSEE, "
         "géographie, indice de défavorisation), en anglais."),
    _req("sources_fr", "VARCHAR",
         "The same text in French (`sources` is English).",
         "Le même texte en français (`sources` est en anglais)."),
    _req("citation", "VARCHAR", "Suggested citation of the release.",
         "Citation suggérée de la release."),
    _req("licence", "VARCHAR",
         "Licence of the published data (Etalab Open Licence 2.0).",
         "Licence des données publiées (Licence Ouverte / Etalab 2.0)."),
    _req("schema_version", "VARCHAR", "Version of this schema.", "Version de ce schéma."),
    _req("software_version", "VARCHAR", "Version of the software that built the release.",
         "Version du logiciel qui a construit la release."),
), key=("release_id",), title_en="one row: what this release is and how it was built",
   title_fr="une ligne : ce qu'est cette release et comment elle a été construite")

GEO = Table("geo", (
    _req("level", "VARCHAR", "`country`, `region` or `department`.",
         "`country` (France), `region` ou `department` (département).", enum=LEVELS),
    _req("code", "VARCHAR", "INSEE code (`FR` for France).", "Code INSEE (`FR` pour la France)."),
    _req("name", "VARCHAR", "Official name in French.", "Nom officiel en français."),
    _col("parent_code", "VARCHAR",
         "Code of the enclosing area (region of a department, `FR` for a region, NULL for "
         "France).",
         "Code de la zone englobante (région d'un département, `FR` pour une région, NULL pour "
         "la France)."),
), key=("level", "code"), title_en="one row per area: France, its regions and departments",
   title_fr="une ligne par zone : la France, ses régions et ses départements")

SITE = Table("site", (
    _req("site_code", "VARCHAR",
         "Stable code of the cancer site (e.g. `lung`, `colorectum`, `all`).",
         "Code stable de la localisation (par ex. `lung`, `colorectum`, `all`)."),
    _req("label_fr", "VARCHAR", "Label in French.", "Libellé en français."),
    _req("label_en", "VARCHAR", "Label in English.", "Libellé en anglais."),
    _req("icd10", "VARCHAR",
         "ICD-10 codes covered (e.g. `C33-C34`; `all` is C00-C97 except C44).",
         "Codes CIM-10 couverts (par ex. `C33-C34` ; `all` : C00-C97 sauf C44)."),
    _req("sexes", "VARCHAR", "`both`, `male` or `female`: sexes for which the site is published.",
         "`both`, `male` ou `female` : sexes pour lesquels la localisation est publiée.",
         enum=SITE_SEXES),
), key=("site_code",), title_en="one row per cancer site (ICD-10 codes)",
   title_fr="une ligne par localisation cancéreuse (codes CIM-10)")

_CASES = _col("cases", "BIGINT",
              "Number of new cases (incidence) or deaths (mortality) over the period. NULL when "
              "suppressed.",
              "Nombre de nouveaux cas (incidence) ou de décès (mortalité) sur la période. NULL "
              "quand la cellule est supprimée.", unit=COUNT_UNIT)
_POPULATION = _req("population", "DOUBLE",
                   "Person-years at risk over the period (sum of 1 January population "
                   "estimates over the years, INSEE).",
                   "Personnes-années à risque sur la période (somme des estimations de "
                   "population au 1er janvier, INSEE).", unit="person-years")

INDICATOR = Table("indicator", (
    *CELL_KEYS, _CASES, _POPULATION,
    _col("crude_rate", "DOUBLE", "Cases per 100,000 person-years.",
         "Cas pour 100 000 personnes-années.", unit=RATE_UNIT),
    *_limits("crude_rate", "DOUBLE", " of the crude rate", " du taux brut", _GARWOOD_EN,
             _GARWOOD_FR, RATE_UNIT),
    *_asr_columns(
        "Age-standardised rate per 100,000, world standard population (Segi 1960, \"taux "
        "standardisé monde\", TSM), 18 five-year age groups to 85+.",
        "Taux standardisé pour 100 000, population mondiale (Segi 1960, taux standardisé "
        "monde, TSM), 18 classes d'âge quinquennales jusqu'à 85+.",
        "Age-standardised rate per 100,000, European Standard Population 2013 (85+ "
        "collapsed).",
        "Taux standardisé pour 100 000, population standard européenne 2013 (85+ regroupés).",
        limit_of=True, methods=(_TIWARI_EN, _TIWARI)),
    _col("expected", "DOUBLE",
         "Expected cases if the area had France's age-specific rates for the same measure, sex, "
         "site and period (indirect standardisation), the published ones of `age_specific`: age "
         "groups hidden there share the pooled rate of the hidden groups (France's total minus "
         "the published groups, over their person-years). NULL for France, and where France's "
         "age table is withheld.",
         "Cas attendus si la zone avait les taux par âge de la France pour la même mesure, le "
         "même sexe, la même localisation et la même période (standardisation indirecte), ceux "
         "publiés dans `age_specific` : les classes d'âge masquées y partagent le taux commun "
         "des classes masquées (total France moins les classes publiées, rapporté à leurs "
         "personnes-années). NULL pour la France et quand la table d'âge de la France est "
         "retenue.", unit=COUNT_UNIT),
    _col("sir", "DOUBLE",
         "Standardised incidence (or mortality) ratio: `cases / expected`; 1 = as France.",
         "Ratio standardisé d'incidence (ou de mortalité) : `cases / expected` ; 1 = comme la "
         "France.", unit="ratio"),
    *_limits("sir", "DOUBLE", " of the SIR", " du SIR", "exact Poisson on `cases`",
             "Poisson exact sur `cases`", "ratio"),
    _col("sir_flag", "VARCHAR",
         "`higher` (lower limit > 1), `lower` (upper limit < 1) or `not_different` from France.",
         "`higher` (borne inférieure > 1), `lower` (borne supérieure < 1) ou `not_different` "
         "(pas différent de la France).", enum=SIR_FLAGS),
    _col("sir_smoothed", "DOUBLE",
         "Empirical Bayes smoothed SIR (Poisson-gamma model, Clayton & Kaldor 1987), estimated "
         "across the published areas of the same level, measure, sex, site and period.",
         "SIR lissé par Bayes empirique (modèle Poisson-gamma, Clayton & Kaldor 1987), estimé "
         "sur les zones publiées du même niveau, de la même mesure, du même sexe, de la même "
         "localisation et de la même période.", unit="ratio"),
    _col("sir_prob_above", "DOUBLE",
         "Posterior probability that the area's true SIR exceeds 1 (same model).",
         "Probabilité a posteriori que le vrai SIR de la zone dépasse 1 (même modèle).",
         unit="probability"),
    STATUS, ASR_STATUS,
), key=("measure", "site_code", "sex", "level", "year_start", "year_end", "geo_code"),
    title_en="one row per measure × area × sex × site × period",
    title_fr="une ligne par mesure × zone × sexe × localisation × période")

INEQUALITY = Table("inequality", (
    MEASURE, _with(LEVEL, "`country` or `region`.", "`country` (France) ou `region`."),
    _with(GEO_CODE, "Area code.", "Code de la zone."), SEX,
    _with(SITE_CODE, "Cancer site.", "Localisation cancéreuse."), YEAR_START,
    _with(YEAR_END, "Last year of the period.", "Dernière année de la période."),
    _req("quintile", "SMALLINT",
         "Deprivation quintile, 1 (least deprived) to 5 (most deprived).",
         "Quintile de défavorisation, 1 (le moins défavorisé) à 5 (le plus défavorisé).",
         enum=(1, 2, 3, 4, 5)),
    _with(_CASES, "Cases or deaths of residents of communes in this quintile. NULL when "
                  "suppressed.",
          "Cas ou décès des habitants des communes de ce quintile. NULL quand la cellule est "
          "supprimée."),
    _with(_POPULATION, "Person-years of residents of communes in this quintile.",
          "Personnes-années des habitants des communes de ce quintile."),
    *_asr_columns("Age-standardised rate (world standard) of the quintile.",
                  "Taux standardisé (population mondiale) du quintile.",
                  "Age-standardised rate (ESP 2013) of the quintile.",
                  "Taux standardisé (population européenne 2013) du quintile.",
                  limit_of=False, methods=(_TIWARI, "")),
    STATUS, _with(ASR_STATUS, "`published` or `withheld`, as in `indicator`.",
                  "`published` ou `withheld`, comme dans `indicator`."),
), key=("measure", "site_code", "sex", "level", "year_start", "year_end", "geo_code",
        "quintile"),
    title_en="deprivation quintiles, country and region level",
    title_fr="quintiles de défavorisation, niveaux France et région",
    notes_en="Quintiles of the commune deprivation index, population-weighted: 1 = least "
             "deprived fifth of the population, 5 = most deprived. Country level: single "
             "years and 5-year periods; region level: 5-year periods, not for the overseas "
             "regions (nearly all their people live in the most deprived quintile) nor for a "
             "regional quintile of fewer than 50,000 inhabitants. Standardised rates are "
             "world-standardised only (the European columns stay NULL).",
    notes_fr="Quintiles de l'indice de défavorisation des communes, pondérés par la "
             "population : 1 = le cinquième le moins défavorisé de la population, 5 = le plus "
             "défavorisé. Niveau France : années seules et périodes de 5 ans ; niveau région : "
             "périodes de 5 ans, sauf pour les régions d'outre-mer (presque toute leur "
             "population vit dans le quintile le plus défavorisé) et pour un quintile régional "
             "de moins de 50 000 habitants. Taux standardisés monde seulement (les colonnes "
             "européennes restent NULL).")

INEQUALITY_SUMMARY = Table("inequality_summary", (
    *INEQUALITY.columns[:7],
    _req("statistic", "VARCHAR",
         "`rate_ratio` (quintile 5 / quintile 1), `rate_difference` (quintile 5 − quintile 1, "
         "per 100,000), `sii` (slope index of inequality, per 100,000: fitted rate difference "
         "between the most and least deprived ends of the population ranked by deprivation) or "
         "`rii` (relative index of inequality: SII divided by the population-weighted mean "
         "rate).",
         "`rate_ratio` (quintile 5 / quintile 1), `rate_difference` (quintile 5 − quintile 1, "
         "pour 100 000), `sii` (indice de pente des inégalités, pour 100 000 : différence de "
         "taux ajustée entre les extrémités la plus et la moins défavorisée de la population "
         "classée par défavorisation) ou `rii` (indice relatif des inégalités : SII divisé "
         "par le taux moyen pondéré par la population).", enum=INEQUALITY_STATISTICS),
    _col("value", "DOUBLE", "Value of the statistic.", "Valeur de la statistique."),
    _col("low", "DOUBLE", "Lower 95% limit.", "Borne inférieure à 95 %."),
    _col("high", "DOUBLE", "Upper 95% limit.", "Borne supérieure à 95 %."),
    STATUS,
), key=("measure", "site_code", "sex", "level", "year_start", "year_end", "geo_code",
        "statistic"),
    title_en="social inequality indices (SII, RII, Q5/Q1)",
    title_fr="indices d'inégalité sociale (SII, RII, Q5/Q1)",
    notes_en="One row per series (measure × area × sex × site × period) and statistic, "
             "computed from the published world-standardised rates, limits and person-years "
             "of the five quintiles (variances recovered from the published intervals). "
             "Withheld (`status = suppressed`, NULL values) when any quintile is suppressed or "
             "has its rates withheld.",
    notes_fr="Une ligne par série (mesure × zone × sexe × localisation × période) et "
             "statistique, calculée à partir des taux standardisés monde publiés, de leurs "
             "bornes et des personnes-années des cinq quintiles (variances déduites des "
             "intervalles publiés). Retenue (`status = suppressed`, valeurs NULL) quand un "
             "quintile est supprimé ou a ses taux retenus.",
    doc_groups={"measure": (7, "As in `inequality`.")})

AGE_SPECIFIC = Table("age_specific", (
    *CELL_KEYS,
    _req("age_group", "VARCHAR", "`0-4`, `5-9`, …, `80-84`, `85+`.",
         "`0-4`, `5-9`, …, `80-84`, `85+`.", enum=AGE_GROUPS),
    _req("age_start", "SMALLINT", "First age of the group (0, 5, …, 85).",
         "Premier âge de la classe (0, 5, …, 85).", unit="year"),
    _with(_CASES, "Cases or deaths of the age group. NULL when suppressed.",
          "Cas ou décès de la classe d'âge. NULL quand la cellule est supprimée."),
    _with(_POPULATION, "Person-years of the age group (INSEE).",
          "Personnes-années de la classe d'âge (INSEE)."),
    _col("rate", "DOUBLE", "Age-specific rate per 100,000 person-years.",
         "Taux par âge pour 100 000 personnes-années.", unit=RATE_UNIT),
    *_limits("rate", "DOUBLE", "", "", _GARWOOD_EN, _GARWOOD_FR, RATE_UNIT),
    STATUS,
), key=("measure", "site_code", "sex", "year_start", "year_end", "age_start"),
    title_en="France, by age group", title_fr="France, par classe d'âge",
    notes_en="France's counts and rates by five-year age group, for each measure, sex, site "
             "and period (single years and 5-year periods). They are the reference rates of "
             "the expected counts. Age groups of 1 to 10 cases are suppressed, with complements "
             "(the groups add up to France's total, which is published); the whole table of a "
             "series is withheld when one of France's totals of the series is suppressed.",
    notes_fr="Effectifs et taux de la France par classe d'âge quinquennale, pour chaque "
             "mesure, sexe, localisation et période (années seules et périodes de 5 ans). Ce "
             "sont les taux de référence des cas attendus. Les classes de 1 à 10 cas sont "
             "supprimées, avec des compléments (les classes somment au total de la France, "
             "publié) ; toute la table d'une série est retenue quand un des totaux de la France "
             "de la série est supprimé.",
    doc_groups={"measure": (7, "As in `indicator` (`level` is `country`, `geo_code` `FR`).")})


def _series_keys() -> tuple[Column, ...]:
    return tuple(_with(c, "Series key. " + c.en, "Clé de série. " + c.fr) for c in SERIES_KEYS)


def _pct(name: str, en: str, fr: str, null: bool = True) -> tuple[Column, ...]:
    return (_col(name, "DOUBLE", en, fr, null=null, unit="%"),
            *_limits(name, "DOUBLE", f" of `{name}`", f" de `{name}`", "", "", "%", null=null))


TREND = Table("trend", (
    *_series_keys(),
    _with(YEAR_START, "First year of the fitted series.", "Première année de la série ajustée."),
    _with(YEAR_END, "Last year of the fitted series.", "Dernière année de la série ajustée."),
    _col("joinpoints", "SMALLINT", "Number of joinpoints of the selected model.",
         "Nombre de points de rupture du modèle retenu."),
    *_pct("aapc", "Average annual percent change over the whole series (Clegg et al. 2009), %.",
          "Variation annuelle moyenne en pourcentage sur toute la série (Clegg et al. 2009), "
          "%."),
    *_pct("aapc_last5", "Average annual percent change over the last five years, %.",
          "Variation annuelle moyenne en pourcentage sur les cinq dernières années, %."),
    _col("label", "VARCHAR",
         "`rising` (AAPC lower limit > 0), `falling` (upper limit < 0) or `stable`.",
         "`rising` (hausse : borne inférieure de l'AAPC > 0), `falling` (baisse : borne "
         "supérieure < 0) ou `stable`.", enum=TREND_LABELS),
    _with(STATUS, "`published`, or `suppressed` when a year of the series is suppressed (no "
                  "trend is then given).",
          "`published`, ou `suppressed` quand une année de la série est supprimée (aucune "
          "tendance n'est alors donnée)."),
), key=("measure", "site_code", "sex", "level", "geo_code"),
    title_en="one row per series", title_fr="une ligne par série",
    notes_en="Joinpoint regression of the log world-standardised rate on single years (France "
             "and regions), fitted on the published (rounded) rates and intervals, only for "
             "series whose every year has its rates published.",
    notes_fr="Régression joinpoint du logarithme du taux standardisé monde sur les années "
             "seules (France et régions), ajustée sur les taux et intervalles publiés "
             "(arrondis), seulement pour les séries dont chaque année a ses taux publiés.",
    doc_groups={"measure": (5, "Series keys.")})

TREND_SEGMENT = Table("trend_segment", (
    *_series_keys(),
    _req("segment", "SMALLINT", "Segment number, 1 = earliest.",
         "Numéro du segment, 1 = le plus ancien."),
    _with(YEAR_START, "First year of the segment.", "Première année du segment."),
    _with(YEAR_END, "Last year of the segment (the next joinpoint or the end of the series).",
          "Dernière année du segment (le point de rupture suivant ou la fin de la série)."),
    *_pct("apc", "Annual percent change of the segment, %.",
          "Variation annuelle en pourcentage du segment, %.", null=False),
), key=("measure", "site_code", "sex", "level", "geo_code", "segment"),
    title_en="one row per joinpoint segment of a trend (annual percent change)",
    title_fr="une ligne par segment joinpoint d'une tendance (variation annuelle en pourcentage)",
    doc_groups={"measure": (5, "Series keys.")})

TREND_FITTED = Table("trend_fitted", (
    *_series_keys(),
    _req("year", "SMALLINT", "Year.", "Année.", unit="year"),
    _req("asr_world_fitted", "DOUBLE",
         "World-standardised rate fitted by the selected joinpoint model, per 100,000.",
         "Taux standardisé monde ajusté par le modèle joinpoint retenu, pour 100 000.",
         unit=RATE_UNIT),
), key=("measure", "site_code", "sex", "level", "geo_code", "year"),
    title_en="one row per year of a trend: the fitted joinpoint rate",
    title_fr="une ligne par année d'une tendance : le taux ajusté du modèle joinpoint",
    doc_groups={"measure": (5, "Series keys.")})

GEOMETRY = Table("geometry", (
    _req("level", "VARCHAR", "`department`, `region` or `paris_zoom`.",
         "`department`, `region` ou `paris_zoom` (zoom sur Paris et la petite couronne).",
         enum=GEOMETRY_LEVELS),
    _req("geojson", "VARCHAR",
         "GeoJSON FeatureCollection (EPSG:4326, overseas departments as insets, rings clockwise "
         "for plotly), properties `code` and `name`.",
         "FeatureCollection GeoJSON (EPSG:4326, départements d'outre-mer en encarts, anneaux "
         "dans le sens horaire pour plotly), propriétés `code` et `name`."),
), key=("level",), public=False)

CONTRACT: dict[str, Table] = {t.name: t for t in (
    RELEASE, GEO, SITE, INDICATOR, INEQUALITY, AGE_SPECIFIC, INEQUALITY_SUMMARY, TREND,
    TREND_SEGMENT, TREND_FITTED, GEOMETRY)}
TABLES = tuple(CONTRACT)
# Tables an analyst may download (everything public except the bulky geometry).
PUBLIC_TABLES = ("release", "geo", "site", "indicator", "inequality", "inequality_summary",
                 "age_specific", "trend", "trend_segment", "trend_fitted")
assert set(PUBLIC_TABLES) == {t.name for t in CONTRACT.values() if t.public}
SORT_KEYS: dict[str, tuple[str, ...]] = {name: t.key for name, t in CONTRACT.items()
                                         if name != "release"}
FOREIGN_KEY_TABLES = ("indicator", "inequality", "inequality_summary", "trend",
                      "trend_segment", "trend_fitted")

# Published precision: every value is rounded at release time to the precision its meaning
# needs, (decimals, mode). Mode "nearest" rounds half to even; lower confidence limits are
# rounded down and upper limits up, so a published interval never shrinks. A rounded value is
# an interval to an attacker, and the disclosure audit models it as one
# (docs/disclosure-control.md, "Published precision").
_RATE = (1, "nearest")
_LOW, _HIGH = (1, "down"), (1, "up")
_RATIO, _RATIO_LOW, _RATIO_HIGH = (2, "nearest"), (2, "down"), (2, "up")
_ASR_PRECISION = {"asr_world": _RATE, "asr_world_low": _LOW, "asr_world_high": _HIGH,
                  "asr_europe": _RATE, "asr_europe_low": _LOW, "asr_europe_high": _HIGH}
PRECISION: dict[str, dict[str, tuple[int, str]]] = {
    "indicator": {"population": (0, "nearest"), "crude_rate": _RATE, "crude_rate_low": _LOW,
                  "crude_rate_high": _HIGH, **_ASR_PRECISION, "expected": (1, "nearest"),
                  "sir": _RATIO, "sir_low": _RATIO_LOW, "sir_high": _RATIO_HIGH,
                  "sir_smoothed": _RATIO, "sir_prob_above": (2, "nearest")},
    "inequality": {"population": (0, "nearest"), **_ASR_PRECISION},
    "age_specific": {"population": (0, "nearest"), "rate": _RATE, "rate_low": _LOW,
                     "rate_high": _HIGH},
    "trend": {"aapc": _RATE, "aapc_low": _LOW, "aapc_high": _HIGH, "aapc_last5": _RATE,
              "aapc_last5_low": _LOW, "aapc_last5_high": _HIGH},
    "trend_segment": {"apc": _RATE, "apc_low": _LOW, "apc_high": _HIGH},
    "trend_fitted": {"asr_world_fitted": _RATE},
}
# inequality_summary holds several statistics in one column: ratios to 0.01, differences (per
# 100,000) to 0.1.
SUMMARY_DECIMALS = {"rate_ratio": 2, "rii": 2, "rate_difference": 1, "sii": 1}


# --- generated forms -------------------------------------------------------------------------

def columns(table: str) -> list[tuple[str, str]]:
    """Return ``[(column, duckdb_type), ...]`` of a release table, in order."""
    return [(c.name, c.type) for c in CONTRACT[table].columns]


def ddl(table: str) -> str:
    """``CREATE TABLE`` statement of a release table."""
    body = ",\n".join(f"    {c.name} {c.type}{'' if c.nullable else ' NOT NULL'}"
                      for c in CONTRACT[table].columns)
    return f"CREATE TABLE {table} (\n{body}\n)"


def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of a release table (types, English descriptions as field metadata)."""
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type], metadata={"description": c.en})
                      for c in CONTRACT[table].columns])


def table_schema(table: str, foreign_keys: bool = True) -> dict[str, Any]:
    """Frictionless Table Schema of a release table."""
    spec = CONTRACT[table]
    fields = []
    for c in spec.columns:
        item: dict[str, Any] = {"name": c.name, "type": TABLE_SCHEMA_TYPES[c.type],
                                "description": c.en, "description_fr": c.fr}
        if c.unit:
            item["unit"] = c.unit
        constraints: dict[str, Any] = {}
        if not c.nullable:
            constraints["required"] = True
        if c.enum is not None:
            constraints["enum"] = list(c.enum)
        if constraints:
            item["constraints"] = constraints
        fields.append(item)
    order = [c.name for c in spec.columns]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""],
                              "primaryKey": sorted(spec.key, key=order.index)}
    if foreign_keys and table in FOREIGN_KEY_TABLES:
        schema["foreignKeys"] = [
            {"fields": ["level", "geo_code"],
             "reference": {"resource": "geo", "fields": ["level", "code"]}},
            {"fields": "site_code", "reference": {"resource": "site", "fields": "site_code"}},
        ]
    return schema


DOC_PATH = "docs/release-schema.md"
_DOC_PREAMBLE = """\
# Release schema (`indicators.duckdb`) — version {version}

<!-- Generated from dashboard/release_schema.py by `python -m dashboard.release_schema`:
edit the contract, not this file (tests/test_release_schema_doc.py fails when it is stale). -->

The public release is one DuckDB file. It holds only pre-aggregated, disclosure-controlled
indicators: nothing case-level, no unsafe small count. The web application, the API and the
downloads read it read-only; the build (`python -m dashboard build`) is its only writer. Every
table and column is declared once in `dashboard/release_schema.py` (type, unit, allowed
values, French and English description); this page, the DDL, the Arrow and Frictionless
schemas and the OpenAPI row schemas are generated from it. Each table is written sorted by its
key (listed under each table).

Conventions
- Names are English snake_case; codes are stable between releases.
- Rates are per 100,000 person-years. Intervals are 95% two-sided.
- `measure`: `incidence` (new cases diagnosed) or `mortality` (deaths with cancer as
  underlying cause).
- `level`: `country` (code `FR`, France = metropolitan France and the five overseas departments),
  `region` (INSEE region code, e.g. `84`), `department` (INSEE department code, e.g. `2A`, `971`).
- `sex`: `male`, `female` or `all` (both sexes). Sites affecting one sex only are published for
  that sex only.
- Periods: single years (`year_start = year_end`) for France and the regions, and
  non-overlapping 5-year periods (`year_end − year_start = 4`, counted back from the last year:
  2019-2023, 2014-2018) for every level. Departments are published for 5-year periods only:
  most of their single-year counts are small, and hiding them would force many more figures to
  be hidden (see `docs/disclosure-control.md`). The five overseas regions, each a single
  department, are published like departments (5-year periods) for every site but "all
  cancers", which keeps single years. A pooled period's counts are the sum over its years and
  its rates use the person-years summed over its years (annual average rates).
- Standardised rates (`asr_*`) are published for a published cell of at least 20 cases whose
  rates cannot narrow the count of one of its age groups to less than the threshold
  (`asr_status`); the European ones (ESP 2013, for European comparisons) for France only.
- Published precision: every value is rounded when the release is built: rates, their limits,
  differences of rates and annual percent changes to 0.1; ratios (SIR, rate ratio, RII) and
  probabilities to 0.01; expected counts to 0.1; person-years to 1. Lower limits are rounded
  down and upper limits up, so a published interval never shrinks. Extra digits would be
  equations an attacker could solve (`docs/disclosure-control.md`).
- `status`: `published` or `suppressed`. A suppressed row keeps its keys and `population`
  (public INSEE figures) but every value computed from its count is NULL. Nothing tells why a row
  is suppressed (see `docs/disclosure-control.md`).
"""


def _doc_table(spec: Table) -> list[str]:
    title = f" ({spec.title_en})" if spec.title_en else ""
    lines = ["", f"## `{spec.name}`{title}"]
    if spec.notes_en:
        lines += [*_wrap(spec.notes_en), ""]
    lines += [f"Key: {', '.join(f'`{k}`' for k in spec.key)}.", "",
              "| column | type | unit | meaning |", "|---|---|---|---|"]
    names = [c.name for c in spec.columns]
    grouped: set[str] = set()
    for first, (count, text) in spec.doc_groups.items():
        start = names.index(first)
        group = names[start:start + count]
        grouped |= set(group)
        lines.append(f"| {', '.join(f'`{n}`' for n in group)} | | | {text} |")
    for c in spec.columns:
        if c.name in grouped:
            continue
        null = "" if c.nullable else " not null"
        lines.append(f"| `{c.name}` | {c.type.lower()}{null} | {c.unit or ''} | {c.en} |")
    return lines


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def markdown() -> str:
    """The text of ``docs/release-schema.md``, generated from the contract."""
    lines = [_DOC_PREAMBLE.format(version=SCHEMA_VERSION).rstrip("\n")]
    for spec in CONTRACT.values():
        lines += _doc_table(spec)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``docs/release-schema.md`` (argument: the repository root, default ``.``)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else ".") / DOC_PATH
    path.write_text(markdown(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
