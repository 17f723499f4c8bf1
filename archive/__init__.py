"""The SQLite archive and its Datasette publication."""

from pathlib import Path

ARCHIVE_DIR = Path(__file__).resolve().parent
METADATA = ARCHIVE_DIR / "metadata.yml"
TEMPLATES = ARCHIVE_DIR / "templates"
PLUGINS = ARCHIVE_DIR / "plugins"
STATIC = ARCHIVE_DIR / "static"
DEMO_WARC = ARCHIVE_DIR / "demo" / "demo.warc.gz"
