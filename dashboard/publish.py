"""Publish a release file without downtime: ``python -m dashboard.publish FILE --dir DIR``.

1. The file is checked (:mod:`dashboard.release_check`); an unusable one stops here (one line,
   exit 3) and the site goes on serving the release in force.
2. It is copied to ``DIR/releases/<release id>.duckdb`` (written beside, then renamed), and
   its bulk files are written to ``DIR/downloads/<release id>/``.
3. ``DIR/current.duckdb`` (the instances' ``RELEASE_PATH``) is switched to it atomically
   (a new symlink renamed over the old one): each instance opens it within a second.
4. ``DIR/nginx-release.conf`` names the release for the proxy's cache key; reload nginx
   (``nginx -s reload``, graceful) to use it, or pass ``--nginx-pid`` to have it done.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
from pathlib import Path

import duckdb

from dashboard.api import bulk
from dashboard.data_access import Release
from dashboard.release_check import EXIT_UNUSABLE, problem

CURRENT = "current.duckdb"
NGINX_CONF = "nginx-release.conf"
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def publish(source: Path, directory: Path) -> str:
    """Publish ``source`` into ``directory``; its release id (``ValueError``: unusable)."""
    reason = problem(source)
    if reason is not None:
        raise ValueError(reason)
    con = duckdb.connect(str(source), read_only=True)
    try:
        release_id = str(con.execute("SELECT release_id FROM release").fetchone()[0])
    finally:
        con.close()
    if not SAFE_ID.match(release_id):
        raise ValueError(f"release id {release_id!r} is not usable in a file name")
    releases = directory / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / f"{release_id}.duckdb"
    if not target.exists():
        tmp = releases / f".{release_id}.duckdb.tmp"
        shutil.copyfile(source, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    # The bulk files beside it, where the instances look (downloads/ next to current.duckdb).
    bulk.ensure(Release(target), directory / "downloads")
    link = directory / CURRENT
    tmp_link = directory / f".{CURRENT}.tmp"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(Path("releases") / target.name)
    os.replace(tmp_link, link)
    _atomic_write(directory / NGINX_CONF, f'set $registre_release "{release_id}";\n')
    return release_id


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard.publish", description=__doc__.split(
        "\n")[0])
    p.add_argument("file", type=Path, help="the new release file")
    p.add_argument("--dir", type=Path, required=True, help="the folder the instances read")
    p.add_argument("--nginx-pid", type=Path, help="nginx's pid file: reload it when published")
    args = p.parse_args(argv)
    try:
        release_id = publish(args.file, args.dir)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.nginx_pid:
        os.kill(int(args.nginx_pid.read_text().strip()), signal.SIGHUP)
    print(f"published {release_id} as {args.dir / CURRENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
