"""The map's areas as SVG paths, projected once per release and geometry level.

The browser draws the map from these paths (``static/area_map.js``) and, at every filter
change, only sets their colours: nothing is projected or clipped in the browser.

Projection: spherical Mercator (Snyder, *Map Projections: A Working Manual*, USGS
Professional Paper 1395, 1987, eq. 7-1 and 7-2, radius 1):

    x = λ,   y = ln tan(π/4 + φ/2)      (λ, φ: longitude and latitude in radians)

the projection plotly used for this map. The projected areas (and any inset drawn with them,
e.g. the Paris zoom) are framed together in a viewBox ``WIDTH`` units wide, ``PAD`` units of
margin, y pointing down. Coordinates are written in tenths of a unit (a 1000-unit map is at
most ~1000 px wide: a tenth is below a pixel): the path starts at an absolute point, then
relative moves between points rounded as written, so no rounding error accumulates.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

WIDTH = 1000
PAD = 8
TENTHS = 10
Ring = Sequence[Sequence[float]]


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Spherical Mercator ``(x, y)`` of a point in degrees (radius 1); ``y`` computed as
    ``asinh(tan φ)``, the same value as ``ln tan(π/4 + φ/2)``, exact at the equator."""
    return math.radians(lon), math.asinh(math.tan(math.radians(lat)))


def rings(geometry: dict[str, Any]) -> list[Ring]:
    """The rings (outer and holes) of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"not an area geometry: {geometry['type']!r}")


def path_data(rings_: Iterable[Sequence[tuple[int, int]]]) -> str:
    """SVG path data of closed rings of points in tenths: per ring ``M x y``, one ``l`` and
    the relative moves (a repeated command needs no letter), ``z``. A ring that is a single
    point at this precision (an islet below a tenth of a unit) is left out."""
    out: list[str] = []
    for ring in rings_:
        moves = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(ring) if a != b]
        if not moves:
            continue
        start = f"M{_tenths(ring[0][0])} {_tenths(ring[0][1])}l"
        out.append(start + " ".join(f"{_tenths(dx)} {_tenths(dy)}" for dx, dy in moves) + "z")
    return "".join(out).replace(" -", "-")


def _tenths(v: int) -> str:
    whole, tenth = divmod(abs(v), TENTHS)
    sign = "-" if v < 0 else ""
    return f"{sign}{whole}" if tenth == 0 else f"{sign}{whole}.{tenth}"


def project(groups: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Paths of GeoJSON features (``properties.code``), by group, framed together.

    Returns ``{"viewBox": [0, 0, width, height], "groups": {name: [[code, d], ...]},
    "bounds": {name: [x_min, y_min, x_max, y_max]}}`` (viewBox units).
    """
    projected = {name: [(f["properties"]["code"],
                         [[mercator(lon, lat) for lon, lat, *_ in ring]
                          for ring in rings(f["geometry"])]) for f in features]
                 for name, features in groups.items()}
    xs = [x for feats in projected.values() for _c, rs in feats for r in rs for x, _y in r]
    ys = [y for feats in projected.values() for _c, rs in feats for r in rs for _x, y in r]
    if not xs:
        return {"viewBox": [0, 0, WIDTH, WIDTH], "groups": {n: [] for n in groups},
                "bounds": {}}
    x0, y1 = min(xs), max(ys)
    scale = (WIDTH - 2 * PAD) / ((max(xs) - x0) or 1.0)
    height = round((y1 - min(ys)) * scale + 2 * PAD)

    def place(x: float, y: float) -> tuple[int, int]:
        return (round((PAD + (x - x0) * scale) * TENTHS), round((PAD + (y1 - y) * scale) * TENTHS))

    out: dict[str, list[list[str]]] = {}
    bounds: dict[str, list[float]] = {}
    for name, feats in projected.items():
        out[name] = []
        placed = []
        for code, rs in feats:
            placed_rings = [[place(x, y) for x, y in ring] for ring in rs]
            placed += [p for ring in placed_rings for p in ring]
            out[name].append([code, path_data(placed_rings)])
        if placed:
            bounds[name] = [min(p[0] for p in placed) / TENTHS, min(p[1] for p in placed) / TENTHS,
                            max(p[0] for p in placed) / TENTHS, max(p[1] for p in placed) / TENTHS]
    return {"viewBox": [0, 0, WIDTH, height], "groups": out, "bounds": bounds}
