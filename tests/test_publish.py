"""`pressarchive publish`: the datasette command it runs, and the Docker build context that
`datasette package` makes from it (with a stand-in `docker` that records instead of building)."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from importlib.metadata import version

import sqlite_utils
from click.testing import CliRunner

from archive.schema import ensure_schema
from crawler.publish import publish
from tests.conftest import ROOT

FAKE_DOCKER = """#!/bin/sh
# Records what `docker build` was given: the arguments and the build context.
echo "$@" > "$RECORD/args"
cp -r . "$RECORD/context"
"""


def _archive(tmp_path):
    path = tmp_path / "myarchive.db"
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    db.conn.execute("PRAGMA journal_mode=DELETE")
    db.conn.close()
    return path


def test_dry_run_prints_the_datasette_command_with_metadata_templates_plugins_and_pins(tmp_path):
    db = _archive(tmp_path)
    result = CliRunner().invoke(publish, ["cloudrun", "--db", str(db), "--dry-run", "--service", "pressarchive"])
    assert result.exit_code == 0, result.output
    args = shlex.split(result.output)
    assert args[1:5] == ["-m", "datasette", "publish", "cloudrun"] and args[5] == str(db)
    for flag in ("--metadata", "--template-dir", "--plugins-dir", "--static", "--extra-options"):
        assert flag in args, flag
    installs = {args[i + 1] for i, arg in enumerate(args) if arg == "--install"}
    assert f"datasette=={version('datasette')}" in installs
    assert {"datasette-search-all", "datasette-cluster-map", "datasette-vega", "datasette-atom"} <= {
        pin.split("==")[0] for pin in installs
    }
    assert args[-2:] == ["--service", "pressarchive"]  # passed through


def test_package_builds_a_context_with_everything_serve_uses(tmp_path):
    db = _archive(tmp_path)
    bin_dir, record = tmp_path / "bin", tmp_path / "record"
    bin_dir.mkdir()
    record.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(FAKE_DOCKER)
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "RECORD": str(record)}
    result = subprocess.run(
        [sys.executable, "-c", "from crawler.publish import publish; publish()", "--db", str(db), "--tag", "pa:test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (record / "args").read_text().split() == ["build", "-t", "pa:test", "."]
    context = record / "context"
    for name in ("myarchive.db", "templates/row.html", "templates/_release.html", "plugins/release_page.py",
                 "plugins/citations.py", "static/pressarchive.css"):  # fmt: skip
        assert (context / name).exists(), name
    metadata = json.loads((context / "metadata.json").read_text())
    assert "myarchive" in metadata["databases"]  # named after the file, as Datasette will name it
    assert "search_releases" in metadata["databases"]["myarchive"]["queries"]
    dockerfile = (context / "Dockerfile").read_text()
    assert "-i myarchive.db" in dockerfile
    assert "--template-dir templates/ --plugins-dir plugins/" in dockerfile
    assert "--static static:static" in dockerfile and "--setting sql_time_limit_ms 3000" in dockerfile
    assert f"datasette-cluster-map=={version('datasette-cluster-map')}" in dockerfile
