"""Crash and resume: SIGKILL a live crawl at random moments, resume it, check the archive.

A loopback HTTP proxy answers for www.ice.gov with a generated newsroom of the agency's first
URL era (paginated list pages under /pi/news/newsreleases/, release pages under /pi/nr/YYMM/),
so the unmodified `us_ice` spider crawls it "live". A run is started as `pressarchive crawl
us_ice --jobdir DIR` in its own process group, killed (SIGKILL, the whole group) a short random
moment after the k-th response the server has sent, then resumed with the same command until it
finishes. After every kill and at the end the archive is checked against the site:

- `PRAGMA integrity_check` is ok, and no row misses a required field (no half-written rows);
- at the end, every generated release is in `releases` exactly once (by URL), with its own
  title and text, one version, one URL, and a capture of kind `release`;
- every WARC file reads end to end with warcio, except perhaps a torn last record of a killed
  run, and `pressarchive import-warc` of all of them exits 0, rebuilds the same releases and
  reports a torn record as an error row;
- a resumed run does not fetch again a release page the archive already holds from this job
  (the queue is lost in a SIGKILL, so list pages must be fetched again to re-enumerate, but
  release pages already archived need not be).

`make bench` runs it with more kill points:  python -m tests.crash_harness --kills 20
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.readonly import connect_read_only
from tests.http_reply import LoopbackServer, send_reply

ROOT = Path(__file__).resolve().parent.parent
HOST = "http://www.ice.gov"
LIST = f"{HOST}/pi/news/newsreleases/index.htm"
ERA2_LIST = f"{HOST}/news/releases/index.htm"
FACTSHEET = f"{HOST}/pi/news/factsheets/secure_communities.htm"
RUN_TIMEOUT = 120  # seconds any one crawl process may take
MAX_RESUMES = 3

COUNTIES = [
    ("Harris", "HOUSTON"), ("Bexar", "SAN ANTONIO"), ("Palm Beach", "WEST PALM BEACH, Fla."),
    ("Maricopa", "PHOENIX"), ("Fairfax", "FAIRFAX, Va."), ("Wake", "RALEIGH, N.C."),
    ("Cobb", "MARIETTA, Ga."), ("Denver", "DENVER"), ("Pima", "TUCSON, Ariz."), ("Travis", "AUSTIN, Texas"),
]  # fmt: skip
_PAGE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{head}</title></head><body><table id="layout"><tr><td id="main"><div id="content">
{content}
</div></td></tr></table><p class="last-modified">Last Modified: {modified}</p></body></html>"""


# -- the site -------------------------------------------------------------------------------
@dataclass
class Release:
    url: str
    title: str
    day: date
    place: str
    first_paragraph: str
    html: bytes = b""


def _release(i: int, rng: random.Random, start: date, tag: str = "") -> Release:
    county, dateline = COUNTIES[i % len(COUNTIES)]
    day = start + timedelta(days=i * 5 + rng.randrange(5))
    slug = f"{county.lower().replace(' ', '')}{tag}{i:03d}"
    url = f"{HOST}/pi/nr/{day:%y%m}/{day:%y%m%d}{slug}.htm"
    title = f"{county} County joins Secure Communities (release {tag}{i})"
    words = " ".join(
        rng.choice(["booking", "fingerprints", "jail", "records", "officers", "checks"]) for _ in range(12)
    )
    first = (
        f"{dateline} - U.S. Immigration and Customs Enforcement (ICE) on {day:%A} began checking the fingerprints "
        f"of everyone booked into the {county} County jail against immigration records. Release number {i}."
    )
    body = f"<p>{escape(first)}</p><p>Officers said: {words}.</p><p align='center'>-- ICE --</p>"
    content = (
        f'<p class="nr-date">{day:%B} {day.day}, {day.year}</p><h1 class="nr-title">{escape(title)}</h1>'
        f'<h2 class="nr-subtitle">Biometric checks at booking in {county} County</h2><div class="nr-body">{body}</div>'
    )
    page = _PAGE.format(head=escape(f"ICE News Release: {title}"), content=content, modified=f"{day:%B %d, %Y}")
    return Release(url, title, day, f"{county} County", first, page.encode())


