"""Write the bulk download files of a release (the build and publish commands do it too).

Usage: ``python scripts/export_bulk.py [RELEASE] [--dir DOWNLOAD_DIR]`` — RELEASE defaults to
``$RELEASE_PATH`` or ``data/indicators.duckdb``; DOWNLOAD_DIR to ``downloads/`` next to it
(the API's default). Prints the files with their sizes. Same as ``python -m dashboard.api.bulk``.
"""

from __future__ import annotations

from dashboard.api.bulk import main

if __name__ == "__main__":
    main()
