"""The map's paths: Mercator projection, framing, path data (worked examples)."""

from __future__ import annotations

import math
import re

import pytest

from dashboard.web.map_shapes import PAD, WIDTH, mercator, path_data, project, rings


def test_mercator_worked_values() -> None:
    """Snyder (1987) eq. 7-1, 7-2 with R = 1: y(45°) = ln tan 67.5° = asinh 1."""
    assert mercator(0, 0) == (0.0, 0.0)
    x, y = mercator(180, 45)
    assert x == pytest.approx(math.pi)
    assert y == pytest.approx(0.881373587019543, abs=1e-12)
    assert mercator(-2, -45)[1] == pytest.approx(-0.881373587019543, abs=1e-12)


def test_path_data_is_relative_and_exact_in_tenths() -> None:
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert path_data([square]) == "M0 0l1 0 0 1-1 0 0-1z"
    # negative and fractional starts, a repeated point skipped, two rings
    ring = [(-15, 23), (-15, 23), (5, 23), (-15, 3)]
    assert path_data([ring, square]) == "M-1.5 2.3l2 0-2-2zM0 0l1 0 0 1-1 0 0-1z"
    assert path_data([[(5, 5), (5, 5)]]) == ""  # an islet below a tenth of a unit


def _absolute_points(d: str) -> list[tuple[float, float]]:
    """The points of path data written by ``path_data`` (M, then relative moves)."""
    points: list[tuple[float, float]] = []
    for ring in re.findall(r"M([^l]+)l([^z]*)z", d):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", " ".join(ring))]
        x, y = numbers[0], numbers[1]
        points.append((x, y))
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = round(x + dx, 1), round(y + dy, 1)
            points.append((x, y))
    return points


def _square(code: str, lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
            [lon, lat]]
    return {"type": "Feature", "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_project_frames_every_group_together_north_up() -> None:
    areas = [_square("a", 0, 40, 2), _square("b", 2, 40, 2)]
    inset = [{"type": "Feature", "properties": {"code": "z"}, "geometry": {
        "type": "MultiPolygon", "coordinates": [[_square("", -4, 44, 1)["geometry"]
                                                  ["coordinates"][0]]]}}]
    out = project({"areas": areas, "inset": inset})
    # lon -4..4 spans the width inside the margins; the height follows Mercator's scale
    x0, y_top = mercator(-4, 45)
    x1, y_bottom = mercator(4, 40)
    scale = (WIDTH - 2 * PAD) / (x1 - x0)
    assert out["viewBox"] == [0, 0, WIDTH, round((y_top - y_bottom) * scale + 2 * PAD)]
    assert [code for code, _ in out["groups"]["areas"]] == ["a", "b"]
    points = _absolute_points(out["groups"]["areas"][0][1])
    # (0°, 40°) is the south-west corner of "a": x from the west edge, y at the bottom
    assert points[0] == (round(PAD + (0 - x0) * scale, 1),
                         round(PAD + (y_top - y_bottom) * scale, 1))
    assert points[2][1] < points[0][1]  # north is up
    assert out["bounds"]["inset"][0] == PAD and out["bounds"]["inset"][1] == PAD
    assert out["bounds"]["areas"][2] == WIDTH - PAD


def test_every_vertex_within_a_twentieth_of_a_unit() -> None:
    """Relative moves between rounded points: no error accumulates along a long ring."""
    lons = [i / 100 for i in range(400)]
    ring = [[lon, 45 + math.sin(lon * 7) / 3] for lon in lons] + [[4, 44], [0, 44], [0, 45]]
    feature = {"type": "Feature", "properties": {"code": "w"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    out = project({"areas": [feature]})
    x0 = mercator(0, 0)[0]
    y_top = max(mercator(lon, lat)[1] for lon, lat in ring)
    scale = (WIDTH - 2 * PAD) / (mercator(4, 0)[0] - x0)
    exact = [(PAD + (mercator(lon, lat)[0] - x0) * scale, PAD + (y_top - mercator(lon, lat)[1])
              * scale) for lon, lat in ring]
    drawn = _absolute_points(out["groups"]["areas"][0][1])
    assert len(drawn) <= len(exact)
    kept = iter(drawn)
    current = next(kept)
    for x, y in exact:  # each exact point is drawn at its rounded place (repeats skipped)
        if (round(x, 1), round(y, 1)) != current:
            current = next(kept)
        assert abs(current[0] - x) <= 0.05 + 1e-9 and abs(current[1] - y) <= 0.05 + 1e-9


def test_rings_of_polygons_and_multipolygons() -> None:
    poly = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]],
                                               [[0.1, 0.1], [0.2, 0.1], [0.1, 0.2], [0.1, 0.1]]]}
    assert len(rings(poly)) == 2
    multi = {"type": "MultiPolygon", "coordinates": [poly["coordinates"], poly["coordinates"]]}
    assert len(rings(multi)) == 4
    with pytest.raises(ValueError, match="not an area"):
        rings({"type": "Point", "coordinates": [0, 0]})