def _list_page(rows: list[Release], page: int, pages: int) -> bytes:
    items = "\n".join(
        f'<li><span class="nr-date">{r.day.month}/{r.day.day}/{r.day.year}</span> | '
        f'<a href="{r.url[len(HOST) :]}">{escape(r.title)}</a> <span class="nr-place">{escape(r.place)}</span></li>'
        for r in rows
    )
    pager = f'<p class="pager"><a href="index.htm?page={page + 1}">Older releases</a></p>' if page < pages else ""
    content = f'<h1>News Releases</h1><ul class="nr-list">\n{items}\n</ul>{pager}'
    return _PAGE.format(head="ICE - News Releases", content=content, modified="June 30, 2010").encode()


@dataclass
class Site:
    """url -> (status, body); `releases` are the pages the archive must end up holding."""

    pages: dict[str, bytes]
    releases: dict[str, Release]
    list_urls: list[str]
    # what every run reads first: the spider's start URLs and the list pages they lead to
    entry_urls: set[str] = field(default_factory=set)


def generate_site(releases: int = 100, seed: int = 0, per_page: int = 20, tag: str = "") -> Site:
    """The site; `tag` goes into release URLs and titles, so two sites can share an archive."""
    rng = random.Random(seed)
    made = [_release(i, rng, date(2008, 10, 27), tag) for i in range(releases)]
    made.sort(key=lambda r: (r.day, r.url), reverse=True)  # newest first, as list pages are
    pages: dict[str, bytes] = {r.url: r.html for r in made}
    count = max(1, -(-len(made) // per_page))
    list_urls = [LIST] + [f"{LIST}?page={p}" for p in range(2, count + 1)]
    for p, url in enumerate(list_urls, start=1):
        pages[url] = _list_page(made[(p - 1) * per_page : p * per_page], p, count)
    era2 = '<h1>News</h1><div class="view view-news-releases"></div>'
    pages[ERA2_LIST] = _PAGE.format(head="ICE - News", content=era2, modified="July 1, 2010").encode()
    sheet = _release(releases, rng, date(2009, 1, 5), tag)
    sheet.url = FACTSHEET
    pages[FACTSHEET] = sheet.html
    return Site(pages, {r.url: r for r in [*made, sheet]}, list_urls, {*list_urls, ERA2_LIST, FACTSHEET})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site
    state: SiteServer

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
        body = self.site.pages.get(url)
        status = 200 if body is not None else 404
        body = body if body is not None else b"<html><body>Not found</body></html>"
        try:
            send_reply(self, status, "text/html; charset=utf-8", body)
        except OSError:  # the crawler was killed mid-response
            return
        self.state.served(url)

    def log_message(self, *args) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """A killed crawler resets its connections: that is the point here, not an error."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class SiteServer(LoopbackServer):
    """The site behind an HTTP proxy on 127.0.0.1; counts the responses of the current run."""

    server_class = QuietServer

    def __init__(self, site: Site):
        self.site = site
        self.lock = threading.Lock()
        self.fetched: list[str] = []
        self.kill_at: int | None = None
        self.reached = threading.Event()
        super().__init__(type("Handler", (_Handler,), {"site": site, "state": self}))

    def new_run(self, kill_at: int | None) -> None:
        with self.lock:
            self.fetched, self.kill_at = [], kill_at
            self.reached.clear()

    def served(self, url: str) -> None:
        with self.lock:
            self.fetched.append(url)
            if self.kill_at is not None and len(self.fetched) >= self.kill_at:
                self.reached.set()


# -- running and killing crawls -------------------------------------------------------------
@dataclass
class Run:
    pid: int
    killed: bool
    returncode: int | None
    fetched: list[str]
    seconds: float
    log: Path
    archived_before: int = 0  # release pages (not entry pages) the archive held when it started


def crawl_command(workdir: Path) -> list[str]:
    settings = {
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "TELNETCONSOLE_ENABLED": False,
        "ARCHIVE_WARC_DIR": workdir / "warcs", "ARCHIVE_PROGRESS_INTERVAL": 0,
    }  # fmt: skip
    args = [sys.executable, "-m", "crawler.cli", "crawl", "us_ice", "--db", str(workdir / "archive.db")]
    args += ["--jobdir", str(workdir / "job")]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    return args


def run_crawl(server: SiteServer, workdir: Path, kill_at: int | None, rng: random.Random) -> Run:
    """One crawl process; with `kill_at`, SIGKILL its process group a random moment (0-50 ms)
    after the server has sent that many responses."""
    server.new_run(kill_at)
    env = {**os.environ, "http_proxy": server.proxy, "no_proxy": "", "NO_PROXY": ""}
    log = workdir / f"run-{len(list(workdir.glob('run-*.log'))) + 1}.log"
    started = time.monotonic()
    deadline = started + RUN_TIMEOUT
    killed = False
    with log.open("wb") as out:
        proc = subprocess.Popen(
            crawl_command(workdir), cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
        while kill_at is not None and proc.poll() is None and time.monotonic() < deadline:
            if server.reached.wait(0.05):
                time.sleep(rng.uniform(0, 0.05))
                killed = _kill(proc)
                break
        try:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.wait()
            raise AssertionError(f"crawl did not finish in {RUN_TIMEOUT}s; see {log}") from None
    with server.lock:
        fetched = list(server.fetched)
    # A run that exited by itself just before the kill landed was not killed.
    killed = killed and proc.returncode == -signal.SIGKILL
    return Run(proc.pid, killed, None if killed else proc.returncode, fetched, time.monotonic() - started, log)


def _kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the crawl's own process group; False if it had already exited."""
    if proc.poll() is not None:
        return False
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


# -- checking the archive -------------------------------------------------------------------
REQUIRED = {
    "releases": ["release_id", "source", "url", "title", "body_text", "content_hash", "first_captured",
                 "capture_count", "version_count"],
    "captures": ["capture_id", "source", "kind", "archive", "timestamp", "original_url", "digest", "warc_file",
                 "warc_offset", "record_id"],
    "release_versions": ["release_id", "version", "content_hash", "title", "body_text"],
    "release_urls": ["release_id", "url"],
    "listings": ["listing_id", "source", "list_url", "url"],
    "errors": ["error_id", "source", "url", "stage", "reason"],
}  # fmt: skip


def _connect(db_path: Path) -> sqlite3.Connection:
    conn = connect_read_only(db_path)
    conn.row_factory = sqlite3.Row
    return conn


def check_rows(db_path: Path) -> list[str]:
    """What must hold at any moment, a SIGKILL included: a sound file and whole rows."""
    if not db_path.exists():
        return []
    conn = _connect(db_path)
    try:
        problems = [f"integrity_check: {row[0]}" for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in REQUIRED.items():
            if table not in tables:
                continue
            nulls = " OR ".join(f"[{c}] IS NULL" for c in columns)
            for row in conn.execute(f"SELECT * FROM [{table}] WHERE {nulls} LIMIT 5"):
                problems.append(f"{table}: row with a NULL required field: {dict(row)}")
        if "releases" in tables:
            problems += _half_written(conn)
    finally:
        conn.close()
    return problems


_HALF_WRITTEN = {
    "release without a release capture": """SELECT url FROM releases r WHERE NOT EXISTS
        (SELECT 1 FROM captures c WHERE c.release_id = r.release_id AND c.kind = 'release')""",
    "release without a version": """SELECT url FROM releases r WHERE NOT EXISTS
        (SELECT 1 FROM release_versions v WHERE v.release_id = r.release_id)""",
    "release without its URL row": """SELECT url FROM releases r WHERE NOT EXISTS
        (SELECT 1 FROM release_urls u WHERE u.release_id = r.release_id AND u.url = r.url)""",
    "release capture without its release": """SELECT original_url FROM captures c WHERE kind = 'release'
        AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.release_id = c.release_id)""",
    "capture_count out of step": """SELECT url FROM releases r WHERE capture_count !=
        (SELECT count(*) FROM captures c WHERE c.release_id = r.release_id)""",
    "FTS index out of step": """SELECT 'releases_fts' WHERE (SELECT count(*) FROM releases) !=
        (SELECT count(*) FROM releases_fts)""",
}


def _half_written(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for what, sql in _HALF_WRITTEN.items():
        found = [row[0] for row in conn.execute(sql)]
        if found:
            problems.append(f"{what}: {found[:3]}")
    return problems


def check_complete(db_path: Path, site: Site) -> list[str]:
    """Every release of the site exactly once, with its own text and one version."""
    if not db_path.exists():
        return [f"no archive at {db_path}"]
    conn = _connect(db_path)
    try:
        rows = list(conn.execute("SELECT url, title, body_text, version_count FROM releases"))
        url_rows = conn.execute("SELECT count(*), count(DISTINCT url) FROM release_urls").fetchone()
    finally:
        conn.close()
    urls = [row["url"] for row in rows]
    problems = []
    if missing := sorted(set(site.releases) - set(urls)):
        problems.append(f"{len(missing)} release(s) lost, e.g. {missing[:3]}")
    if extra := sorted(set(urls) - set(site.releases)):
        problems.append(f"{len(extra)} release(s) not on the site: {extra[:3]}")
    if duplicated := sorted({u for u in urls if urls.count(u) > 1}):
        problems.append(f"{len(duplicated)} release(s) stored more than once: {duplicated[:3]}")
    if url_rows[0] != url_rows[1]:
        problems.append(f"release_urls: {url_rows[0]} rows for {url_rows[1]} URLs")
    for row in rows:
        expected = site.releases.get(row["url"])
        if expected is None:
            continue
        if row["title"] != expected.title or expected.first_paragraph not in row["body_text"]:
            problems.append(f"{row['url']}: stored text differs from the page ({row['title']!r})")
        if row["version_count"] != 1:
            problems.append(f"{row['url']}: {row['version_count']} versions of an unchanged page")
    return problems


def _pid_of(warc: Path) -> int | None:
    """WARC files are named <spider>-<timestamp>-<pid>.warc.gz by the writer."""
    tail = warc.name.split(".", 1)[0].rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def read_warc(path: Path) -> tuple[int, str | None]:
    """(whole records, problem): reads every record to its end, digests checked. warcio lets a
    torn last record pass: cut in its payload it yields the record short, cut in its headers it
    yields a record without them or stops as if the file had ended. All are problems here."""
    count, last = 0, None
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream, check_digests="raise")
            for record in iterator:
                last = iterator.get_record_offset()
                record.content_stream().read()
                if missing := getattr(record.raw_stream, "limit", 0):
                    return count, f"record at offset {last} lacks {missing} bytes"
                if not record.rec_headers.get_header("WARC-Record-ID"):
                    return count, f"record at offset {last} has torn headers"
                count += 1
            member = getattr(iterator, "member_info", None) or (last, 0)
            size = path.stat().st_size
            if member[0] != last or (member[0] or 0) + member[1] < size:
                return count, f"bytes after the last whole record (offset {last}) up to {size}"
    except Exception as exc:  # any failure to read is what we report
        return count, f"{type(exc).__name__}: {exc}"
    return count, None


def check_warcs(warc_dir: Path, db_path: Path, killed_pids: set[int]) -> tuple[list[str], list[str]]:
    """(problems, torn files). Only a file a killed run was writing may end in a torn record,
    and no archive row may point at one."""
    problems, torn = [], []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        _, problem = read_warc(path)
        if problem and _pid_of(path) in killed_pids:
            torn.append(f"{path.name}: {problem}")
        elif problem:
            problems.append(f"{path.name} (a run that was not killed): {problem}")
    if db_path.exists():
        problems += _rows_point_at_whole_records(warc_dir, db_path)
    return problems, torn


def _rows_point_at_whole_records(warc_dir: Path, db_path: Path) -> list[str]:
    from crawler.warc import payload_digest, read_record

    conn = _connect(db_path)
    try:
        rows = list(conn.execute("SELECT original_url, digest, warc_file, warc_offset FROM captures"))
    finally:
        conn.close()
    problems = []
    for row in rows:
        try:
            record, body = read_record(warc_dir / row["warc_file"], row["warc_offset"])
        except Exception as exc:  # reported, not raised
            problems.append(f"capture of {row['original_url']} points at an unreadable record: {exc}")
            continue
        target = record.rec_headers.get_header("WARC-Target-URI")
        if target != row["original_url"] or record.rec_headers.get_header("WARC-Payload-Digest") != row["digest"]:
            problems.append(f"capture of {row['original_url']} points at the record of {target}")
        elif getattr(record.raw_stream, "limit", 0) or payload_digest(body) != row["digest"]:
            problems.append(f"capture of {row['original_url']} points at a torn record")
    return problems


def check_import(workdir: Path, site: Site) -> tuple[list[str], int]:
    """`pressarchive import-warc` of every WARC the runs wrote: exit 0, the same releases,
    whole rows; returns (problems, error rows for unreadable WARC data)."""
    db = workdir / "reimport.db"
    files = [str(p) for p in sorted((workdir / "warcs").glob("*.warc.gz"))]
    args = [sys.executable, "-m", "crawler.cli", "import-warc", *files, "--db", str(db)]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if result.returncode != 0:
        return [f"import-warc exited {result.returncode}: {result.stderr[-1500:]}"], 0
    problems = [f"import: {p}" for p in check_rows(db) + check_complete(db, site)]
    conn = _connect(db)
    try:
        unreadable = conn.execute("SELECT count(*) FROM errors WHERE stage = 'warc'").fetchone()[0]
    finally:
        conn.close()
    return problems, unreadable


def _stored_urls(db_path: Path) -> set[str]:
    if not db_path.exists():
        return set()
    conn = _connect(db_path)
    try:
        return {row[0] for row in conn.execute("SELECT url FROM releases")}
    except sqlite3.OperationalError:  # killed before the schema was made
        return set()
    finally:
        conn.close()


# -- scenarios --------------------------------------------------------------------------------
CATEGORIES = ("rows", "complete", "warc", "import", "runs")


@dataclass
class Scenario:
    kill_points: list[int]
    runs: list[Run] = field(default_factory=list)
    # rows: half-written or unsound after a kill; complete: releases lost, duplicated or wrong;
    # warc: unreadable files, rows pointing at torn records; import: re-importing the WARCs;
    # runs: a run that failed or never finished
    problems: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    torn: list[str] = field(default_factory=list)  # torn last records of killed runs (allowed)
    refetched: list[str] = field(default_factory=list)  # archived release pages a resume fetched again
    warc_error_rows: int = 0

    @property
    def kills(self) -> int:
        return sum(run.killed for run in self.runs)

    def all_problems(self) -> list[str]:
        return [f"{category}: {p}" for category, found in self.problems.items() for p in found]


def _one_run(scenario: Scenario, server: SiteServer, workdir: Path, kill_at: int | None, rng) -> Run:
    db = workdir / "archive.db"
    archived = _stored_urls(db) - server.site.entry_urls
    run = run_crawl(server, workdir, kill_at, rng)
    run.archived_before = len(archived)
    scenario.runs.append(run)
    if len(scenario.runs) > 1:  # a resume: what it fetched again that the archive already held
        scenario.refetched += sorted(archived & set(run.fetched))
    if run.killed:
        scenario.problems["rows"] += [f"after kill {scenario.kills} (k={kill_at}): {p}" for p in check_rows(db)]
    elif run.returncode != 0:
        tail = run.log.read_text(encoding="utf-8", errors="replace")[-1500:]
        scenario.problems["runs"].append(f"run {len(scenario.runs)} exited {run.returncode}:\n{tail}")
    return run


def run_scenario(site: Site, server: SiteServer, workdir: Path, kill_points: list[int], seed: int) -> Scenario:
    """Kill a crawl at each point in turn (each a count of responses within that run), then
    resume it until it finishes, then check everything."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    scenario = Scenario(list(kill_points))
    for kill_at in kill_points:
        if not _one_run(scenario, server, workdir, kill_at, rng).killed:
            break  # it finished before the kill point
    for _ in range(MAX_RESUMES):
        if scenario.runs[-1].returncode == 0:
            break
        _one_run(scenario, server, workdir, None, rng)
    else:
        scenario.problems["runs"].append(f"no run finished after {MAX_RESUMES} resumes")
    db = workdir / "archive.db"
    scenario.problems["rows"] += check_rows(db)
    scenario.problems["complete"] += check_complete(db, site)
    killed = {run.pid for run in scenario.runs if run.killed}
    warc_problems, scenario.torn = check_warcs(workdir / "warcs", db, killed)
    scenario.problems["warc"] += warc_problems
    imported, scenario.warc_error_rows = check_import(workdir, site)
    scenario.problems["import"] += imported
    if scenario.warc_error_rows < len(scenario.torn):
        scenario.problems["import"].append(
            f"{len(scenario.torn)} torn WARC file(s) but {scenario.warc_error_rows} error row(s) for them"
        )
    return scenario


def plan(kills: int, site: Site, seed: int) -> list[list[int]]:
    """Kill points, `kills` in all: mostly one kill per crawl (anywhere in a full run), and
    every third scenario a second kill early in the resumed run (while it re-reads the list
    pages, which every resume fetches), so a crash of a resume is covered too."""
    rng = random.Random(seed)
    full = len(site.pages)
    scenarios: list[list[int]] = []
    while kills > 0:
        points = [rng.randrange(1, full)]
        if len(scenarios) % 3 == 2 and kills >= 2:
            points.append(rng.randrange(1, len(site.list_urls) + 1))
        scenarios.append(points)
        kills -= len(points)
    return scenarios


def run_all(kills: int, seed: int, workdir: Path, releases: int = 100) -> list[Scenario]:
    site = generate_site(releases, seed)
    with SiteServer(site) as server:
        return [
            run_scenario(site, server, workdir / f"scenario-{i}", points, seed + i)
            for i, points in enumerate(plan(kills, site, seed))
        ]


def summary(scenarios: list[Scenario], seconds: float) -> str:
    runs = [run for s in scenarios for run in s.runs]
    return (
        f"CRASH kill_points={sum(s.kills for s in scenarios)} scenarios={len(scenarios)} runs={len(runs)} "
        f"problems={sum(len(s.all_problems()) for s in scenarios)} torn_records={sum(len(s.torn) for s in scenarios)} "
        f"refetched_archived={sum(len(s.refetched) for s in scenarios)} seconds={seconds:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="kill points in all (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--releases", type=int, default=100, help="release pages on the generated site")
    parser.add_argument("--keep", help="directory to keep the runs in (default: a temporary one)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="crash-") as tmp:
        scenarios = run_all(args.kills, args.seed, Path(args.keep or tmp), args.releases)
    for i, scenario in enumerate(scenarios):
        for problem in scenario.all_problems():
            print(f"scenario {i} kill points {scenario.kill_points}: {problem}", file=sys.stderr)
    print(summary(scenarios, time.monotonic() - started))
    return 1 if any(s.all_problems() for s in scenarios) else 0


if __name__ == "__main__":
    sys.exit(main())
