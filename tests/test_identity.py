"""Identity across URLs: the same release at two URLs is one release; look-alikes are not.
A wrong merge is worse than a missed one, so both directions are tested."""

from __future__ import annotations

import sqlite_utils

from crawler.items import PressRelease
from pipelines.identity import IdentityPipeline, content_hash, same_release
from pipelines.store import ArchiveWriter, open_archive

BODY = (
    "PALM BEACH, Fla. - U.S. Immigration and Customs Enforcement (ICE) today began using a biometric "
    "information sharing capability in Palm Beach County that helps identify criminal aliens booked into "
    "the county jail. The capability is part of Secure Communities, which is now used in 120 jurisdictions."
)
OTHER_COUNTY = BODY.replace("PALM BEACH", "SARASOTA").replace("Palm Beach", "Sarasota").replace("120", "121")


def _release(
    url, body=BODY, title="Sheriff's Office joins Secure Communities", published="2010-04-26", ts="20100428120000"
):
    item = PressRelease(
        source="us_ice", url=url, title=title, body_text=body, published=published, published_precision="day",
        capture={"archive": "test", "timestamp": ts, "original_url": url, "digest": f"sha1:{ts}"},
    )  # fmt: skip
    return IdentityPipeline().process_item(item)


def _as_dict(item):
    return {"title": item.title, "published": item.published, "published_precision": "day", "body_text": item.body_text}


def test_migrated_release_is_the_same():
    old = _release("http://www.ice.gov/pi/nr/1004/100426palmbeach.htm")
    new = _release(
        "http://www.ice.gov/news/releases/1004/100426palmbeach.htm", body=BODY + " Contact: ICE Public Affairs."
    )
    assert same_release(_as_dict(old), _as_dict(new))


def test_same_title_and_date_but_another_county_is_not_merged():
    a = _release("http://www.ice.gov/pi/nr/1004/100426palmbeach.htm")
    b = _release("http://www.ice.gov/pi/nr/1004/100426sarasota.htm", body=OTHER_COUNTY)
    assert not same_release(_as_dict(a), _as_dict(b))


def test_same_text_on_another_day_is_not_merged():
    a = _release("http://www.ice.gov/a.htm")
    b = _release("http://www.ice.gov/b.htm", published="2010-04-27")
    assert not same_release(_as_dict(a), _as_dict(b))


def test_store_merges_migration_and_keeps_both_urls(tmp_path):
    writer = ArchiveWriter(open_archive(str(tmp_path / "a.db")))
    writer.write(_release("http://www.ice.gov/pi/nr/1004/100426palmbeach.htm", ts="20100428120000"))
    writer.write(_release("http://www.ice.gov/news/releases/1004/100426palmbeach.htm", ts="20100915140013"))
    writer.write(_release("http://www.ice.gov/pi/nr/1004/100426sarasota.htm", body=OTHER_COUNTY, ts="20100428120010"))
    db = sqlite_utils.Database(tmp_path / "a.db")
    assert db["releases"].count == 2
    palm = next(db.query("SELECT * FROM releases WHERE url LIKE '%palmbeach%'"))
    urls = {r["url"] for r in db["release_urls"].rows_where("release_id = ?", [palm["release_id"]])}
    assert urls == {
        "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm",
        "http://www.ice.gov/news/releases/1004/100426palmbeach.htm",
    }
    assert palm["capture_count"] == 2 and palm["first_captured"] == "20100428120000"


def test_changed_text_is_a_new_version_and_whitespace_is_not(tmp_path):
    writer = ArchiveWriter(open_archive(str(tmp_path / "v.db")))
    url = "http://www.ice.gov/pi/nr/1004/100422richmond.htm"
    writer.write(_release(url, ts="20100428120000"))
    writer.write(_release(url, body=BODY.replace(" ", "  ") + "\n", ts="20100501120000"))
    writer.write(_release(url, body=BODY.replace("120 jurisdictions", "168 jurisdictions"), ts="20100601120000"))
    db = sqlite_utils.Database(tmp_path / "v.db")
    versions = list(db["release_versions"].rows_where(order_by="version"))
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["summary"].startswith("+1 words, -1 words")
    release = next(db["releases"].rows)
    assert release["capture_count"] == 3 and release["version_count"] == 2
    assert content_hash("A  b", "2010", "x") == content_hash("a b", "2010", "x")
