"""Crash and resume: a live crawl (us_ice, of a generated loopback site) SIGKILLed at seeded
random points and resumed with the same --jobdir loses no release, duplicates none, leaves no
half-written row and only readable WARC files. The harness is tests/crash_harness.py; `make
bench` runs it with 20 kill points."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.crash_harness import ROOT, generate_site, read_warc, run_all

SEED = 20100426
KILLS = 6  # the issue asks for at least 5 in `make test`
RELEASES = 80


@pytest.fixture(scope="module")
def crash(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crash")
    return generate_site(RELEASES, SEED), run_all(KILLS, SEED, workdir, RELEASES)


def _problems(scenarios, category):
    return [f"kill points {s.kill_points}: {p}" for s in scenarios for p in s.problems[category]]


def test_the_crawls_were_killed_at_least_five_times_and_resumed_to_the_end(crash):
    _, scenarios = crash
    assert sum(s.kills for s in scenarios) >= 5, [s.kill_points for s in scenarios]
    assert not _problems(scenarios, "runs")
    assert all(s.runs[-1].returncode == 0 for s in scenarios)


def test_no_half_written_row_after_a_kill_or_at_the_end(crash):
    _, scenarios = crash
    assert not _problems(scenarios, "rows")


def test_every_release_archived_exactly_once_with_its_own_text(crash):
    _, scenarios = crash
    assert not _problems(scenarios, "complete")


def test_warc_files_read_end_to_end_and_every_row_points_at_a_whole_record(crash):
    _, scenarios = crash
    assert not _problems(scenarios, "warc")


def test_importing_the_runs_warcs_rebuilds_the_same_releases(crash):
    _, scenarios = crash
    assert not _problems(scenarios, "import")


def test_a_resume_after_a_kill_does_not_fetch_archived_release_pages_again(crash):
    """SafeResumeExtension rightly drops the seen set and queue after an unclean stop, so the
    resume re-reads the start URLs and list pages to re-enumerate; but a release page this job
    already archived need not be fetched again (DESIGN §6: "already archived" checks make the
    re-crawl cheap)."""
    site, scenarios = crash
    refetched = sorted({url for s in scenarios for url in s.refetched})
    assert not refetched, f"{len(refetched)} archived release page(s) fetched again, e.g. {refetched[:3]}"
    for scenario in scenarios:
        for run in scenario.runs[1:]:  # a resume fetches the site less what the job archived
            assert len(run.fetched) <= len(site.pages) - run.archived_before


# -- a torn last record, as a SIGKILL during a WARC write leaves it ----------------------------
def _members(data: bytes) -> list[tuple[str, bytes]]:
    """The file's gzip members (the writer puts one record in each), with their target URLs."""
    iterator = ArchiveIterator(io.BytesIO(data))
    offsets, urls = [], []
    for record in iterator:
        offsets.append(iterator.get_record_offset())
        urls.append(record.rec_headers.get_header("WARC-Target-URI"))
        record.content_stream().read()
    ends = [*offsets[1:], len(data)]
    return [(url, data[a:b]) for url, a, b in zip(urls, offsets, ends, strict=True)]


def _import(files, db):
    args = [sys.executable, "-m", "crawler.cli", "import-warc", *map(str, files), "--db", str(db)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def _query(db, sql):
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def small_warc(crash, tmp_path_factory):
    """Whole records of a finished run and a release page's record after them, and the archive
    a clean import of them builds."""
    _, scenarios = crash
    finished = scenarios[0].runs[-1]
    source = next((finished.log.parent / "warcs").glob(f"*-{finished.pid}.warc.gz"))
    members = _members(source.read_bytes())
    last = next(member for url, member in members if "/pi/nr/" in url)  # a release page
    head = b"".join(member for _, member in members[:4] if member is not last)
    whole = tmp_path_factory.mktemp("torn") / "whole.warc.gz"
    whole.write_bytes(head + last)
    result = _import([whole], whole.with_suffix(".db"))
    assert result.returncode == 0, result.stderr[-2000:]
    return head, last, whole.with_suffix(".db")


# Where a cut lands, as a fraction of the last record's gzip member: in the gzip header, in the
# WARC headers, in the HTTP headers, early and late in the payload.
CUTS = {
    "gzip-header": 0.02, "warc-headers": 0.1, "warc-headers-late": 0.15, "http-headers": 0.2,
    "payload-early": 0.4, "payload-late": 0.9,
}  # fmt: skip


@pytest.mark.parametrize("fraction", CUTS.values(), ids=CUTS.keys())
def test_a_torn_last_record_is_an_error_row_not_a_crash_nor_a_shortened_release(small_warc, tmp_path, fraction):
    head, last, whole_db = small_warc
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(head + last[: max(1, int(len(last) * fraction))])
    assert read_warc(torn)[1] is not None  # the harness sees the tear (warcio alone does not)

    result = _import([torn], tmp_path / "torn.db")
    assert result.returncode == 0, result.stderr[-2000:]
    reasons = [r for (r,) in _query(tmp_path / "torn.db", "SELECT reason FROM errors WHERE stage = 'warc'")]
    assert len(reasons) == 1 and "unreadable WARC data" in reasons[0], reasons
    complete = dict(_query(whole_db, "SELECT url, body_text FROM releases"))
    imported = dict(_query(tmp_path / "torn.db", "SELECT url, body_text FROM releases"))
    assert len(imported) == len(complete) - 1, "the torn record was archived as a release"
    assert all(complete.get(url) == body for url, body in imported.items())
    assert not _query(tmp_path / "torn.db", "SELECT 1 FROM captures WHERE original_url IS NULL OR original_url = ''")
