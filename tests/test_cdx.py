"""The CDX client: both response shapes, URL pattern forms, filters and digest dedupe."""

from __future__ import annotations

import json

import pytest

from crawler import cdx

IA_HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def _ia(rows, resume=None):
    table = [IA_HEADER, *rows]
    if resume:
        table += [[], [resume]]
    return json.dumps(table)


def test_ia_json_with_header_row_and_resume_key():
    key = "gov,ice)/pi/nr/1004/100426palmbeach.htm"
    original = "http://www.ice.gov:80/pi/nr/1004/100426palmbeach.htm"
    body = _ia([[key, "20100427000000", original, "text/html", "200", "ABC", "5120"]], resume=f"{key} 20100427000000")
    rows, resume = cdx.parse(body, "ia")
    assert resume.endswith("20100427000000")
    assert rows == [
        {
            "timestamp": "20100427000000",
            "original": "http://www.ice.gov:80/pi/nr/1004/100426palmbeach.htm",
            "mime": "text/html",
            "status": "200",
            "digest": "ABC",
            "length": "5120",
        }
    ]


def test_ia_empty_and_plain_text_forms():
    assert cdx.parse("[]", "ia") == ([], None)
    assert cdx.parse("", "ia") == ([], None)
    plain = "gov,ice)/ 20090101000000 http://www.ice.gov/ text/html 200 XYZ 100\n"
    rows, _ = cdx.parse(plain, "ia")
    assert rows[0]["original"] == "http://www.ice.gov/" and rows[0]["digest"] == "XYZ"


def test_pywb_one_object_per_line():
    rows = [
        {"timestamp": t, "url": "http://www.ice.gov/a.htm", "mime": "text/html", "status": "200", "digest": d}
        for t, d in (("20100428120000", "D1"), ("20100601090000", "D2"))
    ]
    body = "\n".join(json.dumps(row) for row in rows)
    rows, resume = cdx.parse(body, "pywb")
    assert resume is None
    assert [(r["timestamp"], r["original"], r["status"]) for r in rows] == [
        ("20100428120000", "http://www.ice.gov/a.htm", "200"),
        ("20100601090000", "http://www.ice.gov/a.htm", "200"),
    ]


@pytest.mark.parametrize(
    "pattern, expected",
    [
        pytest.param("http://www.ice.gov/pi/nr/a.htm", ("http://www.ice.gov/pi/nr/a.htm", "exact"), id="exact"),
        pytest.param("www.ice.gov/pi/nr/*", ("www.ice.gov/pi/nr/", "prefix"), id="prefix"),
        pytest.param("www.ice.gov", ("www.ice.gov", "host"), id="host"),
        pytest.param("*.ice.gov", ("ice.gov", "domain"), id="domain"),
    ],
)  # fmt: skip
def test_match_types(pattern, expected):
    assert cdx.match_type(pattern) == expected


def test_query_urls_differ_per_backend():
    ia = cdx.resolve_endpoint("ia")
    url = cdx.query_url(ia, "www.ice.gov/pi/nr/*", start="2008", end="2013", resume_key="K")
    assert url.startswith("https://web.archive.org/cdx/search/cdx?")
    for part in ("matchType=prefix", "from=2008", "to=2013", "collapse=digest", "showResumeKey=true", "resumeKey=K"):
        assert part in url
    pywb = cdx.resolve_endpoint("http://127.0.0.1:8080/demo/cdx")
    assert pywb.kind == "pywb" and pywb.replay == "http://127.0.0.1:8080/demo/"
    url = cdx.query_url(pywb, "www.ice.gov/pi/nr/*", start="2008")
    assert "collapse" not in url and "from=2008" in url
    assert pywb.capture_url("20100428120000", "http://www.ice.gov/a.htm") == (
        "http://127.0.0.1:8080/demo/20100428120000id_/http://www.ice.gov/a.htm"
    )


def test_unknown_archive_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown archive"):
        cdx.resolve_endpoint("nowhere")


def _row(ts, status="200", mime="text/html", digest="D", original="http://www.ice.gov/a.htm"):
    return {"timestamp": ts, "original": original, "mime": mime, "status": status, "digest": digest, "length": ""}


@pytest.mark.parametrize(
    "row, pdf, keep",
    [
        pytest.param(_row("1"), False, True, id="html-200"),
        pytest.param(_row("1", mime="application/pdf"), False, False, id="pdf-not-asked"),
        pytest.param(_row("1", mime="application/pdf"), True, True, id="pdf-asked"),
        pytest.param(_row("1", status="301"), False, True, id="redirect-kept"),
        pytest.param(_row("1", status="404"), False, False, id="not-found"),
        pytest.param(_row("1", status="-", mime="warc/revisit"), False, False, id="revisit"),
        pytest.param(_row("1", mime="image/png"), True, False, id="image"),
    ],
)
def test_wanted(row, pdf, keep):
    assert cdx.wanted(row, pdf=pdf) is keep


def test_dedupe_keeps_earliest_capture_of_each_digest_per_url():
    rows = [
        _row("3", digest="A"),
        _row("1", digest="A"),
        _row("2", digest="B"),
        _row("1", digest="A", original="http://www.ice.gov:80/b.htm"),
    ]
    kept = cdx.dedupe(rows, set())
    assert [(r["original"], r["timestamp"]) for r in kept] == [
        ("http://www.ice.gov/a.htm", "1"),
        ("http://www.ice.gov/a.htm", "2"),
        ("http://www.ice.gov:80/b.htm", "1"),
    ]
    assert cdx.strip_port("http://www.ice.gov:80/b.htm") == "http://www.ice.gov/b.htm"
