"""The listing pages: home, monthly archives, tag, author and category pages and search, with
WordPress's pagination; with the www front-end (`Www`), its category listings (/category/<slug>,
?page=N) and other ways to the next page; and how listings link each article."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from .chrome import FOOTER, amp_footer, amp_head, head
from .content import CATEGORIES, MONTHS_FR, TAGS
from .model import AMP, ONLY_SITEMAP, ROOT, Article, Term, detail_path, random_stream, slugify
from .page import Page, html_page

PER_PAGE = 10  # listing pages
PAGER_STYLES = ("wp", "rel", "text", "arrow")
# how a listing shows its entries past the first page: "pages" (its own paginated pages), or fetched by a
# script from JSON, "loadmore" (a "Charger plus" button's data-url: the entries' HTML in JSON) or
# "amp-list" (an <amp-list src>: the entries as JSON items, the next ones at load-more-src)
LISTING_STYLES = ("pages", "loadmore", "amp-list")


# --- markup --------------------------------------------------------------------------------


def listing_entry(a: Article, href: str | None = None) -> str:
    href = href or a.url
    return (
        f'<article class="post-{a.post_id} post type-post"><h2 class="entry-title">'
        f'<a href="{href}" rel="bookmark">{escape(a.title)}</a></h2>'
        f'<div class="entry-summary"><p>{escape(a.summary())}</p></div>'
        f'<a class="more-link" href="{href}">Lire la suite</a></article>'
    )


def _page_numbers(current: int, last: int) -> list[int | None]:
    """1 … current-1 current current+1 … last (None is an ellipsis)."""
    shown = sorted({1, last, *range(max(1, current - 1), min(last, current + 1) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def pagination(base: str, current: int, last: int) -> str:
    """WordPress pagination: a.page-numbers, span.current, a.prev / a.next."""

    def url(n: int) -> str:
        return f"{ROOT}{base}" if n == 1 else f"{ROOT}{base}page/{n}/"

    items = []
    if current > 1:
        items.append(f'<a class="prev page-numbers" href="{url(current - 1)}">&laquo; Précédent</a>')
    for n in _page_numbers(current, last):
        if n is None:
            items.append('<span class="page-numbers dots">&hellip;</span>')
        elif n == current:
            items.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            items.append(f'<a class="page-numbers" href="{url(n)}">{n}</a>')
    if current < last:
        items.append(f'<a class="next page-numbers" href="{url(current + 1)}">Suivant &raquo;</a>')
    return f'<nav class="navigation pagination"><div class="nav-links">{"".join(items)}</div></nav>'


def listing_page(title: str, heading: str, entries: list[str], nav: str, aside: str, extra: str = "") -> str:
    """Home, archive, tag, author, category and search pages."""
    return (
        head(title, extra=extra)
        + f'<div id="content"><main id="main"><h1 class="page-title">{escape(heading)}</h1>\n'
        + "\n".join(entries)
        + f"\n{nav}\n</main>\n{aside}</div>\n{FOOTER}"
    )


def page_url(base: str, n: int, query: bool = False) -> str:
    """URL of page n of a listing: /page/N/ (WordPress) or ?page=N (the www categories)."""
    if n == 1:
        return f"{ROOT}{base}"
    return f"{ROOT}{base}?page={n}" if query else f"{ROOT}{base}page/{n}/"


def pager(style: str, base: str, current: int, last: int, c: dict[str, str], query: bool = False) -> tuple[str, str]:
    """(navigation HTML, head lines) of page `current` of `last`.
    wp: WordPress a.next.page-numbers "Suivant »"; rel: <link rel="next"> in the head and bare page
    numbers; text: "Page suivante" / "Page précédente" links; arrow: "›" / "‹" links (generated classes)."""
    if style == "wp" and not query:
        return pagination(base, current, last), ""
    url = lambda n: page_url(base, n, query)  # noqa: E731
    numbers = " ".join(
        f'<span class="{c["number"]}">{n}</span>'
        if n == current
        else f'<a class="{c["number"]}" href="{url(n)}">{n}</a>'
        if n
        else "&hellip;"
        for n in _page_numbers(current, last)
    )
    head_lines = ""
    if style in ("rel", "wp"):
        if current > 1:
            head_lines += f'<link rel="prev" href="{url(current - 1)}">\n'
        if current < last:
            head_lines += f'<link rel="next" href="{url(current + 1)}">\n'
        return f'<div class="{c["pager"]}">{numbers}</div>', head_lines
    before, after = ("Page précédente", "Page suivante") if style == "text" else ("&lsaquo;", "&rsaquo;")
    items = []
    if current > 1:
        items.append(f'<a class="{c["prev"]}" href="{url(current - 1)}">{before}</a>')
    items.append(numbers)
    if current < last:
        items.append(f'<a class="{c["next"]}" href="{url(current + 1)}">{after}</a>')
    return f'<div class="{c["pager"]}">{" ".join(items)}</div>', head_lines


def amp_listing_entry(a: Article, href: str, c: dict[str, str]) -> str:
    return (
        f'<div class="{c["entry"]}"><h3 class="{c["entry_title"]}"><a href="{href}">{escape(a.title)}</a></h3>'
        f'<p>{escape(a.summary())}</p><a class="{c["more"]}" href="{href}">Lire la suite</a></div>'
    )


def amp_listing_page(
    title: str, heading: str, entries: list[str], nav: str, c: dict[str, str], aside: str, extra: str = ""
) -> str:
    """A www category listing (/category/<slug>, ?page=N)."""
    return (
        amp_head(title, c, extra=extra) + f'<main class="{c["main"]}"><h1 class="{c["headline"]}">'
        f"{escape(heading)}</h1>\n" + "\n".join(entries) + f"\n{nav}\n</main>\n{aside}{amp_footer(c)}"
    )


# --- the pages of a site ------------------------------------------------------------------


@dataclass
class Www:
    """The www front-end's knobs, on when the site has the amp layout."""

    seed: int
    classes: dict[str, str]
    amp_aside: str

    def pager_style(self, base: str, choices: tuple[str, ...] = PAGER_STYLES) -> str:
        return random_stream(self.seed, "pager", base).choice(choices)


