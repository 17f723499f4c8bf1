"""The `pressarchive` command: demo, import-warc, crawl, serve, extract."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from archive import DEMO_WARC, METADATA, PLUGINS, STATIC, TEMPLATES
from archive.serving import datasette_settings


def _settings_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        name, value = pair.split("=", 1)
        result[name.strip()] = value
    return result


@click.group()
@click.version_option("0.1.0", prog_name="pressarchive")
def cli():
    """Archive government announcements: crawl, import WARC, search with Datasette."""


@cli.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db_path", default="archive.db", show_default=True, help="Archive database.")
@click.option(
    "--archive", "archive_name", default="warc", show_default=True, help="Name recorded as the capture's archive."
)
@click.option("-s", "settings", multiple=True, help="Scrapy setting NAME=VALUE (repeatable).")
def import_warc(files, db_path, archive_name, settings):
    """Ingest WARC/ARC files (gzip or not) through the source spiders into the archive."""
    report = _import(list(files), db_path, archive_name, _settings_pairs(settings))
    if report.failed:
        raise SystemExit(1)


def _import(files, db_path, archive_name, overrides):
    from crawler.importer import import_warcs

    report = import_warcs(files, db_path, archive_name, overrides)
    stored = {name: stats.get("archive/stored/PressRelease", 0) for name, stats in report.per_source.items()}
    click.echo(
        f"imported {report.captures} captures from {len(files)} file(s) into {db_path}: "
        f"releases per source {stored}; {report.file_errors} unreadable record(s)",
        err=True,
    )
    for reason in report.failed:
        click.echo(f"FAILED: {reason}", err=True)
    return report


@cli.command()
@click.option("--db", "db_path", default="archive.db", show_default=True)
@click.option("--serve/--no-serve", default=True, help="Serve the archive with Datasette afterwards.")
@click.option("--port", default=8001, show_default=True)
def demo(db_path, serve, port):
    """Build the archive from the bundled offline corpus, then serve it."""
    target = Path(db_path)
    # Build beside the target and move into place: a failed run never leaves half an archive.
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent.resolve())
    os.close(fd)
    os.unlink(tmp)
    try:
        report = _import([str(DEMO_WARC)], tmp, "pressarchive-demo", {})
        if report.failed:
            raise SystemExit(1)
        _checkpoint(tmp)
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    click.echo(f"demo archive written to {target}", err=True)
    if serve:
        _serve(str(target), port)


def _checkpoint(path: str) -> None:
    """Fold the WAL into the main file and leave rollback-journal mode, so the file can be
    moved, copied and served immutable on its own."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


@cli.command()
@click.argument("name", required=False)
@click.option("--db", "db_path", default="archive.db", show_default=True)
@click.option("--site", help="Ad-hoc: crawl a live newsroom from this list page URL.")
@click.option("--follow", help="With --site: regex of the links to follow from the list page.")
@click.option("--archive", "archive", help="Sweep a web archive: ia, eot, or a CDX URL (pywb).")
@click.option("--prefix", "prefixes", multiple=True, help="URL pattern to sweep (exact, prefix/*, host, *.domain).")
@click.option("--from", "date_from", help="Earliest capture (YYYY, YYYYMM, ...).")
@click.option("--to", "date_to", help="Latest capture (YYYY, YYYYMM, ...).")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also archive PDF captures.")
@click.option("--jobdir", help="Scrapy JOBDIR, to pause and resume (safe after a crash too).")
@click.option("-s", "settings", multiple=True, help="Scrapy setting NAME=VALUE (repeatable), as for scrapy crawl.")
def crawl(name, db_path, site, follow, archive, prefixes, date_from, date_to, pdf, jobdir, settings):
    """Crawl a source live, sweep a web archive, or crawl a site we have no source for."""
    from crawler.crawl import CrawlPlan, run_crawl
    from pipelines.offload import FAILED_STAT

    user_settings = _settings_pairs(settings)
    plan = CrawlPlan(
        name=name, site=site, follow=follow, archive=archive, prefixes=list(prefixes),
        date_from=date_from, date_to=date_to, pdf=pdf, user_settings=user_settings,
    )  # fmt: skip
    try:
        spidercls, kwargs, extra = plan.resolve()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    overrides = {"ARCHIVE_DB": db_path, **extra, **({"JOBDIR": jobdir} if jobdir else {}), **user_settings}
    stats = run_crawl(spidercls, kwargs, overrides)
    from crawler.progress import summary

    failed = stats.get(FAILED_STAT)
    click.echo(summary(spidercls.name, stats) + f"; {failed or stats.get('finish_reason')}", err=True)
    if stats.get("finish_reason") != "finished" or failed:
        raise SystemExit(1)


