"""Real WARC/ARC files written by real tools: good records are archived, broken files become
error rows with a clear reason, and the import still succeeds."""

from __future__ import annotations

import sqlite_utils

from crawler.warc import iter_captures
from tests.conftest import REALDATA, needs_realdata, run_cli

SAMPLES = REALDATA / "warc-samples"


@needs_realdata()
def test_reader_keeps_good_records_and_reports_bad_ones():
    seen = {}
    for path in sorted(SAMPLES.glob("*.*arc*")):
        seen[path.name] = list(iter_captures(path, "sample"))
    captures = {name: [d for kind, d in rows if kind == "capture"] for name, rows in seen.items()}
    errors = {name: [d for kind, d in rows if kind == "error"] for name, rows in seen.items()}
    assert {c["record_type"] for c in captures["example.warc.gz"]} == {"response", "revisit"}
    assert [c["original_url"] for c in captures["example.arc.gz"]] == ["http://example.com/"]
    assert captures["example-resource.warc.gz"][0]["record_type"] == "resource"
    assert captures["example-iana.org-chunked.warc"][0]["status"] == 200
    assert len(captures["post-test.warc.gz"]) == 3
    # the malformed gzip keeps the record before the fault and names the fault
    assert errors["example-bad-non-chunked.warc.gz"]
    assert "gzip" in errors["example-bad-non-chunked.warc.gz"][0]["reason"]
    assert errors["example-trunc.warc"] and "Content-Length" in errors["example-trunc.warc"][0]["reason"]
    clean = [n for n in seen if n not in ("example-bad-non-chunked.warc.gz", "example-trunc.warc")]
    assert all(not errors[n] for n in clean), {n: errors[n] for n in clean}


@needs_realdata()
def test_import_of_every_sample_succeeds_with_error_rows(tmp_path):
    db_path = tmp_path / "samples.db"
    files = [str(p) for p in sorted(SAMPLES.glob("*.*arc*"))]
    run_cli("import-warc", *files, "--db", str(db_path), "--archive", "warcio-samples")
    db = sqlite_utils.Database(db_path)
    assert db["releases"].count >= 2  # example.com and iana.org, through the generic extractor
    stages = {row["stage"] for row in db["errors"].rows}
    assert "warc" in stages
    revisits = list(db.query("SELECT * FROM captures WHERE kind = 'revisit'"))
    assert revisits and all(r["digest"] for r in revisits)
