"""Show a datasette-vega chart by default on the canned queries configured for one.

datasette-vega reads its chart from the URL fragment (`#g.mark=bar&g.x_column=...`); when the
page has none, this sets the configured one before the chart code runs (body scripts run
before DOMContentLoaded). Config: `plugins: pressarchive: charts: {query_name: {mark: bar, ...}}`.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_decode

FIELDS = ("mark", "x_column", "x_type", "y_column", "y_type", "color_column", "size_column")


def fragment(chart: dict) -> str:
    return "&".join(f"g.{key}={quote(str(chart[key]), safe='')}" for key in FIELDS if chart.get(key))


@hookimpl
def extra_body_script(template, database, view_name, request, datasette):
    if template != "query.html" or request is None or not database:
        return None
    name = tilde_decode(request.url_vars.get("table") or "")
    charts = (datasette.plugin_config("pressarchive", database=database) or {}).get("charts") or {}
    chart = charts.get(name)
    if not isinstance(chart, dict):
        return None
    # json.dumps quotes the string for JS; "<" is escaped so it can never close the <script>.
    value = json.dumps("#" + fragment(chart)).replace("<", "\\u003c")
    return (
        "if (!window.location.hash) {"
        f" history.replaceState(null, '', window.location.pathname + window.location.search + {value});"
        " }"
    )