@cli.command()
@click.option("--db", "db_path", default="archive.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(db_path, port, host):
    """Serve an archive with Datasette, the project's metadata, templates and plugins."""
    _serve(db_path, port, host)


def metadata_for(db_path: str) -> dict:
    """The project's metadata, with its database section under this file's name (Datasette
    names a database after its file)."""
    import yaml

    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if "archive" in databases:
        databases[Path(db_path).stem] = databases.pop("archive")
    return metadata


def datasette_args(db_path: str, port: int, host: str, metadata_path: str) -> list[str]:
    args = [sys.executable, "-m", "datasette", "serve", "-i", db_path, "--host", host, "--port", str(port)]
    args += ["--metadata", metadata_path]
    for name, value in datasette_settings(db_path).items():
        args += ["--setting", name, value]
    for flag, folder in (("--template-dir", TEMPLATES), ("--plugins-dir", PLUGINS)):
        if folder.is_dir() and any(folder.iterdir()):
            args += [flag, str(folder)]
    if STATIC.is_dir():
        args += ["--static", f"static:{STATIC}"]
    return args


def _serve(db_path: str, port: int, host: str = "127.0.0.1") -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as metadata:
        json.dump(metadata_for(db_path), metadata)
        metadata.flush()
        click.echo(f"serving {db_path} at http://{host}:{port}/  (Ctrl-C to stop)", err=True)
        server = subprocess.Popen(datasette_args(db_path, port, host, metadata.name))
        # Stopping us stops Datasette too (a terminated parent must not leave a server behind).
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait()


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="The URL the page was captured at (decides the source and its selectors).")
@click.option("--manifest", type=click.File("r"), help="CSV with columns path,url: one JSON object per line.")
def extract(path, url, manifest):
    """Show how one page (or a manifest of pages) comes out: fields, dates, places."""
    from crawler.page import PageExtractor, page_json

    extractor = PageExtractor()
    if manifest is not None:
        base = Path(manifest.name).parent
        failures = 0
        for row in csv.DictReader(manifest):
            page = Path(row["path"]) if Path(row["path"]).is_absolute() else base / row["path"]
            result = page_json(row["url"], extractor.extract(page.read_bytes(), row["url"]))
            failures += "error" in result
            click.echo(json.dumps(result, ensure_ascii=False))
        click.echo(f"{failures} page(s) without a release", err=True)
        return
    if not path or not url:
        raise click.UsageError("give PATH and --url, or --manifest FILE")
    result = page_json(url, extractor.extract(Path(path).read_bytes(), url))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if "error" in result:
        raise SystemExit(1)


@cli.command()
@click.argument("text")
@click.option("--state", help="Context: the state (postal code) the text is about, e.g. its dateline's.")
def places(text, state):
    """Print the jurisdictions a text names, as JSON (name, kind, state, FIPS, role, span)."""
    from pipelines.places import find_places

    click.echo(json.dumps(find_places(text, state=state), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--markdown", is_flag=True, help="As the Markdown table the README carries.")
def sources(markdown):
    """List the registered sources and their metadata."""
    from crawler.registry import spider_classes

    click.echo(sources_table() if markdown else "\n".join(sorted(spider_classes())))


def sources_table() -> str:
    """The README's sources table, generated from the spiders' own metadata."""
    from crawler.registry import spider_classes

    lines = ["| source | agency | platform | issuer | domains |", "|---|---|---|---|---|"]
    for name, cls in sorted(spider_classes().items()):
        issuer = f"{cls.issuer_name} ({cls.issuer_fips})" if cls.issuer_fips else ""
        lines.append(
            f"| `{name}` | {cls.agency} | {cls.platform} | {issuer} | {', '.join(cls.allowed_domains) or 'any'} |"
        )
    return "\n".join(lines)


from crawler.publish import publish  # noqa: E402  (registered after the group exists)

cli.add_command(publish)


def main():
    cli(prog_name="pressarchive")


if __name__ == "__main__":
    main()
