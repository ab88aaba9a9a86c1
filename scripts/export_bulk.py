"""Write the bulk download files of a release (the build and publish commands do it too).

Usage: ``python scripts/export_bulk.py [RELEASE] [--dir DOWNLOAD_DIR]`` — RELEASE defaults to
``$RELEASE_PATH`` or ``data/indicators.duckdb``; DOWNLOAD_DIR to ``downloads/`` next to it
(the API's default). Prints the files with their sizes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.api import bulk
from dashboard.data_access import Release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", help="release file")
    parser.add_argument("--dir", type=Path, help="download directory (API_DOWNLOAD_DIR)")
    args = parser.parse_args()
    release = Release(args.release)
    directory = bulk.ensure(release, args.dir)
    for entry in bulk.listing(directory, str(directory)):
        print(f"{entry['bytes']:>14,}  {entry['url']}")


if __name__ == "__main__":
    main()
