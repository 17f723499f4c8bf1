"""Selector helpers fail loudly; text comes out without scripts; datelines as printed."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract import ExtractionError, required_text, split_dateline, text_of


@pytest.mark.parametrize(
    "body, dateline",
    [
        pytest.param("PALM BEACH, Fla. - U.S. Immigration and Customs", "PALM BEACH, Fla.", id="ap-state"),
        pytest.param("FAIRFAX, Va. - ICE today", "FAIRFAX, Va.", id="ap-va"),
        pytest.param("SAN ANTONIO, Texas \u2013 Six South Texas", "SAN ANTONIO, Texas", id="en-dash"),
        pytest.param("WASHINGTON \u2014 The agency", "WASHINGTON", id="city-only"),
        pytest.param("ST. LOUIS - The city", "ST. LOUIS", id="saint-abbrev"),
        pytest.param("March 12, 2019 (SAINT  PAUL) \u2014 Attorney", "March 12, 2019 (SAINT PAUL)", id="dated-parens"),
        pytest.param(
            "August 16, 2021 [SAINT PAUL] \u2013 Minnesota", "August 16, 2021 [SAINT PAUL]", id="dated-brackets"
        ),
        pytest.param("U.S. Immigration and Customs - a sentence", None, id="sentence-with-dash"),
        pytest.param("The county joined today.", None, id="no-dateline"),
    ],
)
def test_split_dateline(body, dateline):
    assert split_dateline(body) == dateline


def test_text_drops_scripts_and_keeps_paragraphs():
    sel = Selector(text="<div><p>One <script>alert(1)</script>two</p><p>Three<style>p{}</style></p></div>")
    assert text_of(sel.css("div")) == "One two\n\nThree"


def test_required_selector_names_selector_and_url():
    sel = Selector(text="<html><body><p>maintenance</p></body></html>")
    with pytest.raises(ExtractionError) as raised:
        required_text(sel, ["h1.nr-title", "#main h1"], "title", "http://example.gov/x")
    assert "h1.nr-title | #main h1" in str(raised.value) and "http://example.gov/x" in str(raised.value)
