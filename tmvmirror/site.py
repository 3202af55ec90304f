"""Build a synthetic tmv site: `build_site(n)` -> `Site` (pages by path, expected items, truth).

How a site is made:
1. the model's articles (articles.py, their content article_content.py); `modified=m` rewrites
   m of them;
2. `_take_away` applies `without`;
3. `assemble` renders every page: the articles (article_pages.py; with "amp", their aliases),
   the listings (listings.py: with "amp", the www category listings and pagers too), the
   sitemaps, feed and robots.txt (sitemaps.py); and computes the expected items and the truth
   from the model (truth.py).

Every random choice comes from a `random.Random` seeded with a string naming the
site seed, the article index and the purpose (`model.random_stream`), so article i does
not depend on the number of articles generated after it (`extra_articles`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from pathlib import Path
from urllib.parse import quote

from .api import NAMESPACES, Api, head_links
from .article_pages import Context
from .articles import generate_articles, modify_articles
from .chrome import WP_ADMIN, amp_sidebar, class_names, current_date, not_found_page, sidebar
from .listings import LISTING_STYLES, PER_PAGE, Www, listing_pages, tag_terms
from .model import AMP, CURRENT, LAYOUTS, LEGACY, ONLY_SITEMAP, PARIS, ROOT, Article, detail_path
from .page import Page, html_page, redirect_page
from .sitemaps import feed, robots, sitemap_pages
from .themes import THEMES, page as article_page
from .truth import expected_item, site_truth

__all__ = ["ROOT", "Page", "Site", "build_site", "assemble", "SITEMAP_STYLES", "WITHOUT"]
SITEMAP_STYLES = ("index", "robots", "unnamed", "none", "gzip")
FIELDS_TAKEN = frozenset({"tags", "categories", "author", "lead", "image"})  # a field of each article
WITHOUT = FIELDS_TAKEN | {"articles", "dates"}
MIN_ARTICLES = 3  # the seed and the two articles its related block links to


@dataclass
class Site:
    """A generated site.

    pages      URL path -> Page ('/', '/page/2/', '/article/<slug>/', '/robots.txt' …); the raw path as
               sent (percent escapes kept: '/detail-article/article%252F<slug>'), with the routed
               query for '/?p=N' and '/category/<slug>?page=N'; redirects are pages too (301, location)
    expected   the items a correct crawl exports, one per article, oldest first (no crawled_at)
    truth      articles, layouts, only_sitemap, only_archives, dead_links, flaky, disallowed,
               aliases (alias path -> canonical path), post_ids (slug -> id), sitemaps, without
    articles   the content model the pages and items were made from
    not_found  the page served for unknown paths
    api        the JSON APIs served under /wp-json/ (api.py), None for none
    """

    pages: dict[str, Page]
    expected: list[dict]
    truth: dict
    articles: list[Article] = field(default_factory=list, repr=False)
    not_found: Page | None = field(default=None, repr=False)
    api: Api | None = field(default=None, repr=False)

    @property
    def flaky_paths(self) -> frozenset[str]:
        return frozenset(self.truth.get("flaky", ()))

    def write(self, directory: str | Path) -> None:
        """Write files/…, manifest.json, expected.jsonl and truth.json like the reference mirror."""
        root = Path(directory)
        files = root / "files"
        files.mkdir(parents=True, exist_ok=True)
        manifest = {}
        for path, page in sorted(self.pages.items()):
            name = file_name(path, page.content_type)
            (files / name).write_bytes(page.body)
            manifest[path] = {"charset": page.charset, "file": name, "status": page.status, "type": page.content_type}
            if page.location:
                manifest[path]["location"] = page.location
            if page.gzipped:  # written as text, gzipped as it is served
                manifest[path]["gzipped"] = True
        (root / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
        lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in sorted(self.expected, key=lambda i: i["url"])]
        (root / "expected.jsonl").write_text("".join(lines), encoding="utf-8")
        (root / "truth.json").write_text(json.dumps(self.truth, indent=1, ensure_ascii=False), encoding="utf-8")
        if self.api is not None:
            (root / "api.json").write_text(json.dumps(self.api.to_json(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> Site:
        """The site a ``write()`` (or the reference mirror) left in *directory*."""
        root = Path(directory)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        pages = {
            path: Page(
                entry["status"],
                entry["type"],
                entry["charset"],
                (root / "files" / entry["file"]).read_bytes(),
                location=entry.get("location"),
                gzipped=entry.get("gzipped", False),
            )
            for path, entry in manifest.items()
        }
        expected_file, truth_file = root / "expected.jsonl", root / "truth.json"
        expected = (
            [json.loads(line) for line in expected_file.read_text(encoding="utf-8").splitlines()]
            if expected_file.exists()
            else []
        )
        truth = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file.exists() else {}
        api_file = root / "api.json"
        api = Api.from_json(json.loads(api_file.read_text(encoding="utf-8"))) if api_file.exists() else None
        return cls(pages, expected, truth, api=api)


def file_name(path: str, content_type: str) -> str:
    """'/' -> index.html, '/article/x/amp/' -> article__x__amp.html, '/robots.txt' -> robots.txt.txt;
    an HTML path without its final slash gets an '@' ('/article/x' -> article__x@.html), and
    '%', '?' are escaped ('/?p=7' -> %3Fp=7@.html)."""
    stem = quote(path.strip("/").replace("/", "__"), safe="_-.=@+~,") or "index"
    extension = {"text/html": ".html", "text/plain": ".txt"}.get(content_type, ".xml")
    if content_type == "text/html" and not path.endswith("/"):
        stem += "@"
    return stem + extension


def build_site(
    n_articles: int = 300,
    seed: int = 1,
    *,
    extra_articles: int = 0,
    modified: int = 0,
    layouts: tuple[str, ...] | list[str] = (LEGACY, CURRENT, AMP),
    sitemaps: str = "robots",
    without: frozenset[str] | set[str] | tuple[str, ...] = frozenset(),
    without_new: frozenset[str] | set[str] | tuple[str, ...] = frozenset(),
    api: tuple[str, ...] | list[str] = (),
    users_closed: bool = False,
    listings: str = "pages",
) -> Site:
    """A deterministic site of `n_articles` (+ `extra_articles` newer ones), `modified` of them edited.

    layouts   the article layouts drawn ("legacy", "current", "amp"); with "amp", the site also has
              the www front-end's URL shapes (aliases, /?p=N, /category/<slug>, other paginations)
    sitemaps  "index" (robots names /sitemap_index.xml), "robots" (robots names /sitemap.xml, an index
              with lastmods), "unnamed" (robots names none; /wp-sitemap.xml only), "none", "gzip" (as
              "robots", every sitemap gzipped: /sitemap.xml.gz -> /post-sitemapN.xml.gz)
    without   taken away from every article: "tags", "categories", "author", "lead", "image";
              "articles" (every article URL answers 404), "dates" (no date anywhere on article pages);
              with "articles" or "dates" nothing is an article: `expected` is empty
    without_new  fields ("tags", "categories", "author", "lead", "image") taken away from the
              `extra_articles` only: a day whose new pages lost them (the expected items too)
    api       the JSON APIs served under /wp-json/, some of "wp/v2", "ampize/v1" (api.py); () none:
              /wp-json/ is a 404 like any unknown path
    users_closed  wp/v2's users route is closed: an embedded author is its 401 error
    listings  "pages" (paginated), "loadmore" or "amp-list": past its first page, a listing's
              entries come from JSON a script would fetch (listings.LISTING_STYLES)"""
    if n_articles < MIN_ARTICLES:
        raise ValueError(f"n_articles must be at least {MIN_ARTICLES}")
    if extra_articles < 0 or modified < 0:
        raise ValueError("extra_articles and modified must not be negative")
    layouts = tuple(layouts)
    if not layouts or set(layouts) - set(LAYOUTS + THEMES):
        raise ValueError(f"layouts must be some of {', '.join(LAYOUTS + THEMES)}, got {layouts!r}")
    if sitemaps not in SITEMAP_STYLES:
        raise ValueError(f"sitemaps must be one of {', '.join(SITEMAP_STYLES)}, got {sitemaps!r}")
    without = frozenset(without)
    if without - WITHOUT:
        raise ValueError(
            f"without: unknown {', '.join(sorted(without - WITHOUT))} (known: {', '.join(sorted(WITHOUT))})"
        )
    without_new = frozenset(without_new)
    if without_new - FIELDS_TAKEN:
        raise ValueError(f"without_new: only some of {', '.join(sorted(FIELDS_TAKEN))}, got {sorted(without_new)}")
    if listings not in LISTING_STYLES:
        raise ValueError(f"listings must be one of {', '.join(LISTING_STYLES)}, got {listings!r}")
    api = tuple(api)
    if set(api) - set(NAMESPACES):
        raise ValueError(f"api must be some of {', '.join(NAMESPACES)}, got {api!r}")
    articles = generate_articles(n_articles, seed, extra_articles, layouts)
    modify_articles(articles[:n_articles], seed, modified)
    _after_the_site(articles[n_articles:], articles[:n_articles])
    _take_away(articles, without)
    _take_away(articles[n_articles:], without_new)
    return assemble(
        articles,
        seed=seed,
        www=AMP in layouts,
        sitemaps=sitemaps,
        without=without,
        api=api,
        users_closed=users_closed,
        listings=listings,
    )


def _after_the_site(extras: list[Article], site: list[Article]) -> None:
    """Articles added later come after every change of the site they join, an hour apart, as a
    CMS dates what is published now: an incremental crawl asks the API for what changed since
    the newest change it saw."""
    latest = max(a.last_change for a in site)
    for rank, article in enumerate(extras, 1):
        if article.published <= latest:
            shift = latest - article.published + timedelta(hours=rank)
            if (article.published + shift).astimezone(PARIS).fold:  # not the hour shown twice (the item contract)
                shift += timedelta(hours=1)
            article.published += shift
            article.modified = article.modified + shift if article.modified else None


def _take_away(articles: list[Article], without: frozenset[str]) -> None:
    for article in articles:
        if "tags" in without:
            article.tag_links = []
        if "categories" in without:
            article.categories = []
        if "author" in without:
            article.author = None
        if "lead" in without:
            article.lead = None
        if "image" in without:
            article.image = None


def _months(articles: list[Article]) -> list[tuple[int, int]]:
    """(year, month) of these articles, newest first."""
    return sorted({a.month for a in articles}, reverse=True)


def _aliases(pages: dict[str, Page], article: Article, page: Page, aliases: dict[str, str]) -> None:
    """The www spellings of an article: for amp, /article/<slug>/ (301), /detail-article/… (200, the
    page itself) and /?p=N (301 or 200); for the WordPress layouts /?p=N (301)."""
    canonical = article.path
    if article.layout == AMP:
        spellings = {
            f"/article/{article.slug}/": redirect_page(article.url),
            detail_path(article.slug, 2): page,
            detail_path(article.slug, 1): page,
            f"/?p={article.post_id}": redirect_page(article.url) if article.p_redirect else page,
        }
    else:
        spellings = {f"/?p={article.post_id}": redirect_page(article.url)}
    for path, alias_page in spellings.items():
        pages[path] = alias_page
        aliases[path] = canonical


def _card_byline(a: Article, dates: bool) -> str:
    """An article's byline as a related card shows it ("Publié le … Par …"), what the page allows."""
    parts = [f"Publié le {current_date(a.published)}"] if dates else []
    if a.author:
        parts.append(f"Par {escape(a.author.name)}")
    return " ".join(parts)


