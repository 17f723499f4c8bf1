"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.spiders.base import ReleaseSpider, SourceMetadataError
from tests.conftest import DEMO_PAGES, ROOT, run_cli


def test_scrapy_list_names_the_sources():
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert {"us_ice", "us_nc_winston_salem", "us_mn_ag", "generic"} <= set(out.stdout.split())


def test_extract_prints_one_json_object_for_one_page():
    page = DEMO_PAGES / "www.ice.gov/pi/nr/1004/100426palmbeach.htm"
    out = run_cli("extract", str(page), "--url", "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm")
    data = json.loads(out.stdout)
    for key in (
        "url",
        "title",
        "subtitle",
        "published",
        "date_raw",
        "dateline",
        "jurisdictions",
        "body_text",
        "language",
    ):
        assert key in data
    assert data["published"] == "2010-04-26"
    assert data["dateline"].upper().startswith("PALM BEACH")
    assert "Palm Beach" in data["title"]


def test_extract_manifest_prints_one_line_per_page_in_order(tmp_path):
    manifest = tmp_path / "pages.csv"
    rows = [
        ("www.ice.gov/pi/nr/1004/100413fairfax.htm", "http://www.ice.gov/pi/nr/1004/100413fairfax.htm"),
        ("www.ice.gov/news/releases/1008/100810forsyth.htm", "http://www.ice.gov/news/releases/1008/100810forsyth.htm"),
    ]
    manifest.write_text("path,url\n" + "".join(f"{DEMO_PAGES / p},{u}\n" for p, u in rows), encoding="utf-8")
    out = run_cli("extract", "--manifest", str(manifest))
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["url"] for line in lines] == [u for _, u in rows]


def test_extract_of_a_malformed_page_fails_with_the_selector_named(tmp_path):
    page = tmp_path / "maintenance.htm"
    page.write_text("<html><body><p>Site maintenance</p></body></html>", encoding="utf-8")
    out = run_cli("extract", str(page), "--url", "http://www.ice.gov/pi/nr/1006/100601x.htm", check=False)
    assert out.returncode == 1
    assert "h1.nr-title" in out.stdout


def test_crawl_rejects_unknown_source_and_bad_settings():
    out = run_cli("crawl", "no_such_source", check=False)
    assert out.returncode != 0 and "no source named" in out.stderr
    out = run_cli("crawl", "us_ice", "-s", "NOEQUALS", check=False)
    assert out.returncode != 0 and "NAME=VALUE" in out.stderr


def test_source_without_metadata_fails_at_class_creation():
    with pytest.raises(SourceMetadataError, match="agency"):
        type(
            "UsXxSpider",
            (ReleaseSpider,),
            {"name": "us_xx", "timezone": "UTC", "start_urls": ["http://x"], "allowed_domains": ["x"]},
        )
    with pytest.raises(SourceMetadataError, match="not <country>"):
        type(
            "BadSpider",
            (ReleaseSpider,),
            {
                "name": "Bad-Name",
                "agency": "A",
                "timezone": "UTC",
                "start_urls": ["http://x"],
                "allowed_domains": ["x"],
            },
        )
