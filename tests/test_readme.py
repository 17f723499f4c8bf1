"""README stays true: its sources table is the one the spiders' metadata generates."""

from crawler.cli import sources_table
from tests.conftest import ROOT


def test_readme_sources_table_is_generated_from_spider_metadata():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- sources:start -->\n", 1)[1].split("\n<!-- sources:end -->", 1)[0]
    assert table == sources_table()


def test_readme_starts_with_what_then_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("make demo") < readme.index("make test") < readme.index("A sample row")
