"""Wayback-compatible CDX APIs: one client, a small adapter per backend.

The Internet Archive answers `output=json` with one array whose first row is the header
(fields `original mimetype statuscode`), supports `collapse` and pages with `resumeKey`.
pywb answers one JSON object per line (fields `url mime status`), ignores `collapse`, and
filters differently — so filters and digest dedupe run here, client-side, for every backend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

# Named endpoints. `kind` picks the response adapter; `replay` + "{timestamp}id_/{url}" is a
# capture's original bytes. Override or extend with the ARCHIVE_ENDPOINTS setting.
ENDPOINTS: dict[str, dict[str, str]] = {
    "ia": {
        "kind": "ia",
        "cdx": "https://web.archive.org/cdx/search/cdx",
        "replay": "https://web.archive.org/web/",
    },
    # The End of Term archive's own Wayback (pywb style). Not verifiable from an offline
    # machine: override with ARCHIVE_ENDPOINTS or pass a CDX URL if it has moved.
    "eot": {
        "kind": "pywb",
        "cdx": "https://eotarchive.org/wayback/cdx",
        "replay": "https://eotarchive.org/wayback/",
    },
}

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "ia" | "pywb"
    cdx: str
    replay: str

    def capture_url(self, timestamp: str, original: str) -> str:
        """The raw capture: `id_` asks the archive for the original bytes, not a rewritten page."""
        return f"{self.replay}{timestamp}id_/{original}"

    def replay_url(self, timestamp: str, original: str) -> str:
        return f"{self.replay}{timestamp}/{original}"


def resolve_endpoint(name_or_url: str, configured: dict | None = None) -> Endpoint:
    """`ia`, `eot`, a configured name, or a CDX URL such as http://127.0.0.1:8080/demo/cdx."""
    known = {**ENDPOINTS, **(configured or {})}
    if name_or_url in known:
        spec = known[name_or_url]
        return Endpoint(name_or_url, spec["kind"], spec["cdx"], spec["replay"])
    if name_or_url.startswith(("http://", "https://")):
        cdx = name_or_url.rstrip("/")
        base = cdx[: -len("/cdx")] if cdx.endswith("/cdx") else cdx
        kind = "ia" if "/cdx/search" in cdx else "pywb"
        replay = base.split("/cdx/search")[0] + "/web/" if kind == "ia" else base + "/"
        host = cdx.split("://", 1)[1].split("/", 1)[0]
        return Endpoint(host, kind, cdx, replay)
    raise ValueError(f"unknown archive {name_or_url!r}: use {', '.join(known)} or a CDX URL")


def match_type(pattern: str) -> tuple[str, str]:
    """URL pattern forms: exact URL, prefix `…/*`, host `host`, domain `*.domain`."""
    if pattern.startswith("*."):
        return pattern[2:], "domain"
    if pattern.endswith("*"):
        return pattern[:-1], "prefix"
    if "/" not in pattern.split("://", 1)[-1]:
        return pattern, "host"
    return pattern, "exact"


def query_url(
    endpoint: Endpoint,
    pattern: str,
    *,
    start: str | None = None,
    end: str | None = None,
    resume_key: str | None = None,
    page_size: int = 5000,
) -> str:
    url, kind = match_type(pattern)
    params: list[tuple[str, str]] = [("url", url), ("matchType", kind), ("output", "json")]
    if start:
        params.append(("from", start))
    if end:
        params.append(("to", end))
    if endpoint.kind == "ia":
        # Server-side narrowing saves the archive work; everything is re-checked client-side.
        params += [("filter", "statuscode:[23].."), ("collapse", "digest"), ("showResumeKey", "true")]
        params.append(("limit", str(page_size)))
        if resume_key:
            params.append(("resumeKey", resume_key))
    return f"{endpoint.cdx}?{urlencode(params)}"


def parse(body: str, kind: str) -> tuple[list[dict[str, str]], str | None]:
    """Rows as {timestamp, original, mime, status, digest, length}, and the resume key."""
    return _parse_ia(body) if kind == "ia" else (_parse_pywb(body), None)


def _parse_ia(body: str) -> tuple[list[dict[str, str]], str | None]:
    text = body.strip()
    if not text:
        return [], None
    if not text.startswith("["):  # the plain-text default format: space-separated fields
        fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
        return [_row(dict(zip(fields, line.split(), strict=False))) for line in text.splitlines()], None
    table = json.loads(text)
    if not table:
        return [], None
    header, rows = table[0], table[1:]
    resume = None
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume, rows = rows[-1][0], rows[:-2]
    return [_row(dict(zip(header, row, strict=False))) for row in rows if row], resume


def _parse_pywb(body: str) -> list[dict[str, str]]:
    return [_row(json.loads(line)) for line in body.splitlines() if line.strip()]


def _row(raw: dict[str, str]) -> dict[str, str]:
    return {
        "timestamp": raw.get("timestamp", ""),
        "original": raw.get("original") or raw.get("url", ""),
        "mime": (raw.get("mimetype") or raw.get("mime") or "").lower(),
        "status": raw.get("statuscode") or raw.get("status") or "-",
        "digest": raw.get("digest", ""),
        "length": raw.get("length", ""),
    }


def wanted(row: dict[str, str], *, pdf: bool = False) -> bool:
    """Successful HTML (and PDF when asked) captures; redirects are kept as provenance."""
    if not row["status"].isdigit():
        return False  # revisit records carry "-": the digest they repeat is fetched once anyway
    status = int(row["status"])
    types = HTML_TYPES | (PDF_TYPES if pdf else set())
    return (200 <= status < 300 and row["mime"] in types) or 300 <= status < 400


def dedupe(rows: list[dict[str, str]], seen_digests: set[str]) -> list[dict[str, str]]:
    """One fetch per distinct content of a URL: the earliest capture of each digest."""
    kept = []
    for row in sorted(rows, key=lambda r: (r["original"], r["timestamp"])):
        key = (strip_port(row["original"]), row["digest"])
        if row["digest"] and key in seen_digests:
            continue
        seen_digests.add(key)
        kept.append(row)
    return kept


def strip_port(url: str) -> str:
    """IA's `original` may carry the default port (`http://www.ice.gov:80/…`)."""
    return url.replace(":80/", "/", 1) if url.startswith("http://") else url.replace(":443/", "/", 1)
