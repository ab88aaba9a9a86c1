"""What each indicator is: its columns, interval, unit and precision, and how to write it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.web.formatting import decimals_for, fmt_interval, fmt_number
from dashboard.web.i18n import t


@dataclass(frozen=True)
class Indicator:
    code: str
    low: str | None
    high: str | None
    is_ratio: bool

    @property
    def decimals(self) -> int:
        return decimals_for(self.code)

    def label(self, lang: str, measure: str = "incidence") -> str:
        if self.code == "cases" and measure == "mortality":
            return t("ind_cases_mortality", lang)
        return t(f"ind_{self.code}", lang)

    def unit(self, lang: str, measure: str = "incidence") -> str:
        if self.is_ratio:
            return t("unit_ratio", lang)
        if self.code == "cases":
            return (t("deaths", lang) if measure == "mortality" else t("cases", lang)).lower()
        return t("unit_rate", lang)

    def axis_title(self, lang: str, measure: str = "incidence") -> str:
        """Short axis title: the unit (the chart's heading names the indicator)."""
        if self.is_ratio:
            return "SIR"
        if self.code == "cases":
            return self.unit(lang, measure)
        return f"{t('ind_' + self.code + '_short', lang)} {t('unit_rate_short', lang)}"

    def value_text(self, row: dict[str, Any], lang: str, with_ci: bool = True) -> str:
        """``123,4 pour 100 000 (IC 95 % : 110,2 à 130,5)``."""
        value = fmt_number(row.get(self.code), lang, self.decimals)
        if self.code in ("asr_world", "asr_europe", "crude_rate"):
            value = f"{value} {t('unit_rate', lang)}"
        ci = ""
        if with_ci and self.low and self.high:
            ci = fmt_interval(row.get(self.low), row.get(self.high), lang, self.decimals)
        return f"{value} ({ci})" if ci else value


INDICATORS: dict[str, Indicator] = {
    "asr_world": Indicator("asr_world", "asr_world_low", "asr_world_high", False),
    "asr_europe": Indicator("asr_europe", "asr_europe_low", "asr_europe_high", False),
    "crude_rate": Indicator("crude_rate", "crude_rate_low", "crude_rate_high", False),
    "cases": Indicator("cases", None, None, False),
    "sir": Indicator("sir", "sir_low", "sir_high", True),
    "sir_smoothed": Indicator("sir_smoothed", None, None, True),
}


def flag_label(flag: Any, lang: str) -> str:
    """« Supérieur / Inférieur / Non différent » from ``sir_flag``."""
    return t(f"flag_{flag}", lang) if flag in ("higher", "lower", "not_different") else ""


def trend_label(label: Any, lang: str) -> str:
    """« en hausse / stable / en baisse » from a trend label."""
    return t(f"trend_{label}", lang) if label in ("rising", "stable", "falling") \
        else t("trend_none", lang)
