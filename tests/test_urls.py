"""One canonical spelling per URL, and what kind of page a URL is (urls.py)."""

import pytest

from tmvspider import urls

ROOT = "http://127.0.0.1:8000"
LIVE = "https://www.tmvtours.fr"


@pytest.mark.parametrize("href", [
    f"{LIVE}/article/le-sanitas-se-met-au-vert/",
    f"{LIVE}/article/le-sanitas-se-met-au-vert/amp/",
    f"{LIVE}/article/le-sanitas-se-met-au-vert/?utm_source=sidebar&utm_medium=widget",
    f"{LIVE}/article/le-sanitas-se-met-au-vert/?replytocom=12#respond",
    f"{LIVE}/article/le-sanitas-se-met-au-vert/?relatedposts_hit=1&relatedposts_origin=3614",
    "HTTPS://TMV.tmvtours.fr/article/le-sanitas-se-met-au-vert/#comments",
])
def test_every_spelling_of_an_article_is_one_url_under_the_crawl_root(href):
    assert urls.canonical(href, ROOT) == f"{ROOT}/article/le-sanitas-se-met-au-vert/"


def test_a_page_on_its_own_keeps_its_host():
    assert urls.canonical("https://tmv.tmvtours.fr/article/x/?utm_source=a#b") == "https://tmv.tmvtours.fr/article/x/"


def test_other_parameters_are_kept_and_a_broken_url_is_none():
    assert urls.canonical(f"{LIVE}/?s=tram&utm_source=x", ROOT) == f"{ROOT}/?s=tram"
    assert urls.canonical("http://[oops/", ROOT) is None


@pytest.mark.parametrize("url, kind", [
    (f"{ROOT}/article/le-sanitas-se-met-au-vert/", "article"),
    (f"{ROOT}/", "home"), (f"{ROOT}/page/3/", "home"),
    (f"{ROOT}/article/2014/03/", "archive"), (f"{ROOT}/article/2014/03/page/2/", "archive"),
    (f"{ROOT}/article/tag/tram/", None), (f"{ROOT}/article/author/tmv/", None), (f"{ROOT}/category/news/", None),
    (f"{ROOT}/feed/", None), (f"{ROOT}/recherche/?s=x", None), (f"{ROOT}/article/x/?p=1", None),
])
def test_kinds_of_page(url, kind):
    assert urls.kind(url) == kind


def test_listing_series():
    assert urls.listing_series(f"{ROOT}/article/2014/03/page/2/") == f"{ROOT}/article/2014/03/"
    assert urls.listing_series(f"{ROOT}/page/7/") == f"{ROOT}/"
    assert [urls.page_number(f"{ROOT}{p}") for p in ("/", "/page/7/", "/article/2014/03/page/12/")] == [1, 7, 12]
