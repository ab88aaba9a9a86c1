"""The choropleth: geometry sent once (by URL), values updated with ``dash.Patch``.

Traces, all on one ``geo`` (the geometry already holds the overseas and Paris insets):

0. grey base: what is visible where the value is suppressed (plotly draws no area whose ``z``
   is ``null``, and leaves it out of the framing): the suppressed areas only, with ``z`` 0, so
   each area is drawn once, by the values or by the base, and plotly frames the map on all of
   them (the published ones in the values, the others in the base);
1. the values (class index as ``z``, ``null`` where suppressed so the base shows through);
2. grey base of the Paris zoom inset (department level only), the same way;
3. the values of the Paris zoom inset.

``z`` holds the values themselves (rounded as displayed) under a stepped colour scale whose
steps are the classes: quantiles for rates and counts, fixed and centred on 1 for SIRs.
Filter changes send numeric arrays only (hover text is formatted by plotly).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.web.figures.common import FONT
from dashboard.web.formatting import fmt_number

SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]  # YlGnBu, CB-safe
DIVERGING = ["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"]  # PuOr
SIR_BREAKS = [0.8, 0.91, 0.97, 1.03, 1.1, 1.25]
SUPPRESSED = "#9e9e9e"
BORDER = "#8a8a8a"  # area outlines: the middle (near-white) SIR class stays visible
PARIS = ["75", "92", "93", "94"]


@dataclass(frozen=True)
class Classes:
    """Class breaks (inner limits), their colours and how they were chosen."""

    breaks: list[float]
    colours: list[str]
    kind: str  # "quantile" or "fixed_sir"
    decimals: int

    def classify(self, values: np.ndarray) -> list[int | None]:
        """Class index of each value (``None`` for missing values)."""
        idx = np.searchsorted(np.asarray(self.breaks), values, side="right")
        return [None if np.isnan(v) else int(i) for v, i in zip(values, idx, strict=True)]

    def labels(self, lang: str, templates: dict[str, str]) -> list[str]:
        """Human labels of the classes (``templates``: below / from_to / above)."""
        f = [fmt_number(b, lang, self.decimals) for b in self.breaks]
        if not f:
            return [templates["all"]]
        out = [templates["below"].format(high=f[0])]
        out += [templates["from_to"].format(low=a, high=b) for a, b in itertools.pairwise(f)]
        out.append(templates["above"].format(low=f[-1]))
        return out

    def scale(self, values: np.ndarray) -> tuple[list[list[Any]], float, float]:
        """A stepped colour scale over the real values: ``(colorscale, zmin, zmax)``.

        The range spans the values and every break, so each class keeps its colour band.
        """
        vals = values[~np.isnan(values)]
        points = [*vals.tolist(), *self.breaks] or [0.0, 1.0]
        zmin, zmax = float(min(points)), float(max(points))
        if zmax <= zmin:
            zmax = zmin + 1.0
        pos = [(b - zmin) / (zmax - zmin) for b in self.breaks]
        edges = [0.0, *pos, 1.0]
        scale: list[list[Any]] = []
        for i, colour in enumerate(self.colours):
            scale += [[round(edges[i], 6), colour], [round(edges[i + 1], 6), colour]]
        return scale, zmin, zmax


def make_classes(indicator: str, values: np.ndarray, decimals: int, k: int = 5) -> Classes:
    """Quantile classes of the published values, or fixed SIR classes centred on 1."""
    if indicator.startswith("sir"):
        return Classes(SIR_BREAKS, DIVERGING, "fixed_sir", 2)
    vals = values[~np.isnan(values)]
    if vals.size == 0:
        return Classes([], SEQUENTIAL[:1], "quantile", decimals)
    qs = np.quantile(vals, np.linspace(0, 1, k + 1)[1:-1])
    breaks = sorted({round(float(q), decimals) for q in qs})
    # a break equal to the minimum would leave an empty first class
    breaks = [b for b in breaks if b > round(float(vals.min()), decimals)]
    n = len(breaks) + 1
    palette = SEQUENTIAL if n == len(SEQUENTIAL) else [
        SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / max(n - 1, 1))] for i in range(n)]
    return Classes(breaks, palette, "quantile", decimals)


def discrete_colorscale(colours: list[str]) -> list[list[Any]]:
    """A stepped colour scale for integer ``z`` in ``[0, n - 1]``."""
    n = len(colours)
    scale: list[list[Any]] = []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def _base_trace(url: str, codes: list[str], names: list[str], hover: str) -> dict[str, Any]:
    return {"type": "choropleth", "geojson": url, "featureidkey": "properties.code",
            "locations": codes, "z": [0] * len(codes), "text": names,
            "colorscale": [[0, SUPPRESSED], [1, SUPPRESSED]], "showscale": False,
            "marker": {"line": {"color": BORDER, "width": 0.5}},
            "hovertemplate": "<b>%{text}</b><br>" + hover + "<extra></extra>"}


def _data_trace(url: str, codes: list[str], names: list[str]) -> dict[str, Any]:
    return {"type": "choropleth", "geojson": url, "featureidkey": "properties.code",
            "locations": codes, "z": [None] * len(codes), "text": names,
            "coloraxis": "coloraxis",
            "marker": {"line": {"color": BORDER, "width": 0.5}},
            "hovertemplate": "<b>%{text}</b><br>%{customdata}<extra></extra>"}


def inset_label(text: str, bounds: tuple[float, float, float, float]) -> dict[str, Any]:
    """A text label above an inset (e.g. the Paris zoom), drawn on the map itself."""
    lon_min, _lat_min, _lon_max, lat_max = bounds
    return {"type": "scattergeo", "mode": "text", "lon": [lon_min], "textposition": "top right",
            "lat": [lat_max + 0.05], "text": [text], "hoverinfo": "skip",
            "textfont": {"size": 12, "color": "#3a3a3a", "family": FONT}, "showlegend": False}


def geometry_traces(urls: dict[str, str], level: str, codes: list[str], names: list[str],
                    suppressed_text: str, paris_label: dict[str, Any] | None = None
                    ) -> list[dict[str, Any]]:
    """The four choropleth traces (geometry by URL, names; values empty), then any label."""
    if level == "department":
        pcodes = [c for c in PARIS if c in codes]
        pnames = [names[codes.index(c)] for c in pcodes]
    else:
        pcodes, pnames = [], []
    purl = urls.get("paris_zoom", urls[level])
    traces = [_base_trace(urls[level], codes, names, suppressed_text),
              _data_trace(urls[level], codes, names),
              _base_trace(purl, pcodes, pnames, suppressed_text),
              _data_trace(purl, pcodes, pnames)]
    if pcodes and paris_label is not None:
        traces.append(paris_label)
    return traces


def map_figure(traces: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The whole choropleth figure (sent once per page view)."""
    return {"data": traces, "layout": {
        "geo": {"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"},
                "bgcolor": "rgba(0,0,0,0)"},
        "coloraxis": {"colorscale": discrete_colorscale(SEQUENTIAL[:1]), "showscale": False},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "autosize": True,
        "paper_bgcolor": "#ffffff", "font": {"family": FONT, "size": 14},
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        "separators": ",\u202f" if lang == "fr" else ".,", "dragmode": False,
        "uirevision": "map"}}


