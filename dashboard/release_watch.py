"""Release hot swap: follow the release path as new files are published there.

``LiveRelease`` stands where a :class:`~dashboard.data_access.Release` is expected and hands
every call to the release in force. It looks at the path (a ``current`` symlink switched to a
new file, or a file replaced by an atomic rename) at most every ``RELEASE_CHECK_INTERVAL``
seconds; a new file is checked (:mod:`dashboard.release_check`) before any request sees it,
and a bad one is refused while the old one goes on serving. Within a Flask request every call
sees one release, the one in force when the request first asked (``init_app`` pins it in
``flask.g`` and unpins it at teardown), so no response mixes two releases.

DuckDB keeps one database per file path in a process: a file replaced under the same path is
opened only once the requests still reading the old one are done (new requests wait for that,
at most ``DRAIN_TIMEOUT`` seconds). A symlink to versioned files needs no wait, and the
previous release stays readable for the URLs that name it (``by_id``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, current_app, g, has_app_context

from dashboard.data_access import Release, ReleaseNotFound, release_path
from dashboard.release_check import problem

EXTENSION_KEY = "release_watch"
DRAIN_TIMEOUT = 10.0
log = logging.getLogger(__name__)


class ReleaseUnavailable(ReleaseNotFound):
    """The release file exists but cannot be served (truncated, not DuckDB, wrong schema)."""


class Identity(NamedTuple):
    """What tells one published file from another."""

    real_path: str
    device: int
    inode: int
    size: int
    mtime_ns: int


def identity(path: Path) -> Identity:
    st = os.stat(path)  # follows a symlink to the file it names now
    return Identity(os.path.realpath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _close(release: Release) -> None:
    con = getattr(release, "_con", None)
    if con is not None:
        con.close()


class LiveRelease:
    """A release handle that follows its path (see the module docstring)."""

    def __init__(self, path: str | Path | None = None, interval: float | None = None) -> None:
        self.path = Path(path) if path else release_path()
        self.interval = (float(os.environ.get("RELEASE_CHECK_INTERVAL", "1"))
                         if interval is None else interval)
        self._cond = threading.Condition()
        self._current: Release | None = None
        self._previous: Release | None = None
        self._identity: Identity | None = None
        self._refused: Identity | None = None
        self._error: str | None = None
        self._checked = -math.inf
        self._switching = False
        self._pins: dict[int, int] = {}

    def __getattr__(self, name: str) -> Any:
        """Everything else (``query``, ``info``, ``release_id``…): from the release in force."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.current(), name)

    # --- the release in force -----------------------------------------------------------------

    def current(self) -> Release:
        """The request's release (pinned at its first call), else the latest one."""
        if has_app_context() and current_app.extensions.get(EXTENSION_KEY):
            pins: dict[int, tuple[LiveRelease, Release]] = g.setdefault("_release_pins", {})
            pinned = pins.get(id(self))
            if pinned is None:
                pinned = pins[id(self)] = (self, self._acquire(pin=True))
            return pinned[1]
        return self._acquire(pin=False)

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Release]:
        """The release in force, kept open (not drained) until the block ends: for code that
        reads a release outside a Flask request (the API's WSGI fast path)."""
        if has_app_context() and current_app.extensions.get(EXTENSION_KEY):
            yield self.current()  # already pinned for the whole request
            return
        release = self._acquire(pin=True)
        try:
            yield release
        finally:
            self.unpin(release)

    def refresh(self) -> None:
        """Look at the path again at the next call (e.g. a page names a release we don't have)."""
        with self._cond:
            self._checked = -math.inf

    def by_id(self, release_id: str) -> Release | None:
        """The release in force or the previous one, if it has that id."""
        for release in (self._current, self._previous):
            try:
                if release is not None and release.release_id == release_id:
                    return release
            except Exception:  # a closed or broken handle is simply not a match
                continue
        return None

    def _acquire(self, pin: bool) -> Release:
        with self._cond:
            self._cond.wait_for(lambda: not self._switching)
            now = time.monotonic()
            if now - self._checked >= self.interval:
                self._checked = now
                self._follow()
            release = self._current
            if release is None:
                raise (ReleaseUnavailable(self._error) if self._error
                       else ReleaseNotFound(f"release file not found: {self.path}"))
            if pin:
                self._pins[id(release)] = self._pins.get(id(release), 0) + 1
            return release

    def pin_id(self, release_id: str) -> bool:
        """Make this request read the release ``release_id`` if still open (URLs naming it)."""
        release = self.by_id(release_id)
        if release is None or not has_app_context():
            return False
        unpin_request()
        with self._cond:
            self._pins[id(release)] = self._pins.get(id(release), 0) + 1
        g.setdefault("_release_pins", {})[id(self)] = (self, release)
        return True

    def unpin(self, release: Release) -> None:
        with self._cond:
            left = self._pins.get(id(release), 0) - 1
            if left > 0:
                self._pins[id(release)] = left
            else:
                self._pins.pop(id(release), None)
                self._cond.notify_all()

    # --- following the path (called with the lock held) ---------------------------------------

    def _follow(self) -> None:
        try:
            new = identity(self.path)
        except OSError:
            if self._current is None:
                self._error = None  # plain "not found"
            return  # a missing path keeps the release in force
        if new == self._identity or new == self._refused:
            return
        if self._current is not None and new.real_path == self._identity.real_path:
            self._drain(self._current)  # before the check too: it would see the old file
            self._current = self._previous = None
        reason = problem(new.real_path)
        if reason is not None:
            self._refused = new
            log.error("release not switched: %s", reason)
            if self._current is None:
                self._error = reason
            return
        release = Release(new.real_path)
        try:
            release_id = release.release_id
        except Exception as exc:  # raced with another publish: try again at the next look
            log.error("release not switched: %s", exc)
            return
        old = self._current
        self._previous, self._current, self._identity = old, release, new
        self._refused = self._error = None
        if old is not None:
            log.warning("release switched from %s to %s", old.release_id, release_id)

    def _drain(self, old: Release) -> None:
        """Wait for the requests reading ``old`` (same path: DuckDB must close it first)."""
        self._switching = True
        try:
            if not self._cond.wait_for(lambda: not self._pins.get(id(old)), DRAIN_TIMEOUT):
                log.error("release switch: requests still reading after %.0f s", DRAIN_TIMEOUT)
            _close(old)
        finally:
            self._switching = False
            self._cond.notify_all()


_live: LiveRelease | None = None
_live_lock = threading.Lock()


def live() -> LiveRelease:
    """The process-wide live release of ``$RELEASE_PATH`` (a new one if the setting changed)."""
    global _live
    path = release_path()
    with _live_lock:
        if _live is None or _live.path != path:
            _live = LiveRelease(path)
        return _live


def init_app(server: Flask) -> None:
    """Pin one release per request on ``server`` (and unpin it when the request ends)."""
    server.extensions[EXTENSION_KEY] = True

    @server.teardown_appcontext
    def _unpin(_exc: BaseException | None) -> None:
        unpin_request()


def unpin_request() -> None:
    """Let go of the releases this request pinned (the next call pins the latest again)."""
    for owner, release in g.pop("_release_pins", {}).values():
        owner.unpin(release)
