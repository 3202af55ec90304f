"""One canonical spelling per URL, one identity per article, and what kind of page a URL is (urls.py)."""

import pytest

from tmvspider import urls

ROOT = "http://127.0.0.1:8000"
LIVE = "https://www.tmvtours.fr"
SLUG = "le-sanitas-se-met-au-vert"


@pytest.mark.parametrize(
    "href, url",
    [
        (f"{LIVE}/article/{SLUG}/amp/", f"{LIVE}/article/{SLUG}/"),
        (f"{LIVE}/article/{SLUG}/amp", f"{LIVE}/article/{SLUG}/"),
        (f"{LIVE}/article/{SLUG}?amp=1", f"{LIVE}/article/{SLUG}"),
        (f"{LIVE}/article/{SLUG}/?utm_source=sidebar&utm_medium=widget", f"{LIVE}/article/{SLUG}/"),
        (f"{LIVE}/article/{SLUG}/?replytocom=12#respond", f"{LIVE}/article/{SLUG}/"),
        (f"{LIVE}/article/{SLUG}/?relatedposts_hit=1&relatedposts_origin=3614", f"{LIVE}/article/{SLUG}/"),
        (f"HTTPS://TMV.tmvtours.fr/article/{SLUG}/#comments", f"https://tmv.tmvtours.fr/article/{SLUG}/"),
        (f"{LIVE}/?p=20417&fbclid=IwAR0", f"{LIVE}/?p=20417"),
    ],
)
def test_the_canonical_spelling_drops_fragments_tracking_and_amp_but_never_moves_a_host(href, url):
    """Only a page's own rel=canonical folds a host onto another, not a rule."""
    assert urls.canonical(href) == url


@pytest.mark.parametrize(
    "href",
    [
        f"{LIVE}/article/{SLUG}/",
        f"{LIVE}/article/{SLUG}",
        f"{LIVE}/article/{SLUG}/amp/",
        f"https://tmvtours.fr/article/{SLUG}",
        f"https://tmv.tmvtours.fr/article/{SLUG}/",
        f"{LIVE}/detail-article/article%252F{SLUG}",
        f"{LIVE}/detail-article/article%2F{SLUG}",
        f"{LIVE}/detail-article/article%2f{SLUG}/",
        f"{ROOT}/article/{SLUG}",
    ],
)
def test_every_spelling_and_host_of_an_article_is_one_identity(href):
    assert urls.identity(urls.canonical(href)) == f"article:{SLUG}"
    assert urls.kind(urls.canonical(href)) == "article"


def test_identities_of_other_pages():
    assert urls.identity(f"{LIVE}/?p=20417") == "post:20417"
    assert (
        urls.identity(f"{LIVE}/article/2015/03")
        == urls.identity("https://tmv.tmvtours.fr/article/2015/03/")
        == "page:/article/2015/03/"
    )
    assert urls.identity(f"{LIVE}/category/news") == urls.identity(f"{LIVE}/category/news/")
    assert urls.identity(f"{LIVE}/?page=2") != urls.identity(f"{LIVE}/")


def test_other_parameters_are_kept_and_a_broken_url_is_none():
    assert urls.canonical(f"{LIVE}/?s=tram&utm_source=x") == f"{LIVE}/?s=tram"
    assert urls.canonical("http://[oops/") is None
    assert urls.canonical("http://127.0.0.1:notaport/") is None


def test_the_site_s_hosts():
    assert urls.hosts_of(LIVE) == urls.hosts_of("https://tmv.tmvtours.fr") == urls.SITE_HOSTS
    assert urls.hosts_of(ROOT) == {"127.0.0.1:8000"}  # a mirror is a site of its own


@pytest.mark.parametrize(
    "path, kind",
    [
        (f"/article/{SLUG}/", "article"),
        (f"/article/{SLUG}", "article"),
        (f"/detail-article/article%252F{SLUG}", "article"),
        ("/?p=20417", "post"),
        ("/", "home"),
        ("/page/3/", "home"),
        ("/page/3", "home"),
        ("/?page=3", "home"),
        ("/article/2014/03/", "archive"),
        ("/article/2014/03", "archive"),
        ("/article/2014/03/page/2/", "archive"),
        ("/article/2014/03/page/2", "archive"),
        ("/article/2014/03/?page=2", "archive"),
        ("/article/tag/tram/", "tag"),
        ("/article/tag/tram", "tag"),
        ("/article/author/tmv", "author"),
        ("/category/news/", "category"),
        ("/category/news", "category"),
        ("/category/news?page=2", "category"),
        ("/feed/", "feed"),
        ("/recherche/?s=x", None),
        (f"/article/{SLUG}/?p=1", None),
        ("/?p=abc", None),
        ("/article/2014/", None),
        ("/article/tag/", None),
        ("/detail-article/autre%252Fchose", None),
        (f"/article/{SLUG}/feed/", None),
        ("/wp-admin/", None),
    ],
)
def test_kinds_of_page(path, kind):
    assert urls.kind(ROOT + path) == kind


def test_listing_series_and_page_numbers():
    assert urls.listing_series(f"{ROOT}/article/2014/03/page/2/") == "/article/2014/03/"
    assert urls.listing_series(f"{ROOT}/article/2014/03") == "/article/2014/03/"
    assert urls.listing_series(f"{ROOT}/page/7/") == urls.listing_series(f"{ROOT}/?page=7") == "/"
    assert [
        urls.page_number(f"{ROOT}{p}") for p in ("/", "/page/7/", "/page/7", "/?page=4", "/article/2014/03/page/12/")
    ] == [1, 7, 7, 4, 12]


@pytest.mark.parametrize("slug", ["le-camp", "stamp", "le-champ", "amp-et-vous"])
def test_a_slug_ending_in_amp_is_no_amp_copy(slug):
    for spelling in (f"{LIVE}/article/{slug}", f"{LIVE}/article/{slug}/"):
        assert urls.canonical(spelling) == spelling and urls.identity(spelling) == f"article:{slug}"
    assert urls.canonical(f"{LIVE}/article/{slug}/amp/") == f"{LIVE}/article/{slug}/"


@pytest.mark.parametrize(
    "href",
    [
        "/article/le-camp/",
        "le-camp/",
        "../2014/",
        "?page=2",
        "#respond",
        "//tmv.tmvtours.fr/article/x/",
        f"{LIVE}/article/x/?",
        f"{LIVE}/article/x/#comments",
        f"{LIVE}/article/./x/../y/",
        f"{LIVE}/a;b?c=d",
        f"{LIVE}/article/x/?utm_source=sidebar&page=2",
        "HTTPS://WWW.TMVTOURS.FR/article/x/",
        "https://[::1/",
        "mailto:tmv@example.org",
        "http://",
        "",
    ],
)
def test_resolve_is_canonical_of_urljoin_for_every_kind_of_href(href):
    """Absolute links skip urljoin (the fast path): the result is the same as with it."""
    from urllib.parse import urljoin

    base = f"{LIVE}/article/2014/03/page/2/"
    try:
        through_urljoin = urls.canonical(urljoin(base, href))
    except ValueError:
        through_urljoin = None
    assert urls.resolve(href, base) == through_urljoin
