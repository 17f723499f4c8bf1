"""Shared test helpers: paths, the CLI in a subprocess (Scrapy's reactor runs once per
process), and the demo archive built once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REALDATA = SHARED / "realdata"
DEMO_PAGES = ROOT / "archive" / "demo" / "pages"
ARTIFACTS = ROOT / "test-artifacts"


def run_cli(*args: str, check: bool = True, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `pressarchive ARGS` as a user would, from the repository root."""
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"pressarchive {' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


def needs_realdata() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent (a clone without shared/)")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo archive, built by the same command `make demo` runs."""
    path = tmp_path_factory.mktemp("demo") / "archive.db"
    result = run_cli("demo", "--no-serve", "--db", str(path))
    assert path.exists(), result.stderr
    return path