def assemble(
    articles: list[Article],
    *,
    seed: int = 1,
    www: bool = False,
    sitemaps: str = "index",
    without: frozenset[str] = frozenset(),
    api: tuple[str, ...] = (),
    users_closed: bool = False,
    listings: str = "pages",
) -> Site:
    """Render every page of a site made of these articles (oldest first); `www`: the www front-end's
    URL shapes and listings too (on when the site has the amp layout); `api`: the JSON APIs served
    (article pages then link the API's root in their head)."""
    listed = [a for a in reversed(articles) if a.visibility != ONLY_SITEMAP]
    aside = sidebar(listed[:5], tag_terms(articles), _months(listed))
    titles = {a.slug: a.title for a in articles}
    classes = class_names(seed) if www or any(a.layout == AMP for a in articles) else {}
    amp_aside = amp_sidebar(listed[:5], classes, _months(listed), "dates" not in without) if classes else ""
    context = Context(
        titles,
        aside,
        {a.slug: a.url for a in articles},
        classes,
        amp_aside,
        dates="dates" not in without,
        bylines={a.slug: _card_byline(a, "dates" not in without) for a in articles},
        latest=tuple((a.url, a.title) for a in listed[:5]),
    )
    not_found = html_page(not_found_page(aside), status=404)
    pages: dict[str, Page] = {}
    aliases: dict[str, str] = {}
    for article in articles:
        html = article_page(article, context)
        if api:
            html = head_links(html, article, api)
        page = html_page(html, article.charset, article.last_change)
        if "articles" in without:
            page = not_found
        pages[article.path] = page
        if article.layout == CURRENT:
            pages[article.path + "amp/"] = page
        if www:
            _aliases(pages, article, page, aliases)
    knobs = Www(seed, classes, amp_aside) if www else None
    listing_pages(pages, articles, aside, knobs, listings)
    sitemap_pages(pages, articles, sitemaps, knobs)
    pages["/feed/"] = Page(
        200,
        "application/rss+xml",
        "utf-8",
        feed(listed[:PER_PAGE]).encode(),
        max((a.published for a in listed), default=None),
    )
    pages["/robots.txt"] = Page(200, "text/plain", "utf-8", robots(sitemaps).encode())
    pages["/wp-admin/"] = html_page(WP_ADMIN)
    nothing = {"articles", "dates"} & without
    urls = {a.slug: a.url for a in articles}
    expected = [] if nothing else [expected_item(a, urls) for a in articles]
    return Site(
        pages=pages,
        expected=expected,
        truth=site_truth(articles, pages, aliases, sitemaps, without),
        articles=articles,
        not_found=not_found,
        api=Api.build(articles, api, users_closed) if api else None,
    )
