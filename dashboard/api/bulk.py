"""Bulk files: every public table as Parquet and CSV, plus ``datapackage.json``.

Written when a release is built or published (``python -m dashboard build``,
``python -m dashboard.publish``, or ``scripts/export_bulk.py``), never inside a web request,
into ``<download dir>/<release_id>/`` (default ``downloads/`` next to the release file, i.e.
``data/downloads/``, git-ignored). A file lock serialises writers; files are written into a
temporary directory renamed into place, so a reader never sees a partial set.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson

from dashboard import release_reads
from dashboard.api.datapackage import file_entry, package, resource
from dashboard.api.formats import RFC4180, csv_chunks, write_parquet
from dashboard.api.metadata import parquet_metadata, release_info
from dashboard.data_access import Release
from dashboard.release_schema import PUBLIC_TABLES, arrow_schema

DATAPACKAGE = "datapackage.json"
EXTENSIONS = ("parquet", "csv")
# Flask adds "; charset=utf-8" to text types itself: name the type only.
_MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv",
                "json": "application/json"}


def file_names() -> tuple[str, ...]:
    """Every bulk file name served under ``/api/v1/bulk/``."""
    return (*(f"{t}.{ext}" for t in PUBLIC_TABLES for ext in EXTENSIONS), DATAPACKAGE)


def media_type(name: str) -> str:
    return _MEDIA_TYPES[name.rsplit(".", 1)[1]]


def download_name(name: str, release_id: str) -> str:
    """File name proposed to the browser (the release id included, except for the package)."""
    if name == DATAPACKAGE:
        return name
    stem, ext = name.rsplit(".", 1)
    return f"{stem}_{release_id}.{ext}"


def directory_for(release: Release, base: Path | None = None) -> Path:
    """Cache directory of a release's bulk files."""
    return (base or release.path.absolute().parent / "downloads").absolute() / release.release_id


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(release: Release, target: Path) -> None:
    """Write every public table (Parquet and CSV) and the data package into ``target``."""
    info = release_info(release)
    meta = parquet_metadata(info)
    resources: list[dict[str, Any]] = []
    for table in PUBLIC_TABLES:
        schema = arrow_schema(table)
        sql = release_reads.table_sql(table)
        with (target / f"{table}.csv").open("wb") as fh:
            for chunk in csv_chunks(schema, release.record_batches(sql), RFC4180):
                fh.write(chunk)
        write_parquet(str(target / f"{table}.parquet"), schema, release.record_batches(sql),
                      {**meta, "table": table})
        entries = {ext: file_entry(f"{table}.{ext}", (target / f"{table}.{ext}").stat().st_size,
                                   _sha256(target / f"{table}.{ext}")) for ext in EXTENSIONS}
        resources.append(resource(table, entries["csv"], entries["parquet"]))
    descriptor = package(info, resources)
    (target / DATAPACKAGE).write_bytes(orjson.dumps(descriptor, option=orjson.OPT_INDENT_2))


class BulkFilesMissing(FileNotFoundError):
    """The bulk files of the release in force were not written (build or publish writes them)."""


def existing(release: Release, base: Path | None = None) -> Path:
    """The directory of the release's bulk files (:class:`BulkFilesMissing` when absent)."""
    directory = directory_for(release, base)
    if not (directory / DATAPACKAGE).exists():
        raise BulkFilesMissing(f"bulk files of release {release.release_id} not written")
    return directory


def ensure(release: Release, base: Path | None = None) -> Path:
    """The directory of the release's bulk files, writing them first if needed."""
    directory = directory_for(release, base)
    if (directory / DATAPACKAGE).exists():
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    lock_path = directory.parent / f".{release.release_id}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (directory / DATAPACKAGE).exists():
                tmp = Path(tempfile.mkdtemp(prefix=f".{release.release_id}-",
                                            dir=directory.parent))
                try:
                    build(release, tmp)
                    os.chmod(tmp, 0o755)
                    os.replace(tmp, directory)
                except BaseException:
                    shutil.rmtree(tmp, ignore_errors=True)
                    raise
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return directory


def listing(directory: Path, url_prefix: str) -> list[dict[str, Any]]:
    """The bulk files (from the data package) with URL, size, checksum; the package last."""
    descriptor = orjson.loads((directory / DATAPACKAGE).read_bytes())
    files = [{"name": f["path"], "table": r["title"], "format": f.get("format", "csv"),
              "url": f"{url_prefix}/{f['path']}", "bytes": f["bytes"], "hash": f["hash"],
              "description": r.get("description", "")}
             for r in descriptor["resources"] for f in (r, r["parquet"])]
    size = (directory / DATAPACKAGE).stat().st_size
    files.append({"name": DATAPACKAGE, "table": None, "format": "json",
                  "url": f"{url_prefix}/{DATAPACKAGE}", "bytes": size,
                  "hash": f"sha256:{_sha256(directory / DATAPACKAGE)}",
                  "description": "Frictionless Data Package: schemas, licence, sources, "
                                 "checksums (Table Schema)."})
    return files


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.api.bulk [RELEASE] [--dir DOWNLOAD_DIR]``: write the bulk files."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dashboard.api.bulk",
                                     description="Write the bulk files of a release.")
    parser.add_argument("release", nargs="?", help="release file (default: $RELEASE_PATH)")
    parser.add_argument("--dir", type=Path, help="download directory (API_DOWNLOAD_DIR)")
    args = parser.parse_args(argv)
    directory = ensure(Release(args.release), args.dir)
    for entry in listing(directory, str(directory)):
        print(f"{entry['bytes']:>14,}  {entry['url']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
