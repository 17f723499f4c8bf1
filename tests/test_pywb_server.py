"""PywbServer serves the demo WARC like a Wayback Machine: its CDX endpoint lists exactly the
captures the WARC holds, and its `id_` replay returns each capture's archived bytes."""

from __future__ import annotations

import json
import os
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from tests.pywb_server import PywbError, PywbServer

DEMO_WARC = Path(__file__).resolve().parent.parent / "archive" / "demo" / "demo.warc.gz"
PREFIX = "http://www.ice.gov/pi/nr/"
RICHMOND = "http://www.ice.gov/pi/nr/1004/100422richmond.htm"
PALM_BEACH = "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm"


def warc_captures() -> dict[tuple[str, str], dict]:
    """(timestamp, url) -> status, Location and payload bytes of every response record in the demo WARC."""
    captures = {}
    with DEMO_WARC.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            timestamp = iso_date_to_timestamp(record.rec_headers.get_header("WARC-Date"))
            captures[timestamp, record.rec_headers.get_header("WARC-Target-URI")] = {
                "status": record.http_headers.get_statuscode(),
                "location": record.http_headers.get_header("Location"),
                "payload": record.raw_stream.read(),  # the bytes as archived, nothing decoded
            }
    return captures


@pytest.fixture(scope="module")
def pywb():
    try:
        server = PywbServer([DEMO_WARC], collection="demo")
        server.start()
    except PywbError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client():
    with httpx.Client(trust_env=False, timeout=10, follow_redirects=False) as http:
        yield http


def test_cdx_prefix_query_lists_every_capture_in_the_warc(pywb, client):
    expected = {key: value for key, value in warc_captures().items() if key[1].startswith(PREFIX)}
    response = client.get(pywb.cdx_url, params={"url": "www.ice.gov/pi/nr/*", "output": "json"})
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == len(expected) == 24
    assert {(row["timestamp"], row["url"]) for row in rows} == set(expected)
    for row in rows:
        assert row["status"] == expected[row["timestamp"], row["url"]]["status"]
    assert sorted(row["timestamp"] for row in rows if row["url"] == RICHMOND) == ["20100428120109", "20100601090011"]


@pytest.mark.parametrize(
    ("timestamp", "url"),
    [
        ("20100428120109", RICHMOND),
        ("20100601090011", RICHMOND),
        ("20100428120142", "http://www.ice.gov/pi/nr/0905/090519elpaso.htm"),
        ("20100915140020", PALM_BEACH),
        ("20100428120015", "http://www.ice.gov/doclib/secure_communities/pdf/sc_factsheet.pdf"),
    ],
    ids=["richmond-v1", "richmond-v2", "404", "301", "pdf"],
)
def test_id_capture_returns_the_archived_response(pywb, client, timestamp, url):
    capture = warc_captures()[timestamp, url]
    response = client.get(pywb.capture_url(timestamp, url))
    assert str(response.status_code) == capture["status"]
    assert response.content == capture["payload"]
    # id_ leaves Location as archived (here absolute, on the original site)
    assert response.headers.get("Location") == capture["location"]
    memento = parsedate_to_datetime(response.headers["Memento-Datetime"])
    assert memento.strftime("%Y%m%d%H%M%S") == timestamp


def test_the_two_richmond_captures_differ(pywb, client):
    first = client.get(pywb.capture_url("20100428120109", RICHMOND)).content
    second = client.get(pywb.capture_url("20100601090011", RICHMOND)).content
    assert first != second


def test_inexact_timestamp_serves_or_redirects_to_the_nearest_capture(pywb, client):
    # pywb's default: the nearest capture itself, its real time in Memento-Datetime
    response = client.get(pywb.capture_url("20100501000000", RICHMOND))
    assert response.status_code == 200
    assert response.headers["Memento-Datetime"] == "Wed, 28 Apr 2010 12:01:09 GMT"
    assert response.headers["Content-Location"] == pywb.capture_url("20100428120109", RICHMOND)
    # redirect_to_exact=True: a 307 to the nearest capture's exact address (the Internet Archive uses 302)
    with PywbServer([DEMO_WARC], collection="ia", redirect_to_exact=True) as exact:
        pid = exact._proc.pid
        response = client.get(exact.capture_url("20100501000000", RICHMOND))
        assert response.status_code == 307
        assert response.headers["Location"] == exact.capture_url("20100428120109", RICHMOND)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped: nothing left behind


def test_missing_venv_fails_with_the_install_command(tmp_path):
    with pytest.raises(PywbError, match="make install-pywb"):
        PywbServer([DEMO_WARC], venv=tmp_path / "no-such-venv").start()


def test_recorded_ia_captures_agree_with_the_demo_warc(pywb, client):
    """The hand-written IA fixtures reuse the demo WARC's payload digests where both hold a capture."""
    fixtures = Path(__file__).resolve().parent / "fixtures" / "cdx"
    page1 = json.loads((fixtures / "ia_ice_pi_nr_page1.json").read_text(encoding="utf-8"))
    page2 = json.loads((fixtures / "ia_ice_pi_nr_page2.json").read_text(encoding="utf-8"))
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    assert page1[0] == page2[0] == header
    assert page1[-2] == [] and len(page1[-1]) == 1  # showResumeKey: an empty row, then the key
    ia_rows = [dict(zip(header, row, strict=True)) for row in page1[1:-2] + page2[1:]]
    plain = (fixtures / "ia_ice_plain.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(" ") for line in plain] == [list(row.values()) for row in ia_rows]
    assert json.loads((fixtures / "ia_empty.json").read_text(encoding="utf-8")) == []

    response = client.get(pywb.cdx_url, params={"url": "www.ice.gov/pi/nr/*", "output": "json"})
    local = {(row["timestamp"], row["url"]): row["digest"] for row in map(json.loads, response.text.splitlines())}
    shared = [row for row in ia_rows if (row["timestamp"], row["original"].replace(":80/", "/", 1)) in local]
    assert len(shared) == 6
    for row in shared:
        assert local[row["timestamp"], row["original"].replace(":80/", "/", 1)] == row["digest"]
