"""Security headers on every response: a second line of defence behind escaping.

The Content-Security-Policy cannot forbid inline scripts (Datasette and its plugins use them),
but it stops what injected markup would reach for: plugins and frames, a changed <base>, forms
posting elsewhere, and fetch/XHR to other hosts (no exfiltration).
"""

from __future__ import annotations

from datasette import hookimpl

HEADERS = [
    (
        b"content-security-policy",
        b"object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'; "
        b"connect-src 'self'; frame-ancestors 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_headers(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_with_headers(event):
                if event["type"] == "http.response.start":
                    present = {name.lower() for name, _ in event.get("headers", [])}
                    extra = [(name, value) for name, value in HEADERS if name not in present]
                    event = {**event, "headers": [*event.get("headers", []), *extra]}
                await send(event)

            return await app(scope, receive, send_with_headers)

        return with_headers

    return wrap
