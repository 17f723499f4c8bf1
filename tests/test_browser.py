"""The archive in a real browser: Debian's chromium driven by Playwright, against
`pressarchive serve` on 127.0.0.1, with every request to another host aborted (offline map
tiles fail quietly; nothing leaves the machine).

Every page visit fails the test on a JavaScript error, a dialog (alert/confirm/prompt) or a
console error, except console reports of the aborted off-machine loads. Screenshots of the
main pages go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ARTIFACTS, ROOT
from tests.test_datasette_pages import FORSYTH_URL, release_id_for
from tests.test_datasette_safety import JS_URL, poison

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE_URL = "http://www.ice.gov/pi/nr/1005/100512hostile.htm"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`pressarchive serve` in its own process group: the CLI runs Datasette as a child, and
    stopping the group stops both."""

    def __init__(self, db: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"pressarchive serve exited: {self.process.stderr.read()[-3000:]}")
            try:
                httpx.get(self.base + "/-/versions.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("pressarchive serve did not answer within 30 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process.stderr.close()


@pytest.fixture(scope="module")
def server(demo_db):
    running = Server(demo_db)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    """A copy of the demo archive named other.db with hostile strings put straight into it."""
    path = tmp_path_factory.mktemp("browser-hostile") / "other.db"
    shutil.copy(demo_db, path)
    release_id = poison(path)
    running = Server(path)
    running.release_id = release_id
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`make system-deps`); never `playwright install`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """One browser tab on one server, recording everything that would mean script ran or broke."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _only_local(self, route):
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog):
        self.problems.append(f"dialog ({dialog.type}): {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type != "error":
            return
        where = message.location.get("url", "")
        # The loads we abort ourselves (map tiles on other hosts) are reported this way.
        if message.text.startswith("Failed to load resource") and not where.startswith(self.base + "/"):
            return
        self.problems.append(f"console error: {message.text} ({where})")

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name: str, full_page: bool = True) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def check(self) -> None:
        assert not self.problems, "\n".join(self.problems)
        assert self.page.evaluate("typeof window.__pwned") == "undefined", "injected script ran"


@pytest.fixture
def visit(browser, server):
    opened = Visit(browser, server.base)
    yield opened
    opened.context.close()


def test_home_page_leads_to_search_map_and_timeline(visit):
    page = visit.open("/")
    for label in ("Search releases", "Browse releases", "Rollout timeline", "Map"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1, label
    visit.shot("home")
    visit.check()


def test_search_finds_the_release_and_shows_a_highlighted_snippet(visit):
    page = visit.open("/")
    page.get_by_role("link", name="Search releases", exact=True).click()
    page.fill("input[name=q]", "Forsyth fingerprints")
    page.get_by_role("button", name="Run SQL").click()
    page.wait_for_load_state("networkidle")
    marks = page.locator("table.rows-and-columns td.col-snippet mark")
    assert marks.count() > 0
    assert {text.lower() for text in marks.all_inner_texts()} & {"forsyth", "fingerprints"}
    visit.shot("search")
    page.get_by_role("link", name="ICE Secure Communities comes to Forsyth County").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1.release-title").inner_text() == "ICE Secure Communities comes to Forsyth County"
    visit.check()


def test_release_page_shows_captures_and_a_citation(visit, demo_db):
    page = visit.open(f"/archive/releases/{release_id_for(demo_db, FORSYTH_URL)}")
    assert page.locator("#captures tr.capture").count() >= 1
    assert "demo.warc.gz" in page.locator("#captures").inner_text()
    chicago = page.locator("#cite-chicago").inner_text()
    assert chicago.startswith("U.S. Immigration and Customs Enforcement, “ICE Secure Communities comes to Forsyth")
    assert FORSYTH_URL in chicago and "accessed September 15, 2010" in chicago
    assert "@misc{" in page.locator("#cite-bibtex").inner_text()
    assert '"issued"' in page.locator("#cite-csl").inner_text()
    visit.shot("release")
    visit.check()


def test_map_shows_markers_without_tiles(visit):
    page = visit.open("/archive/jurisdictions_map")
    markers = page.locator(".leaflet-marker-icon")  # single markers and clusters both
    markers.first.wait_for(timeout=10_000)
    assert markers.count() > 0
    visit.shot("map")
    visit.check()


def test_releases_per_month_draws_its_chart(visit):
    page = visit.open("/archive/releases_per_month")
    page.locator(".vega-embed canvas, .vega-embed svg.marks").first.wait_for(timeout=10_000)
    visit.shot("chart")
    visit.check()


def test_timeline_and_faceted_table_render(visit):
    page = visit.open("/archive/rollout_timeline")
    assert page.locator("table.rows-and-columns tbody tr").count() > 0
    visit.shot("timeline")
    page = visit.open("/archive/releases")
    assert page.locator(".facet-results").count() > 0
    visit.shot("releases", full_page=False)  # the whole table page is very long
    visit.check()


def test_hostile_demo_page_runs_no_script(visit, demo_db):
    page = visit.open(f"/archive/releases/{release_id_for(demo_db, HOSTILE_URL)}")
    assert page.locator("h1.release-title").inner_text() == "Hidalgo County update"
    assert page.locator("article.release script, article.release iframe, article.release img").count() == 0
    visit.shot("hostile")
    visit.check()


def test_markup_put_straight_into_the_archive_stays_inert(browser, hostile_server):
    visit = Visit(browser, hostile_server.base)
    try:
        page = visit.open(f"/other/releases/{hostile_server.release_id}")
        title = page.locator("h1.release-title").inner_text()
        assert "<script>" in title and "<img src=x" in title  # shown as text
        assert page.locator(f'a[href^="{JS_URL[:11]}"]').count() == 0
        visit.shot("injected")
        for path in (
            "/other/search_releases?q=Forsyth",
            "/other/jurisdictions_map",
            "/other/releases",
            "/-/search?q=Forsyth",
        ):
            visit.open(path)
            visit.check()
    finally:
        visit.context.close()
