"""The public release contract: table and column definitions of ``indicators.duckdb``.

Every reader (dashboard, API, downloads) and the writer (the build) use these definitions;
``docs/release-schema.md`` documents each column and a test checks that both agree.
Tables are written sorted by their ``SORT_KEYS`` so DuckDB zone maps serve the usual filters.
"""

from __future__ import annotations

from dashboard.stats.standard_populations import AGE_GROUPS as STANDARD_AGE_GROUPS

SCHEMA_VERSION = "1.1"

# Status of a published cell: public code knows nothing finer (primary vs complementary
# suppression stays internal, see docs/disclosure-control.md).
STATUSES = ("published", "suppressed")
MEASURES = ("incidence", "mortality")
LEVELS = ("country", "region", "department")
SEXES = ("male", "female", "all")
SIR_FLAGS = ("higher", "lower", "not_different")
TREND_LABELS = ("rising", "stable", "falling")
# Standardised rates of a published cell are either published with it or withheld (too few
# cases for a reliable rate, or they would narrow an age group's count: see
# docs/disclosure-control.md). A suppressed cell's rates are always withheld.
ASR_STATUSES = ("published", "withheld")
AGE_GROUPS = tuple(STANDARD_AGE_GROUPS)  # "0-4", ..., "80-84", "85+"
INEQUALITY_STATISTICS = ("rate_ratio", "rate_difference", "sii", "rii")

_CELL_KEYS = """
    measure VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    geo_code VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    site_code VARCHAR NOT NULL,
    year_start SMALLINT NOT NULL,
    year_end SMALLINT NOT NULL"""

_ASR = """
    asr_world DOUBLE,
    asr_world_low DOUBLE,
    asr_world_high DOUBLE,
    asr_europe DOUBLE,
    asr_europe_low DOUBLE,
    asr_europe_high DOUBLE"""

TABLES: dict[str, str] = {
    "release": """
    release_id VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    data_kind VARCHAR NOT NULL,
    first_year SMALLINT NOT NULL,
    last_year SMALLINT NOT NULL,
    suppression_threshold INTEGER NOT NULL,
    suppression_rule VARCHAR NOT NULL,
    cells_published BIGINT NOT NULL,
    cells_suppressed BIGINT NOT NULL,
    audit_passed BOOLEAN NOT NULL,
    standards VARCHAR NOT NULL,
    interval_methods VARCHAR NOT NULL,
    sources VARCHAR NOT NULL,
    citation VARCHAR NOT NULL,
    licence VARCHAR NOT NULL,
    schema_version VARCHAR NOT NULL,
    software_version VARCHAR NOT NULL""",
    "geo": """
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    parent_code VARCHAR""",
    "site": """
    site_code VARCHAR NOT NULL,
    label_fr VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    icd10 VARCHAR NOT NULL,
    sexes VARCHAR NOT NULL""",
    "indicator": _CELL_KEYS
    + """,
    cases BIGINT,
    population DOUBLE NOT NULL,
    crude_rate DOUBLE,
    crude_rate_low DOUBLE,
    crude_rate_high DOUBLE,"""
    + _ASR
    + """,
    expected DOUBLE,
    sir DOUBLE,
    sir_low DOUBLE,
    sir_high DOUBLE,
    sir_flag VARCHAR,
    sir_smoothed DOUBLE,
    sir_prob_above DOUBLE,
    status VARCHAR NOT NULL,
    asr_status VARCHAR NOT NULL""",
    "inequality": _CELL_KEYS
    + """,
    quintile SMALLINT NOT NULL,
    cases BIGINT,
    population DOUBLE NOT NULL,"""
    + _ASR
    + """,
    status VARCHAR NOT NULL,
    asr_status VARCHAR NOT NULL""",
    "age_specific": _CELL_KEYS
    + """,
    age_group VARCHAR NOT NULL,
    age_start SMALLINT NOT NULL,
    cases BIGINT,
    population DOUBLE NOT NULL,
    rate DOUBLE,
    rate_low DOUBLE,
    rate_high DOUBLE,
    status VARCHAR NOT NULL""",
    "inequality_summary": _CELL_KEYS
    + """,
    statistic VARCHAR NOT NULL,
    value DOUBLE,
    low DOUBLE,
    high DOUBLE,
    status VARCHAR NOT NULL""",
    "trend": _CELL_KEYS
    + """,
    joinpoints SMALLINT,
    aapc DOUBLE,
    aapc_low DOUBLE,
    aapc_high DOUBLE,
    aapc_last5 DOUBLE,
    aapc_last5_low DOUBLE,
    aapc_last5_high DOUBLE,
    label VARCHAR,
    status VARCHAR NOT NULL""",
    "trend_segment": """
    measure VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    geo_code VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    site_code VARCHAR NOT NULL,
    segment SMALLINT NOT NULL,
    year_start SMALLINT NOT NULL,
    year_end SMALLINT NOT NULL,
    apc DOUBLE NOT NULL,
    apc_low DOUBLE NOT NULL,
    apc_high DOUBLE NOT NULL""",
    "trend_fitted": """
    measure VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    geo_code VARCHAR NOT NULL,
    sex VARCHAR NOT NULL,
    site_code VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    asr_world_fitted DOUBLE NOT NULL""",
    "geometry": """
    level VARCHAR NOT NULL,
    geojson VARCHAR NOT NULL""",
}

SORT_KEYS: dict[str, tuple[str, ...]] = {
    "indicator": ("measure", "site_code", "sex", "level", "year_start", "year_end", "geo_code"),
    "inequality": ("measure", "site_code", "sex", "level", "year_start", "year_end", "geo_code",
                   "quintile"),
    "inequality_summary": ("measure", "site_code", "sex", "level", "year_start", "year_end",
                           "geo_code", "statistic"),
    "age_specific": ("measure", "site_code", "sex", "year_start", "year_end", "age_start"),
    "trend": ("measure", "site_code", "sex", "level", "geo_code"),
    "trend_segment": ("measure", "site_code", "sex", "level", "geo_code", "segment"),
    "trend_fitted": ("measure", "site_code", "sex", "level", "geo_code", "year"),
    "geo": ("level", "code"),
    "site": ("site_code",),
}

# Tables an analyst may download (everything public except the bulky geometry).
PUBLIC_TABLES = ("release", "geo", "site", "indicator", "inequality", "inequality_summary",
                 "age_specific", "trend", "trend_segment", "trend_fitted")

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


def columns(table: str) -> list[tuple[str, str]]:
    """Return ``[(column, duckdb_type), ...]`` of a release table, in order."""
    out = []
    for line in TABLES[table].strip().splitlines():
        name, dtype = line.strip().rstrip(",").split()[:2]
        out.append((name, dtype))
    return out


def ddl(table: str) -> str:
    """``CREATE TABLE`` statement of a release table."""
    return f"CREATE TABLE {table} ({TABLES[table].rstrip()}\n)"
