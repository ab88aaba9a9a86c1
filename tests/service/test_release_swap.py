"""Release hot swap, release checks and the publish command."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import duckdb
import flask
import pytest

from dashboard import release_check, release_watch
from dashboard.data_access import ReleaseNotFound
from dashboard.publish import CURRENT, NGINX_CONF, publish
from dashboard.publish import main as publish_main
from dashboard.release_watch import LiveRelease, ReleaseUnavailable

FIRST, SECOND = "20260101-fixture0", "20260201-fixture1"


def truncated(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[:50_000])
    return target


def wrong_schema(target: Path) -> Path:
    con = duckdb.connect(str(target))
    con.execute("CREATE TABLE release (release_id VARCHAR)")
    con.close()
    return target


def test_release_check_gives_one_reason(fixture_release: Path, tmp_path: Path) -> None:
    assert release_check.problem(fixture_release) is None
    assert "not found" in release_check.problem(tmp_path / "absent.duckdb")
    bad = release_check.problem(truncated(fixture_release, tmp_path / "cut.duckdb"))
    assert "not a readable DuckDB database" in bad and "\n" not in bad
    assert str(tmp_path) not in bad  # file names only, never a server path
    assert "wrong schema" in release_check.problem(wrong_schema(tmp_path / "w.duckdb"))
    assert release_check.main([str(tmp_path / "absent.duckdb")]) == release_check.EXIT_UNUSABLE


def test_symlink_switch_is_picked_up(fixture_release: Path, second_release: Path,
                                     tmp_path: Path) -> None:
    link = tmp_path / "current.duckdb"
    link.symlink_to(fixture_release)
    live = LiveRelease(link, interval=0)
    assert live.release_id == FIRST
    tmp = tmp_path / "tmp-link"
    tmp.symlink_to(second_release)
    os.replace(tmp, link)
    assert live.release_id == SECOND
    assert live.by_id(FIRST) is not None  # the previous one still answers its own URLs


def test_atomic_rename_is_picked_up(fixture_release: Path, second_release: Path,
                                    tmp_path: Path) -> None:
    path = tmp_path / "indicators.duckdb"
    shutil.copyfile(fixture_release, path)
    live = LiveRelease(path, interval=0)
    assert live.release_id == FIRST
    shutil.copyfile(second_release, tmp_path / "new.duckdb")
    os.replace(tmp_path / "new.duckdb", path)
    assert live.release_id == SECOND
    assert len(live.query("SELECT * FROM geo")) > 0


def test_a_bad_file_is_refused_and_the_old_one_serves(fixture_release: Path,
                                                      tmp_path: Path) -> None:
    link = tmp_path / "current.duckdb"
    link.symlink_to(fixture_release)
    live = LiveRelease(link, interval=0)
    assert live.release_id == FIRST
    bad = truncated(fixture_release, tmp_path / "bad.duckdb")
    link.unlink()
    link.symlink_to(bad)
    assert live.release_id == FIRST


def test_unusable_file_at_start_is_unavailable(fixture_release: Path, tmp_path: Path) -> None:
    with pytest.raises(ReleaseNotFound):
        LiveRelease(tmp_path / "absent.duckdb", interval=0).current()
    live = LiveRelease(wrong_schema(tmp_path / "w.duckdb"), interval=0)
    with pytest.raises(ReleaseUnavailable, match="wrong schema"):
        live.current()


def test_one_release_per_request(fixture_release: Path, second_release: Path,
                                 tmp_path: Path) -> None:
    link = tmp_path / "current.duckdb"
    link.symlink_to(fixture_release)
    live = LiveRelease(link, interval=0)
    app = flask.Flask(__name__)
    release_watch.init_app(app)
    with app.test_request_context("/"):
        assert live.release_id == FIRST
        tmp = tmp_path / "tmp-link"
        tmp.symlink_to(second_release)
        os.replace(tmp, link)
        assert live.release_id == FIRST  # pinned for the whole request
    with app.test_request_context("/"):
        assert live.release_id == SECOND
        assert live.pin_id(FIRST) and live.release_id == FIRST  # a URL naming the previous one
        assert not live.pin_id("19990101-unknown")
    assert live._pins == {}


def test_rename_waits_for_requests_reading_the_old_file(fixture_release: Path,
                                                        second_release: Path,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "indicators.duckdb"
    shutil.copyfile(fixture_release, path)
    live = LiveRelease(path, interval=0)
    app = flask.Flask(__name__)
    release_watch.init_app(app)
    seen: list[str] = []
    with app.test_request_context("/"):
        assert live.release_id == FIRST
        shutil.copyfile(second_release, tmp_path / "new.duckdb")
        os.replace(tmp_path / "new.duckdb", path)
        other = threading.Thread(target=lambda: seen.append(live.release_id))
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive()  # waits: this request still reads the old file
        assert len(live.query("SELECT * FROM site")) > 0
    other.join(timeout=10)
    assert seen == [SECOND]


def test_publish_switches_the_link_and_names_the_release(fixture_release: Path,
                                                         second_release: Path,
                                                         tmp_path: Path) -> None:
    assert publish(fixture_release, tmp_path) == FIRST
    assert publish(second_release, tmp_path) == SECOND
    assert (tmp_path / CURRENT).resolve() == (tmp_path / "releases" / f"{SECOND}.duckdb")
    assert SECOND in (tmp_path / NGINX_CONF).read_text()
    bad = truncated(fixture_release, tmp_path / "bad.duckdb")
    assert publish_main([str(bad), "--dir", str(tmp_path)]) == release_check.EXIT_UNUSABLE
    assert (tmp_path / CURRENT).resolve().name == f"{SECOND}.duckdb"
