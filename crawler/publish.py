"""`pressarchive publish`: the archive as a Docker image or on a hosting service, with the same
metadata, templates, plugins and settings as `pressarchive serve`.

It wraps `datasette package` (a Docker image, needs docker) and `datasette publish PROVIDER`
(cloudrun and heroku ship with Datasette; others come as plugins, e.g. datasette-publish-vercel).
The image installs the exact Datasette and plugin versions this environment runs, because the
1.0 alphas break the plugins.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click

from archive import PLUGINS, STATIC, TEMPLATES
from archive.serving import datasette_settings

# Installed into the image at the versions installed here.
PACKAGES = (
    "datasette",
    "datasette-search-all",
    "datasette-cluster-map",
    "datasette-vega",
    "datasette-atom",
    "datasette-pretty-json",
)


def pinned_packages() -> list[str]:
    pins = []
    for name in PACKAGES:
        try:
            pins.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            pins.append(name)
    return pins


def publish_args(target: str, db_path: str, metadata_path: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The `datasette package` / `datasette publish TARGET` command line."""
    command = ["package"] if target == "package" else ["publish", target]
    args = [sys.executable, "-m", "datasette", *command, db_path, "--metadata", metadata_path]
    for flag, folder in (("--template-dir", TEMPLATES), ("--plugins-dir", PLUGINS)):
        if folder.is_dir() and any(folder.iterdir()):
            args += [flag, str(folder)]
    if STATIC.is_dir():
        args += ["--static", f"static:{STATIC}"]
    for package in pinned_packages():
        args += ["--install", package]
    # The same settings as `pressarchive serve` (a time limit on every query, no facet suggestions
    # on a large archive); the image serves its files immutable (-i).
    args += [
        "--extra-options",
        " ".join(f"--setting {name} {value}" for name, value in datasette_settings(db_path).items()),
    ]
    return args + list(extra)


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--db", "db_path", default="archive.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the datasette command instead of running it.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[TARGET] [DATASETTE OPTIONS]...")
def publish(db_path, dry_run, args):
    """Publish an archive with Datasette. TARGET is `package` (a Docker image, the default) or a
    `datasette publish` provider (cloudrun, heroku, ...); other options, such as `--tag NAME` or
    `--service NAME`, go to datasette as they are.

    \b
    pressarchive publish --db archive.db --tag pressarchive       # docker image
    pressarchive publish cloudrun --db archive.db --service pressarchive
    """
    from crawler.cli import metadata_for  # late: cli.py imports this module

    target, extra = ("package", args) if not args or args[0].startswith("-") else (args[0], args[1:])

    with tempfile.TemporaryDirectory(prefix="pressarchive-publish-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(metadata_for(db_path), indent=2), encoding="utf-8")
        args = publish_args(target, db_path, str(metadata), extra)
        if dry_run:
            click.echo(shlex.join(args))
            return
        click.echo(f"running: {shlex.join(args[1:])}", err=True)
        result = subprocess.run(args, check=False)
    if result.returncode:
        raise SystemExit(result.returncode)
