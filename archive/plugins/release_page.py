"""The release page: what `templates/_release.html` shows on a row of `releases`.

Works for any database name (Datasette names a database after its file): the hook looks at the
view and the table, not at the database. Every value is handed to Jinja as plain data, and
Jinja escapes it; links are only made from http(s) URLs, so a scraped `javascript:` URL stays
text.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components


def _sibling(name: str):
    # Datasette loads plugin files by path, not as a package (also in `datasette package`
    # images), so a helper module beside this one is loaded the same way.
    spec = importlib.util.spec_from_file_location(f"pressarchive_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


citations = _sibling("citations")

ROLE_ORDER = {"issuer": 0, "dateline": 1, "subject": 2, "mentioned": 3}


def http_url(url: str | None) -> str | None:
    """The URL if it may become a link (http or https), else None."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def capture_links(capture: dict, config: dict) -> dict:
    """Replay and raw (id_) URLs for a capture in a known web archive; a lookup otherwise."""
    archives = config.get("archives") or {}
    original = http_url(capture.get("original_url"))
    spec = archives.get(capture.get("archive") or "")
    if isinstance(spec, str):
        spec = {"replay": spec}
    links = {"archive_name": (spec or {}).get("name") or capture.get("archive"), "replay": None, "raw": None}
    timestamp = capture.get("timestamp") or ""
    if spec and original and timestamp.isdigit():
        base = spec["replay"].rstrip("/") + "/"
        links["replay"] = http_url(f"{base}{timestamp}/{original}")
        links["raw"] = http_url(f"{base}{timestamp}id_/{original}")
    lookup = config.get("lookup")
    links["lookup"] = http_url(f"{lookup}{original}") if lookup and original else None
    return links


def when(timestamp: str | None) -> str:
    t = (timestamp or "").ljust(14, "0")
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]} {t[8:10]}:{t[10:12]}:{t[12:14]} UTC" if timestamp else ""


async def _rows(db, sql: str, params) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


class Links:
    """Row URLs in one database, for any database name."""

    def __init__(self, datasette, database: str):
        self.urls, self.database = datasette.urls, database

    def row(self, table: str, *pks) -> str:
        return self.urls.row(self.database, table, ",".join(tilde_encode(str(pk)) for pk in pks))


async def _captures(db, tables: set, release_id: str, config: dict, links: Links) -> list[dict]:
    """The release's captures, and the redirects captured at its URLs (site migrations)."""
    sql = "select * from captures where release_id = :id"
    if "release_urls" in tables:
        sql += " or (release_id is null and original_url in (select url from release_urls where release_id = :id))"
    captures = await _rows(db, sql + " order by timestamp", {"id": release_id})
    for capture in captures:
        capture.update(capture_links(capture, config), when=when(capture["timestamp"]))
        capture["url_link"] = http_url(capture.get("original_url"))
        capture["row_url"] = links.row("captures", capture["capture_id"])
    return captures


async def _versions(db, release_id: str, links: Links) -> list[dict]:
    versions = await _rows(
        db,
        "select version, first_seen, summary, capture_id, title, published from release_versions "
        "where release_id = ? order by version",
        [release_id],
    )
    for version in versions:
        version.update(
            when=when(version["first_seen"]), row_url=links.row("release_versions", release_id, version["version"])
        )
    return versions


async def _places(db, tables: set, release_id: str, links: Links) -> list[dict]:
    if "release_jurisdictions" not in tables:
        return []
    places = await _rows(db, "select * from release_jurisdictions where release_id = ? order by start", [release_id])
    places.sort(key=lambda p: ROLE_ORDER.get(p.get("role"), 9))
    for place in places:
        place["url"] = links.row("jurisdictions", place["jurisdiction"]) if place.get("jurisdiction") else None
    return places


async def release_context(datasette, database: str, release_id: str, request) -> dict | None:
    db = datasette.get_database(database)
    tables = set(await db.table_names())
    found = await _rows(db, "select * from releases where release_id = ?", [release_id])
    if not found:
        return None
    release = found[0]
    config = datasette.plugin_config("pressarchive", database=database) or {}
    links = Links(datasette, database)
    source = {}
    if "sources" in tables:
        source = (await _rows(db, "select * from sources where name = ?", [release["source"]]) or [{}])[0]
    evidence = []
    if "date_evidence" in tables:
        # select *: columns added later (note) show up, older archives still work
        sql = "select * from date_evidence where release_id = ? order by chosen desc, kind"
        evidence = await _rows(db, sql, [release_id])
    captures = await _captures(db, tables, release_id, config, links)
    agency = source.get("agency") or release["source"]
    return {
        "release": release,
        "agency": agency,
        "source_url": links.row("sources", release["source"]) if source else None,
        "original_url": http_url(release.get("url")),
        "published_human": citations.human_date(release.get("published")),
        "chosen_evidence": _chosen(evidence, release.get("date_source")),
        "evidence": evidence,
        "places": await _places(db, tables, release_id, links),
        "captures": captures,
        "versions": await _versions(db, release_id, links),
        "json_url": links.row("releases", release_id) + ".json",
        "cite": _citations(datasette, request, release, agency, captures, links),
    }


def _chosen(evidence: list[dict], date_source: str | None) -> dict | None:
    """The candidate the publication date was taken from (several may be marked chosen)."""
    chosen = [e for e in evidence if e["chosen"]]
    return next((e for e in chosen if e["kind"] == date_source), chosen[0] if chosen else None)


def _citations(datasette, request, release, agency, captures, links: Links) -> dict:
    """Cite the earliest capture in a public web archive; else the earliest capture we hold."""
    holding = [c for c in captures if c.get("release_id")]
    public = [c for c in holding if c.get("replay")]
    chosen = (public or holding or [None])[0]
    citation = citations.Citation(
        release_id=release["release_id"],
        title=release.get("title") or "",
        agency=agency,
        published=release.get("published"),
        original_url=http_url(release.get("url")),
    )
    if chosen:
        citation.captured = chosen.get("timestamp")
        citation.archive_name = chosen.get("archive_name")
        if chosen.get("replay"):
            citation.capture_url = chosen["replay"]
        else:
            # No public replay: cite this archive's record of the capture and its WARC record.
            path = links.row("captures", chosen["capture_id"])
            citation.capture_url = datasette.absolute_url(request, path) if request else path
            if chosen.get("warc_file"):
                citation.capture_note = f"{chosen['warc_file']}, {chosen.get('record_id') or ''}".strip(", ")
    return {
        "chicago": citations.chicago(citation),
        "bibtex": citations.bibtex(citation),
        "csl_json": citations.csl_json(citation),
        "capture": chosen,
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row" and table == "releases" and request is not None:

        async def release_vars():
            pks = urlsafe_components(request.url_vars["pks"])
            context = await release_context(datasette, database, pks[0], request) if len(pks) == 1 else None
            return {"pressarchive": context} if context else {}

        return release_vars
    return None