@dataclass(frozen=True)
class MapValues:
    """What a filter change sends: numeric arrays only (no per-item JSON cleaning cost)."""

    z: np.ndarray  # values rounded to display precision, NaN where suppressed
    ci: np.ndarray | None  # (n, 2) interval limits
    paris: list[int]  # positions of the Paris zoom areas in ``z``
    hidden: tuple[list[str], list[str]]  # codes and names of the suppressed areas
    paris_hidden: tuple[list[str], list[str]]  # the same, of the Paris zoom inset
    colorscale: list[list[Any]]
    zmin: float
    zmax: float
    hovertemplate: str


def hover_template(decimals: int, with_ci: bool, unit: str, lang: str) -> str:
    """``<b>Name</b><br>1 234,5 (1 100,2 à 1 300,4)<br>unit`` with plotly's d3 formats."""
    f = f",.{decimals}f"
    text = "<b>%{text}</b><br>%{z:" + f + "}"
    if with_ci:
        word = "à" if lang == "fr" else "to"
        text += f" (%{{customdata[0]:{f}}} {word} %{{customdata[1]:{f}}})"
    return text + "<br>" + unit + "<extra></extra>"


def map_values(codes: list[str], names: list[str], values: np.ndarray, ci: np.ndarray | None,
               classes: Classes, level: str, unit: str, lang: str) -> MapValues:
    """Arrays in the order of ``codes`` (values rounded as displayed), scale and hover text,
    the suppressed areas (codes and ``names``)."""
    # C-contiguous float64 arrays: orjson writes them natively (NaN as null)
    decimals = classes.decimals if classes.kind == "quantile" else 2
    z = np.ascontiguousarray(np.round(values.astype(float), decimals))
    if ci is not None:
        ci = np.ascontiguousarray(np.round(ci.astype(float), decimals))
    paris = [codes.index(c) for c in PARIS if c in codes] if level == "department" else []
    scale, zmin, zmax = classes.scale(z)

    def hidden(positions: list[int]) -> tuple[list[str], list[str]]:
        kept = [i for i in positions if np.isnan(z[i])]
        return [codes[i] for i in kept], [names[i] for i in kept]

    return MapValues(z, ci, paris, hidden(list(range(len(codes)))), hidden(paris), scale, zmin,
                     zmax, hover_template(classes.decimals, ci is not None, unit, lang))


def apply_values(fig: Any, mv: MapValues, hover: bool = True) -> Any:
    """Write values into a figure dict or a ``dash.Patch`` (same item assignments): the values,
    and the grey bases cut to the suppressed areas.

    ``hover=False`` leaves the hover templates as they are (same indicator and language).
    """
    for i, (codes, names) in ((0, mv.hidden), (2, mv.paris_hidden)):
        fig["data"][i]["locations"] = codes
        fig["data"][i]["text"] = names
        fig["data"][i]["z"] = [0] * len(codes)
    parts = ((1, mv.z, mv.ci), (3, mv.z[mv.paris], None if mv.ci is None else mv.ci[mv.paris]))
    for i, z, ci in parts:
        trace = fig["data"][i]
        trace["z"] = z
        trace["customdata"] = ci if ci is not None else []
        if hover:
            trace["hovertemplate"] = mv.hovertemplate
    fig["layout"]["coloraxis"] = {"colorscale": mv.colorscale, "cmin": mv.zmin,
                                  "cmax": mv.zmax, "showscale": False}
    return fig
