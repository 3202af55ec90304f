"""Debian's WordPress read through its pages alone, in two of its own themes (French, Paris time):
every published post exported once, its fields as the model says, by the theme-free reader.

What each theme shows of a post: twentytwentythree (the block theme) its title, its date to the
second in ``<time datetime>`` after the text, "Posted … in" its categories and "Tags:" its tags as
``rel="tag"`` links, "by" its author as plain text; twentytwentyone the same in its article's
footer, with untranslated English labels ("Published", "By", "Categorized as", "Tagged") and
WordPress's ``rel="author"``, ``rel="category tag"`` and ``rel="tag"`` links.
"""

from __future__ import annotations

import json

import pytest

from .conftest import run_crawl
from .test_wordpress import published
from .test_wordpress_reader import curled, model_body, paris
from .wordpress import SAMPLE, WordPress


@pytest.fixture(scope="module")
def twentytwentyone(wordpress):
    """The sample in the classic theme too (after the session's WordPress: its prerequisites hold)."""
    model = json.loads(SAMPLE.read_text("utf-8"))
    model["site"]["theme"] = "twentytwentyone"
    with WordPress(model) as server:
        yield server


def expected_fields(model: dict) -> dict:
    return {
        "title": curled(model["title"]),
        "published_at": paris(model["date"]),
        "author": model.get("author", "admin"),
        "categories": sorted(model.get("categories", ["Non classé"])),
        "tags": sorted(model.get("tags", [])),
    }


def crawled(site, tmp_path) -> dict[str, dict]:
    crawl = run_crawl(site.url, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    urls = [item["url"] for item in crawl.items]
    assert len(urls) == len(set(urls))  # each post once
    return {url: item for url, item in ((item["url"], item) for item in crawl.items)}


def check(site, tmp_path) -> None:
    items = crawled(site, tmp_path)
    posts = published(site.model)
    # the published posts and nothing else: no draft, private post or page
    assert set(items) == {f"{site.url}/article/{slug}/" for slug in posts}
    for slug, model in posts.items():
        item = items[f"{site.url}/article/{slug}/"]
        got = {name: item[name] for name in ("title", "published_at", "author", "categories", "tags")}
        got["categories"], got["tags"] = sorted(got["categories"]), sorted(got["tags"])
        assert got == expected_fields(model), slug
        paragraphs = model_body(model["content"]).split("\n\n")
        assert all(paragraph in item["body"] for paragraph in paragraphs), slug


def test_the_block_theme_s_pages_give_every_post_and_its_fields(wordpress, tmp_path):
    check(wordpress, tmp_path)


def test_the_classic_theme_s_pages_give_every_post_and_its_fields(twentytwentyone, tmp_path):
    check(twentytwentyone, tmp_path)
