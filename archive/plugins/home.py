"""The home page's start-here links: search, browse, timeline, map, chart, feed, for every
database that holds an archive (templates/index.html shows them)."""

from __future__ import annotations

from datasette import hookimpl

# (canned query, label, what it is), in the order a newcomer needs them.
QUERY_LINKS = (
    ("rollout_timeline", "Rollout timeline", "first announcement per county"),
    ("jurisdictions_map", "Map", "the places releases name"),
    ("releases_per_month", "Releases per month", "by source, as a chart"),
    ("coverage", "Coverage", "listed, captured, parsed, failed"),
    ("date_conflicts", "Dates to review", "conflicting or impossible dates"),
)


async def guides(datasette) -> list[dict]:
    """Start-here links for every database that holds an archive (shown on the home page)."""
    found = []
    for name, db in datasette.databases.items():
        if name.startswith("_") or not await db.table_exists("releases"):
            continue
        queries = datasette.metadata("queries", database=name, fallback=False) or {}
        views = set(await db.view_names())
        links = []
        if "search_releases" in queries:
            links.append(("Search releases", datasette.urls.query(name, "search_releases"), "ranked, with snippets"))
        browse = "release_catalog" if "release_catalog" in views else "releases"
        links.append(("Browse releases", datasette.urls.table(name, browse), "facets by source, place, month"))
        for query, label, note in QUERY_LINKS:
            if query in queries:
                links.append((label, datasette.urls.query(name, query), note))
        feed = datasette.urls.query(name, "latest_releases", format="atom") if "latest_releases" in queries else None
        if feed:
            links.append(("Atom feed", feed, "latest releases"))
        found.append({"database": name, "links": links, "feed": feed})
    return found


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return None

    async def index_vars():
        return {"pressarchive_guides": await guides(datasette)}

    return index_vars
