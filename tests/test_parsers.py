"""Extraction as a pure function of a saved page: tests/fixtures/pages/NAME.html gives NAME.json.

The pages were saved from the project's mirror by tests/fixtures/make_fixtures.py,
one per variation of the site (layouts, encodings, date forms, interview styles …).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from tmvspider.mirror.site import ROOT, build_site
from tmvspider.parsers import parse_article, parser_for
from tmvspider.parsers.current import CurrentParser
from tmvspider.parsers.legacy import LegacyParser

from .test_mirror import SEED_ITEM

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.json"))


def saved(name: str):
    meta = json.loads((PAGES / f"{name}.json").read_text("utf-8"))
    response = HtmlResponse(meta["url"], body=(PAGES / f"{name}.html").read_bytes(),
                            headers={"Content-Type": meta["content_type"]})
    return response, meta["expected"]


def extracted(response, **kwargs):
    item = parse_article(response, **kwargs)
    if item is None:
        return None
    item = dict(item)
    assert item.pop("crawled_at").endswith("Z")
    return item


@pytest.mark.parametrize("name", NAMES)
def test_saved_page_gives_its_item(name):
    response, expected = saved(name)
    assert extracted(response, root=ROOT) == expected


def test_the_seed_article_is_exactly_the_reference_item():
    response, _ = saved("seed")
    assert extracted(response, root=ROOT) == SEED_ITEM


def test_each_layout_has_its_parser():
    assert parser_for(saved("seed")[0]) is CurrentParser
    assert parser_for(saved("legacy-windows-1252")[0]) is LegacyParser
    assert parser_for(saved("home-listing")[0]) is None


def test_windows_1252_page_has_no_mojibake():
    response, expected = saved("legacy-windows-1252")
    assert response.encoding == "cp1252"
    item = extracted(response, root=ROOT)
    assert "Ã" not in json.dumps(item, ensure_ascii=False)
    assert item == expected


def test_a_page_on_its_own_keeps_its_canonical_url():
    """-a url=file://… : the saved page names its live URL in rel=canonical."""
    response, expected = saved("seed")
    page = HtmlResponse("file:///tmp/seed.html", body=response.body, headers={"Content-Type": "text/html"})
    assert extracted(page)["url"] == expected["url"]


def test_amp_copy_and_tracking_links_resolve_to_the_canonical_url():
    response, expected = saved("seed")
    for url in (expected["url"] + "amp/", expected["url"] + "?utm_source=sidebar#respond"):
        assert extracted(response.replace(url=url), root=ROOT)["url"] == expected["url"]


def test_every_article_page_of_a_fresh_mirror():
    """Rules, not lookups: a mirror with another seed, every page, every field."""
    site = build_site(200, seed=4242)
    wrong = []
    for item in site.expected:
        page = site.pages[item["url"].removeprefix(ROOT)]
        response = HtmlResponse(item["url"], body=page.body,
                                headers={"Content-Type": f"{page.content_type}; charset={page.charset}"})
        got = extracted(response, root=ROOT)
        wrong += [(item["url"], k) for k in item if got[k] != item[k]]
    assert wrong == []


def test_unreadable_fields_are_null_not_a_crash():
    html = b"""<html><body class="page-article"><article><h1 class="article-title">Titre seul</h1>
        <p class="article-meta">Publi\xc3\xa9 le hier</p></article></body></html>"""
    item = extracted(HtmlResponse("https://www.tmvtours.fr/article/x/", body=html,
                                  headers={"Content-Type": "text/html; charset=utf-8"}), root=ROOT)
    assert item["title"] == "Titre seul"
    assert item["published_at"] is None and item["lead"] is None and item["image"] is None
    assert item["tags"] == [] and item["body"] == "" and item["interview"] is None
