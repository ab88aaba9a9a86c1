"""plotly.js's partial "basic" bundle (scatter, bar, pie: the site's charts are scatter
traces; the map is not plotly), fetched at set-up.

The bundle is another project's distribution, so it is not committed: ``python -m
dashboard.web.vendor`` (run by ``make`` and the Dockerfile) downloads the npm package from the
registry, checks it against the pinned digest and writes ``dashboard/web/static/
plotly-basic.min.js``. Without it the site serves plotly's full bundle (dcc.Graph's own): same
charts, a heavier first load.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from importlib import resources
from pathlib import Path

PACKAGE = "plotly.js-basic-dist-min"
VERSION = "4.1.1"  # the version of plotly.js inside the plotly Python package
INTEGRITY = ("sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9a"
             "bTiE775C4kkjMQ==")
MEMBER = "package/plotly-basic.min.js"
SCRIPT = "web/static/plotly-basic.min.js"  # relative to the dashboard package


def target() -> Path:
    """Where the bundle lives (package data)."""
    return Path(str(resources.files("dashboard").joinpath(SCRIPT)))


def available() -> bool:
    return target().is_file()


def tarball_url() -> str:
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
    return f"{registry}/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"


def verified(data: bytes) -> bytes:
    """``data`` if its SHA-512 is the pinned integrity, else ValueError."""
    algo, _, digest = INTEGRITY.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != digest:
        raise ValueError(f"{PACKAGE} {VERSION}: digest mismatch")
    return data


def fetch(timeout: float = 60) -> Path:
    """Download, verify and extract the bundle (nothing is done when it is there)."""
    out = target()
    if out.is_file():
        return out
    with urllib.request.urlopen(tarball_url(), timeout=timeout) as resp:
        data = verified(resp.read())
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise ValueError(f"{PACKAGE} {VERSION}: {MEMBER} missing")
        body = member.read()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(out)
    return out


if __name__ == "__main__":
    try:
        print(f"plotly.js basic bundle: {fetch()}")
    except (OSError, ValueError) as exc:  # offline: the site falls back to the full bundle
        print(f"plotly.js basic bundle not fetched ({exc}); the full bundle will be served",
              file=sys.stderr)
