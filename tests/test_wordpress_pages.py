"""Debian's WordPress crawled as a user would (French, Paris time): through its REST API, alone
or with each post's page, and through its pages alone in two of its own themes: every published
post exported once, its fields as the model says.

What each theme shows of a post: twentytwentythree (the block theme) its featured image above
its title (no caption), its title, its date to the second in ``<time datetime>`` after the text,
"Posted … in" its categories and "Tags:" its tags as ``rel="tag"`` links, "by" its author as
plain text; twentytwentyone the same in its article's footer, its featured image and caption
after the title, with untranslated English labels ("Published", "By", "Categorized as",
"Tagged") and WordPress's ``rel="author"``, ``rel="category tag"`` and ``rel="tag"`` links.
Neither shows a modification date.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from .conftest import run_crawl
from .test_wordpress import published
from .test_wordpress_reader import curled, expected_record, model_body, paris
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


def crawled(site, tmp_path, *args: str) -> dict[str, dict]:
    crawl = run_crawl(site.url, tmp_path, *args)
    assert crawl.returncode == 0, crawl.log[-3000:]
    urls = [item["url"] for item in crawl.items]
    assert len(urls) == len(set(urls))  # each post once
    return {url: item for url, item in ((item["url"], item) for item in crawl.items)}


def check(site, tmp_path) -> None:
    items = crawled(site, tmp_path, "-s", "TMV_API=False")
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
        # the featured image, above the headline in the block theme, below it in the classic one
        if image := model.get("image"):
            assert item["image"]["url"].endswith("/" + image.get("file", f"{slug}.jpg")), slug


def test_the_block_theme_s_pages_give_every_post_and_its_fields(wordpress, tmp_path):
    check(wordpress, tmp_path)


def test_the_classic_theme_s_pages_give_every_post_and_its_fields(twentytwentyone, tmp_path):
    check(twentytwentyone, tmp_path)


def api_crawl(site, tmp_path, *args: str):
    crawl = run_crawl(site.url, tmp_path, *args)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/api/used"] == "wp/v2"
    urls = [item["url"] for item in crawl.items]
    assert len(urls) == len(set(urls))  # each post once
    return crawl, {item["url"]: item for item in crawl.items}


def exact(site, items: dict[str, dict]) -> None:
    """Every published post and nothing else, each field what the model says (the interview
    aside: test_wordpress_reader holds it)."""
    posts = published(site.model)
    assert set(items) == {f"{site.url}/article/{slug}/" for slug in posts}
    for slug, model in posts.items():
        item = dict(items[f"{site.url}/article/{slug}/"])
        assert item.pop("crawled_at")
        item.pop("interview")
        expected = expected_record(site, model)
        del expected["crawled_at"]
        item["categories"], item["tags"] = sorted(item["categories"]), sorted(item["tags"])
        assert item == expected, slug


def test_through_the_api_alone_every_post_is_exact_for_two_requests(wordpress, tmp_path):
    crawl, items = api_crawl(wordpress, tmp_path, "-s", "TMV_ARTICLE_PAGES=False")
    exact(wordpress, items)
    # robots.txt and one page of the listing (fewer than 100 posts): no article page
    assert crawl.stats["tmv/requests/api"] == 1 and "tmv/requests/article" not in crawl.stats
    assert crawl.stats["downloader/request_count"] == 2
    again = run_crawl(wordpress.url, tmp_path, "-s", "TMV_ARTICLE_PAGES=False")
    # nothing changed since: robots.txt and one page of the posts changed since, none new
    assert again.returncode == 0 and again.items == [] and again.stats["downloader/request_count"] == 2
    # the API listed only the posts changed within TMV_API_OVERLAP_HOURS (24) of the newest change
    changes = [datetime.fromisoformat(p.get("modified", p["date"])) for p in published(wordpress.model).values()]
    recent = [moment for moment in changes if moment > max(changes) - timedelta(hours=24)]
    assert again.stats["tmv/api/records"] == again.stats["tmv/skipped/known"] == len(recent) < len(items)


def test_through_the_api_and_each_page_the_sources_agree_and_the_run_is_exact(wordpress, tmp_path):
    crawl, items = api_crawl(wordpress, tmp_path)
    exact(wordpress, items)
    assert crawl.stats["tmv/requests/article"] == len(items)
    assert not [key for key in crawl.stats if key.startswith("tmv/disagree/")], crawl.log[-3000:]


def test_the_api_a_home_page_announces_is_asked_for_when_the_usual_root_does_not_answer(wordpress, tmp_path):
    crawl, items = api_crawl(wordpress, tmp_path, "-s", f"TMV_API_ROOT={wordpress.url}/no-api-here/")
    assert set(items) == {f"{wordpress.url}/article/{slug}/" for slug in published(wordpress.model)}
    assert "the home page announces the API at" in crawl.log