def _link_href(a: Article, www: Www | None) -> str:
    """How listings link an article: its canonical URL, or (amp, www) the spelling it was given."""
    if www is None or a.layout != AMP or a.link_spelling == "canonical":
        return a.url
    return ROOT + (detail_path(a.slug) if a.link_spelling == "detail" else f"/?p={a.post_id}")


class _Listings:
    """Adds the paginated listing pages (home, archives, tags, authors, categories)."""

    def __init__(
        self, pages: dict[str, Page], aside: str, entries: dict[str, str], www: Www | None = None, style: str = "pages"
    ):
        self.pages, self.aside, self.entries, self.www, self.style = pages, aside, entries, www, style

    def add_loaded(self, base: str, title: str, chunks: list[list[Article]]) -> None:
        """A listing whose first page's script loads the rest from JSON at /charger-plus<base>N.json."""
        url = lambda n: f"{ROOT}/charger-plus{base}{n}.json" if n <= len(chunks) else None  # noqa: E731
        more = (
            f'<button class="bouton-plus" data-url="{url(2)}">Charger plus</button>'
            if self.style == "loadmore"
            else f'<amp-list src="{url(2)}" load-more="auto" layout="fixed-height" height="800">'
            '<template type="amp-mustache"><a href="{{url}}">{{title}}</a></template></amp-list>'
        )
        nav = more if len(chunks) > 1 else ""
        entries = [self.entries[a.slug] for a in chunks[0]]
        self.pages[base] = html_page(listing_page(title, title, entries, nav, self.aside))
        for number, chunk in enumerate(chunks[1:], 2):
            if self.style == "loadmore":
                data = {"success": True, "data": {"html": "\n".join(self.entries[a.slug] for a in chunk)}}
                data["data"]["next"] = url(number + 1)
            else:
                data = {"items": [{"url": a.url, "title": a.title} for a in chunk]}
                if url(number + 1):
                    data["load-more-src"] = url(number + 1)
            body = json.dumps(data, ensure_ascii=False).encode()
            self.pages[f"/charger-plus{base}{number}.json"] = Page(200, "application/json", "utf-8", body)

    def add(self, base: str, title: str, articles: list[Article]) -> None:
        chunks = [articles[i : i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
        if self.style != "pages":
            self.add_loaded(base, title, chunks)
            return
        style = self.www.pager_style(base) if self.www else "wp"
        for number, chunk in enumerate(chunks, 1):
            path = base if number == 1 else f"{base}page/{number}/"
            page_title = title if number == 1 else f"{title} – Page {number}"
            if self.www:
                nav, extra = pager(style, base, number, len(chunks), self.www.classes)
            else:
                nav, extra = pagination(base, number, len(chunks)), ""
            html = listing_page(page_title, title, [self.entries[a.slug] for a in chunk], nav, self.aside, extra)
            self.pages[path] = html_page(html)

    def add_www(self, base: str, title: str, articles: list[Article]) -> None:
        """A www category listing: /category/<slug>, then ?page=N; amp markup, no WordPress classes."""
        www = self.www
        chunks = [articles[i : i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
        style = www.pager_style(base + "?", ("rel", "text", "arrow"))
        for number, chunk in enumerate(chunks, 1):
            path = base if number == 1 else f"{base}?page={number}"
            page_title = title if number == 1 else f"{title} – Page {number}"
            nav, extra = pager(style, base, number, len(chunks), www.classes, query=True)
            entries = [amp_listing_entry(a, _link_href(a, www), www.classes) for a in chunk]
            self.pages[path] = html_page(
                amp_listing_page(page_title, title, entries, nav, www.classes, www.amp_aside, extra)
            )


def listing_pages(
    pages: dict[str, Page], articles: list[Article], aside: str, www: Www | None = None, style: str = "pages"
) -> None:
    listed = [a for a in reversed(articles) if a.visibility != ONLY_SITEMAP]  # newest first
    by_month, by_tag, by_author, by_category = (defaultdict(list) for _ in range(4))
    for a in listed:
        by_month[a.month].append(a)
        for slug in dict.fromkeys(t.slug for t in a.tag_links):
            by_tag[slug].append(a)
        if a.author:
            by_author[a.author.slug].append(a)
        for category in a.categories:
            by_category[category.slug].append(a)
    entries = {a.slug: listing_entry(a, _link_href(a, www)) for a in listed}
    listings = _Listings(pages, aside, entries, www, style)
    listings.add("/", "tmv Tours", listed)
    for (year, month), in_month in by_month.items():
        listings.add(f"/article/{year}/{month:02d}/", f"Archives : {MONTHS_FR[month - 1]} {year}", in_month)
    for tag in tag_terms(articles):
        listings.add(f"/article/tag/{tag.slug}/", f"Tag : {tag.name}", by_tag[tag.slug])
    for author in sorted({a.author for a in articles if a.author}, key=lambda term: term.slug):
        listings.add(f"/article/author/{author.slug}/", f"Auteur : {author.name}", by_author[author.slug])
    for name, slug in CATEGORIES:
        listings.add(f"/category/{slug}/", name, by_category[slug])
        if www:
            listings.add_www(f"/category/{slug}", name, by_category[slug])
    search = listing_page(
        "Recherche", "Recherche", [listings.entries[a.slug] for a in listed[:3]], pagination("/recherche/", 1, 1), aside
    )
    pages["/recherche/"] = html_page(search)


def tag_terms(articles: list[Article]) -> list[Term]:
    """Every tag used, under its canonical spelling, in the order of the tag cloud."""
    canonical = {slugify(name): name for name in TAGS}
    used = {}
    for article in articles:
        for link in article.tag_links:
            used.setdefault(link.slug, canonical.get(link.slug) or link.text.strip())
    return sorted((Term(name, slug) for slug, name in used.items()), key=lambda t: t.name)
