"""Cells of canned-query results: highlighted search snippets and links to release pages.

Query results have no foreign keys for Datasette to follow, so a `release_id` (and the `title`
beside it) becomes a link to the release page here. Scraped text is escaped first; only the
markers the search query puts around matches become markup.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

# What `snippet(releases_fts, -1, char(57344), char(57345), ...)` wraps matches in: private-use
# characters, which no scraped text is expected to hold and escaping leaves alone.
MARK_START, MARK_END = "\ue000", "\ue001"


def highlight(value: str) -> Markup:
    """Escape the snippet, then turn the match markers (and only them) into <mark>."""
    text = str(escape(value)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    # A marker cut off by the snippet's length would leave an open <mark>: close it.
    return Markup(text + "</mark>" * (text.count("<mark>") - text.count("</mark>")))


def _link(datasette, database: str, release_id: str, label: str) -> Markup:
    href = datasette.urls.row(database, "releases", tilde_encode(release_id))
    return Markup('<a href="{}">{}</a>').format(href, label)


# Views that list releases: Datasette links no keys in views, so they are linked here too.
RELEASE_VIEWS = {"release_catalog"}


def popup_text(value: str) -> str | None:
    """The map's marker popup (JSON for datasette-cluster-map), shown in the table as one line."""
    try:
        popup = json.loads(value)
    except ValueError:
        return None
    if not isinstance(popup, dict):
        return None
    return " — ".join(str(popup[k]) for k in ("title", "description") if popup.get(k))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if (table is not None and table not in RELEASE_VIEWS) or not isinstance(value, str):
        return None  # table pages link foreign keys themselves
    if column == "snippet" and MARK_START in value:
        return highlight(value)
    if column == "popup" and table is None:
        return popup_text(value)
    if column not in ("release_id", "title"):
        return None
    keys = row.keys()
    release_id = row["release_id"] if "release_id" in keys else None
    if not isinstance(release_id, str) or not release_id:
        return None

    async def link():
        # Only in archives: another database's `release_id` column means something else.
        if not await datasette.get_database(database).table_exists("releases"):
            return None
        return _link(datasette, database, release_id, value)

    return link
