"""HTML/XML templates of the mirror, with the structure of the reference pages (legacy,
current) and of the www front-end (amp: AMP markup, class names from `Context.classes`).

Every function returns text (str) naming the live root `ROOT`; `site.py` encodes
it (utf-8 or windows-1252) and the server swaps the root for its own.
Nothing here draws random numbers: every choice is in the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape

from .content import CATEGORIES, MONTHS_FR
from .model import AMP, CURRENT, PARIS, ROOT, Article, Block, Deco, Term, article_url, iso

# --- page chrome ------------------------------------------------------------------------

SEARCH_PATH = "/recherche/?q=tours"   # linked from every page, disallowed by robots.txt

_NAV = "".join(f'<li><a href="{ROOT}/category/{slug}/">{escape(name)}</a></li>' for name, slug in CATEGORIES)

HEADER = f"""<header id="masthead" class="site-header">
 <a class="site-logo" href="{ROOT}/">tmv Tours &mdash; 100 % urbain</a>
 <nav class="main-navigation"><ul>{_NAV}<li><a href="{ROOT}{SEARCH_PATH}">Recherche</a></li></ul></nav>
</header>
"""

FOOTER = """<footer id="colophon" class="site-footer"><p>&copy; tmv Tours &mdash; hebdo gratuit d&#39;information locale. <a href="https://www.nrco.fr/">NR Communication</a></p>
<script>var tmv_ads = {"slots": 3};</script>
</footer>
</body>
</html>
"""

SHARE_LINKS = ('<div class="share-links">Restez avec nous : '
               '<a href="https://www.facebook.com/tmvtours">Facebook</a> '
               '<a href="https://twitter.com/tmvtours">Twitter</a> '
               '<a href="https://www.instagram.com/tmvtours/">Instagram</a></div>\n')

AD_SLOT = ('<div class="pub" data-slot="inread"><span class="pub-label">Publicité</span>'
           '<script>window.tmvAds && tmvAds.push("inread");</script></div>')

def head(title: str, *, charset: str = "UTF-8", extra: str = "", body_class: str = "archive",
         body_attrs: str = "") -> str:
    """Everything from the doctype to the site header; `extra` holds head lines (each ending "\\n")."""
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | tmv Tours</title>
<link rel="alternate" type="application/rss+xml" title="tmv Tours &raquo; Flux" href="{ROOT}/feed/">
{extra}<link rel="stylesheet" href="{ROOT}/wp-content/themes/tmv/style.css">
</head>
<body class="{body_class}"{body_attrs}>
{HEADER}"""


def sidebar(latest: list[Article], tags: list[Term], months: list[tuple[int, int]]) -> str:
    """The widget area of every page: latest articles, tag cloud, monthly archives."""
    latest_html = "".join(f'<li><a href="{a.url}?utm_source=sidebar">{escape(a.title)}</a></li>' for a in latest)
    cloud = " ".join(f'<a href="{ROOT}/article/tag/{t.slug}/" class="tag-cloud-link">{escape(t.name)}</a>'
                     for t in tags)
    archive = "".join(f'<li><a href="{ROOT}/article/{y}/{m:02d}/">{MONTHS_FR[m - 1]} {y}</a></li>'
                      for y, m in months)
    return f"""<aside id="secondary" class="widget-area">
 <section class="widget widget_recent_entries"><h2 class="widget-title">Derniers articles</h2><ul>{latest_html}</ul></section>
 <section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>
 <section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archive}</ul></section>
</aside>
"""


# --- inline text -------------------------------------------------------------------------

_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)")  # the space in "8 000"


def _dress_words(html: str, deco: Deco) -> str:
    """Wrap the word `deco.em_word` in <em> and the word `deco.link[0]` in a link."""
    words = html.split(" ")
    if deco.em_word is not None:
        words[deco.em_word] = f"<em>{words[deco.em_word]}</em>"
    if deco.link:
        index, href = deco.link
        words[index] = f'<a href="{escape(href)}">{words[index]}</a>'
    return " ".join(words)


def inline(text: str, deco: Deco) -> str:
    """Text as HTML, dressed as `deco` says; the folded text stays the same."""
    html = escape(text, quote=False)
    if deco.entities:
        html = html.replace("'", "&#39;" if len(text) % 2 else "&#x27;").replace("é", "&eacute;")
    if deco.em_word is not None or deco.link:
        html = _dress_words(html, deco)
    if deco.narrow_nbsp:
        html = _NUMBER_SPACE.sub("&#8239;", html).replace(" !", "&#8239;!").replace(" ;", "&#8239;;")
    if deco.nbsp:
        for before, after in ((" ?", "&nbsp;?"), (" :", "&nbsp;:"), (" !", "&nbsp;!"), (" ;", "&nbsp;;"),
                              ("« ", "«&nbsp;"), (" »", "&nbsp;»")):
            html = html.replace(before, after)
    if deco.linebreak:
        html = html.replace(". ", ".\n      ", 1)
    return html


def block_html(block: Block) -> str:
    text = inline(block.text, block.deco)
    if block.kind == "p":
        return f"<p>{text}</p>"
    if block.kind == "h2":
        return f"<h2>{text}</h2>"
    if block.kind == "question":
        if block.style == "h3":
            return f"<h3>{text}</h3>"
        return f"<p><{block.style}>{text}</{block.style}></p>"
    if block.kind == "qa_br":
        return f"<p><{block.style}>{text}</{block.style}><br>\n{inline(block.answer, block.answer_deco)}</p>"
    if block.kind == "closing":
        return f'<p style="text-align: right;"><em>Propos recueillis par {text}</em></p>'
    if block.kind == "spacer":
        return "<p>&nbsp;</p>"
    if block.kind == "ad":
        return AD_SLOT
    raise ValueError(f"unknown block kind {block.kind!r}")


# --- dates ---------------------------------------------------------------------------------

def legacy_date(moment: datetime) -> str:
    """'8 avril 2014 à 20h12', '1er février 2016 à 7h05' (no seconds)."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {MONTHS_FR[local.month - 1]} {local.year} à {local.hour}h{local.minute:02d}"


def current_date(moment: datetime) -> str:
    """'29-01-2015 10:50:11' (Paris local time, no offset)."""
    return moment.astimezone(PARIS).strftime("%d-%m-%Y %H:%M:%S")


def utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(PARIS))


# --- article pages -------------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """What an article page needs besides its article: the titles and canonical URLs of the
    others (by slug), the sidebars, the amp layout's class names, and whether dates are shown."""
    titles: dict[str, str]
    aside: str
    urls: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    amp_aside: str = ""
    dates: bool = True
    bylines: dict = field(default_factory=dict)  # slug -> its byline as a related card shows it


def article_page(article: Article, titles: dict[str, str] | Context, aside: str = "") -> str:
    ctx = titles if isinstance(titles, Context) else Context(titles, aside)
    if article.layout == AMP:
        return amp_article(article, ctx)
    if article.layout == CURRENT:
        return current_article(article, ctx)
    return legacy_article(article, ctx)


def _url(ctx: Context, slug: str) -> str:
    return ctx.urls.get(slug) or article_url(slug)


def _related_list(article: Article, ctx: Context) -> str:
    return "".join(f'<li><a href="{_url(ctx, slug)}">{escape(ctx.titles[slug])}</a></li>'
                   for slug in article.related)


def _legacy_head_extra(a: Article, dates: bool = True) -> str:
    lines = [f'<link rel="canonical" href="{a.url}">',
             f'<link rel="shortlink" href="{ROOT}/?p={a.post_id}">',
             '<meta property="og:type" content="article">',
             f'<meta property="og:title" content="{escape(a.title)}">']
    if a.og_times and dates:
        lines.append(f'<meta property="article:published_time" content="{utc(a.published)}">')
        if a.modified:
            lines.append(f'<meta property="article:modified_time" content="{utc(a.modified)}">')
    return "".join(line + "\n" for line in lines)


def _legacy_meta(a: Article, dates: bool = True) -> str:
    parts = []
    if dates:
        parts.append(f'<span class="posted-on">Publié le <time class="entry-date published" '
                     f'datetime="{iso(a.published)}">{legacy_date(a.published)}</time></span>')
    if a.modified and dates:
        parts.append(f'<span class="updated-on">Mis à jour le <time class="updated" datetime="{iso(a.modified)}">'
                     f'{legacy_date(a.modified)}</time></span>')
    if a.author:
        parts.append(f'<span class="byline">Par <span class="author vcard"><a class="url fn n" '
                     f'href="{ROOT}/article/author/{a.author.slug}/" rel="author">{escape(a.author.name)}</a></span></span>')
    return " ".join(parts)


def _legacy_content(a: Article) -> str:
    lines = []
    if a.lead:
        lines.append(f'<p class="chapo"><strong>{escape(a.lead)}</strong></p>')
    if a.image:
        attachment = a.post_id + 1
        caption = a.image.printed_caption()
        lines.append(f'<div id="attachment_{attachment}" class="wp-caption aligncenter" style="width: 650px">'
                     f'<img class="size-large wp-image-{attachment}" src="{a.image.url}" alt="" width="640" height="427">'
                     f'<p class="wp-caption-text">{escape(caption)}</p></div>')
    lines.extend(block_html(b) for b in a.blocks)
    return "\n".join(lines)


def _legacy_footer(a: Article) -> str:
    lines = []
    if a.tag_links:
        tags = " ".join(f'<a href="{ROOT}/article/tag/{t.slug}/" rel="tag">{escape(t.text)}</a>' for t in a.tag_links)
        lines.append(f'<div class="tags-links">Tags : {tags}</div>')
    cats = ", ".join(f'<a href="{ROOT}/category/{c.slug}/" rel="category tag">{escape(c.name)}</a>'
                     for c in a.categories)
    if cats:
        lines.append(f'<div class="cat-links">Catégories : {cats}</div>')
    return "\n".join(lines)


def legacy_article(a: Article, ctx: Context) -> str:
    """The WordPress theme of the older articles (reference: le-label-french-tech-fait-des-emules)."""
    category_classes = " ".join(f"category-{c.slug}" for c in a.categories)
    related = ""
    if a.related:
        related = (f'<section class="related-posts"><h3>Vous aimerez aussi</h3><ul>{_related_list(a, ctx)}'
                   f'</ul></section>\n')
    return (head(a.title, charset="windows-1252" if a.charset == "windows-1252" else "UTF-8",
                 extra=_legacy_head_extra(a, ctx.dates),
                 body_class=f"post-template-default single single-post postid-{a.post_id} single-format-standard")
            + f"""<div id="content" class="site-content"><main id="main">
<article id="post-{a.post_id}" class="post-{a.post_id} post type-post status-publish format-standard {category_classes}">
<header class="entry-header">
<h1 class="entry-title">{escape(a.title)}</h1>
<div class="entry-meta">{_legacy_meta(a, ctx.dates)}</div>
</header>
<div class="entry-content">
{_legacy_content(a)}
</div>
<footer class="entry-footer">
{_legacy_footer(a)}
</footer>
</article>
{SHARE_LINKS}{related}<div id="comments"><a href="{a.url}#respond">Laisser un commentaire</a> <a href="{a.url}?replytocom=1">Répondre</a></div>
</main>
{ctx.aside}</div>
{FOOTER}""")


def json_ld(a: Article) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
            "datePublished": iso(a.published), "mainEntityOfPage": a.url,
            "publisher": {"@type": "Organization", "name": "tmv Tours"}}
    if a.modified:
        data["dateModified"] = iso(a.modified)
    if a.author:
        data["author"] = {"@type": "Person", "name": a.author.name}
    if a.tags():
        data["keywords"] = ", ".join(a.tags())
    sections = [c.name for c in a.categories]
    if sections:
        data["articleSection"] = sections[0] if len(sections) == 1 else sections
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'


def _current_meta(a: Article, dates: bool = True) -> str:
    parts = [f'<span class="date-published">Publié le {current_date(a.published)}</span>'] if dates else []
    if a.modified and dates:
        parts.append(f'<span class="date-modified">Modifié le {current_date(a.modified)}</span>')
    if a.author:
        parts.append(f'<span class="author">Par {escape(a.author.name)}</span>')
    return " ".join(parts)


def _current_top(a: Article) -> str:
    """Lead and image lines (each ending "\\n")."""
    out = ""
    if a.lead:
        out += f'<div class="article-chapo"><p>{escape(a.lead)}</p></div>\n'
    if a.image:
        out += (f'<figure class="article-image"><img src="{a.image.url}" alt="" loading="lazy">'
                f'<figcaption>{escape(a.image.printed_caption())}</figcaption></figure>\n')
    return out


def _current_terms(a: Article) -> str:
    out = ""
    if a.tag_links:
        tags = " ".join(f'<a href="{ROOT}/article/tag/{t.slug}/">{escape(t.text)}</a>' for t in a.tag_links)
        out += f'<div class="article-tags"><span class="label">Tags :</span> {tags}</div>\n'
    if not a.categories:
        return out
    cats = " ".join(f'<a href="{ROOT}/category/{c.slug}/">{escape(c.name)}</a>' for c in a.categories)
    return out + f'<div class="article-categories"><span class="label">Catégories :</span> {cats}</div>\n'


def current_article(a: Article, ctx: Context) -> str:
    """The current layout (reference: tours-plus-candidate-au-label-french-tech); its AMP copy is identical."""
    extra = f'<link rel="canonical" href="{a.url}">\n<link rel="amphtml" href="{a.url}amp/">\n'
    if a.json_ld and ctx.dates:
        extra += json_ld(a)
    crumb = "".join(f'<li><a href="{ROOT}/category/{c.slug}/">{escape(c.name)}</a></li>' for c in a.categories[:1])
    related = ""
    if a.related:
        related = f'<section class="related"><h3>Vous aimerez aussi</h3><ul>{_related_list(a, ctx)}</ul></section>\n'
    body = "\n".join(block_html(b) for b in a.blocks)
    return (head(a.title, extra=extra, body_class="page-article", body_attrs=f' data-post-id="{a.post_id}"')
            + f"""<main class="main-content">
<article class="article-full">
<div class="article-header"><ol class="breadcrumb"><li><a href="{ROOT}/">Accueil</a></li>{crumb}</ol>
<h1 class="article-title">{escape(a.title)}</h1>
<p class="article-meta">{_current_meta(a, ctx.dates)}</p>
</div>
{_current_top(a)}<div class="article-body">
{body}
</div>
{_current_terms(a)}</article>
{SHARE_LINKS}{related}</main>
{ctx.aside}{FOOTER}""")


# --- listing pages -------------------------------------------------------------------------

def listing_entry(a: Article, href: str | None = None) -> str:
    href = href or a.url
    return (f'<article class="post-{a.post_id} post type-post"><h2 class="entry-title">'
            f'<a href="{href}" rel="bookmark">{escape(a.title)}</a></h2>'
            f'<div class="entry-summary"><p>{escape(a.summary())}</p></div>'
            f'<a class="more-link" href="{href}">Lire la suite</a></article>')


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
    return (head(title, extra=extra) + f'<div id="content"><main id="main"><h1 class="page-title">{escape(heading)}</h1>\n'
            + "\n".join(entries) + f"\n{nav}\n</main>\n{aside}</div>\n{FOOTER}")


def not_found_page(aside: str) -> str:
    return (head("Page introuvable", body_class="error404")
            + '<div id="content"><main id="main"><h1 class="page-title">Page introuvable</h1>\n'
              "<p>Désolé, cette page n&#39;existe pas ou plus.</p>\n"
              f"</main>\n{aside}</div>\n{FOOTER}")


WP_ADMIN = "<html><body>Connexion</body></html>"

UNAVAILABLE = "<html><body>Service momentanément indisponible, réessayez dans un instant.</body></html>"

ROBOTS = f"""User-agent: *
Disallow: /wp-admin/
Disallow: /recherche/
Disallow: /*?replytocom=
Allow: /wp-admin/admin-ajax.php

Sitemap: {ROOT}/sitemap_index.xml
"""


# --- feeds and sitemaps ----------------------------------------------------------------------

def feed(articles: list[Article]) -> str:
    items = "".join(f"<item><title>{escape(a.title)}</title><link>{a.url}</link>"
                    f"<pubDate>{rfc822(a.published)}</pubDate>"
                    f'<guid isPermaLink="false">{ROOT}/?p={a.post_id}</guid>'
                    f"<description>{escape(a.summary())}</description></item>" for a in articles)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<rss version=\"2.0\"><channel><title>tmv Tours</title><link>{ROOT}/</link>"
            f"<language>fr-FR</language>{items}</channel></rss>\n")


def sitemap(articles: list[Article]) -> str:
    urls = "".join(f"<url><loc>{a.url}</loc><lastmod>{iso(a.last_change)}</lastmod></url>" for a in articles)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')


def sitemap_index(paths: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{ROOT}{path}</loc></sitemap>" for path in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n')


# --- the amp layout (the www front-end) -------------------------------------------------------
# Class names come from `ctx.classes` (role -> a token drawn anew per build, see site.class_names):
# nothing a reader could rely on.  The markup choices of each page are in `article.shape`.

AMP_ROLES = ("header", "logo", "nav", "main", "article", "crumbs", "headline", "byline", "byline_part",
             "lead", "figure", "caption", "body", "ad", "ad_label", "tags", "cats", "terms_label",
             "terms_list", "share", "related", "related_title", "aside", "aside_title", "footer",
             "entry", "entry_title", "more", "pager", "next", "prev", "number", "card")

AMP_BOILERPLATE = ('<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
                   '<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;'
                   'animation:-amp-start 8s steps(1,end) 0s 1 normal both}'
                   '@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style>'
                   '<noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>\n')


def _amp_css(c: dict[str, str]) -> str:
    rules = [f".{c['headline']}{{font-size:2.2em;line-height:1.1}}", f".{c['byline']}{{color:#666}}",
             f".{c['lead']}{{font-weight:700}}", f".{c['ad']}{{margin:1em 0;text-align:center}}",
             f".{c['aside']}{{float:right;width:30%}}", f".{c['terms_label']}{{font-weight:700}}"]
    return "".join(rules)


def amp_head(title: str, c: dict[str, str], *, extra: str = "", amp_attr: str = "⚡", logo_h1: bool = False) -> str:
    logo = f'<a class="{c["logo"]}" href="{ROOT}/">tmv Tours</a>'
    if logo_h1:  # the site's name as the page's first h1
        logo = f'<h1 class="{c["logo"]}"><a href="{ROOT}/">tmv Tours</a></h1>'
    return f"""<!doctype html>
<html {amp_attr} lang="fr">
<head>
<meta charset="utf-8">
<title>{escape(title)} - tmv Tours</title>
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="tmv Tours &raquo; Flux" href="{ROOT}/feed/">
{extra}{AMP_BOILERPLATE}<style amp-custom>{_amp_css(c)}</style>
</head>
<body>
<header class="{c['header']}">{logo}
<nav class="{c['nav']}">{"".join(f'<a href="{ROOT}/category/{slug}">{escape(name)}</a> ' for name, slug in CATEGORIES)}<a href="{ROOT}{SEARCH_PATH}">Recherche</a></nav>
</header>
"""


def amp_sidebar(latest: list[Article], c: dict[str, str], months: list[tuple[int, int]] = (),
                dates: bool = True) -> str:
    """Latest articles (?utm_source=sidebar, each with a <time datetime> of its own: the only <time>
    of an amp page, and not the page's date) and the monthly archives, linked without their slash."""
    def when(a: Article) -> str:
        local = a.published.astimezone(PARIS)
        return f' <time datetime="{iso(a.published)}">{local:%d/%m/%Y}</time>' if dates else ""
    links = "".join(f'<li><a href="{a.url}?utm_source=sidebar">{escape(a.title)}</a>{when(a)}</li>' for a in latest)
    archive = "".join(f'<li><a href="{ROOT}/article/{y}/{m:02d}">{MONTHS_FR[m - 1]} {y}</a></li>' for y, m in months)
    archive = f'<div class="{c["aside_title"]}">Archives</div><ul>{archive}</ul>' if archive else ""
    return (f'<aside class="{c["aside"]}"><div class="{c["aside_title"]}">Derniers articles</div>'
            f'<ul>{links}</ul>{archive}</aside>\n')


def amp_footer(c: dict[str, str]) -> str:
    return (f'<footer class="{c["footer"]}"><p>&copy; tmv Tours &mdash; hebdo gratuit d&#39;information locale. '
            '<a href="https://www.nrco.fr/">NR Communication</a></p></footer>\n</body>\n</html>\n')


def amp_json_ld(a: Article) -> str:
    moment = utc if a.shape.get("ld_utc") else iso
    kind = "NewsArticle" if a.ld_type == "graph" else a.ld_type
    data = {"@type": kind, "headline": a.title, "datePublished": moment(a.published),
            "mainEntityOfPage": {"@type": "WebPage", "@id": a.url}}
    if a.modified:
        data["dateModified"] = moment(a.modified)
    if a.author:
        name = "tmv" if a.ld_author == "publisher" else a.author.name
        data["author"] = {"@type": "Person" if a.ld_author == "byline" else "Organization", "name": name}
    if a.image:
        data["image"] = {"@type": "ImageObject", "url": a.image.url, "width": 640, "height": 427}
    if a.tags():
        data["keywords"] = a.tags()
    if a.categories:
        data["articleSection"] = [c.name for c in a.categories]
    if a.ld_type == "graph":
        data["isPartOf"] = {"@id": a.url}
        data["publisher"] = {"@id": f"{ROOT}/#organization"}
        document = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": a.url, "url": a.url, "name": a.title, "inLanguage": "fr-FR"},
            {"@type": "Organization", "@id": f"{ROOT}/#organization", "name": "tmv Tours", "url": f"{ROOT}/"},
            data]}
    else:
        data["publisher"] = {"@type": "Organization", "name": "tmv Tours"}
        document = {"@context": "https://schema.org", **data}
    return f'<script type="application/ld+json">{json.dumps(document, ensure_ascii=False)}</script>\n'


def _amp_head_extra(a: Article, ctx: Context) -> str:
    lines = [f'<link rel="canonical" href="{a.url}">', f'<link rel="shortlink" href="{ROOT}/?p={a.post_id}">']
    if a.og_title:
        lines.append(f'<meta property="og:title" content="{escape(a.title)}">')
    if a.og_times and ctx.dates:
        lines.append(f'<meta property="article:published_time" content="{utc(a.published)}">')
        if a.modified:
            lines.append(f'<meta property="article:modified_time" content="{utc(a.modified)}">')
    out = "".join(line + "\n" for line in lines)
    if a.json_ld and ctx.dates:
        out += amp_json_ld(a)
    return out


def _amp_byline(a: Article, ctx: Context) -> str:
    c, shape = ctx.classes, a.shape
    parts = []
    if ctx.dates:
        parts.append(f"Publié le {current_date(a.published)}")
        if a.modified:
            parts.append(f"Modifié le {current_date(a.modified)}")
    if a.author:
        name = escape(a.author.name)
        if shape.get("author_link"):
            slash = "/" if shape.get("term_slash", True) else ""
            name = f'<a href="{ROOT}/article/author/{a.author.slug}{slash}">{name}</a>'
        parts.append(f"Par {name}")
    if parts and shape.get("reading_time"):
        parts.append(f"· {2 + a.index % 7} min de lecture")
    if not parts:
        return ""
    if shape.get("byline") == "spans":
        inner = " ".join(f'<span class="{c["byline_part"]}">{part}</span>' for part in parts)
        return f'<div class="{c["byline"]}">{inner}</div>\n'
    return f'<p class="{c["byline"]}">{" ".join(parts)}</p>\n'


def _amp_image(a: Article, c: dict[str, str]) -> str:
    if not a.image:
        return ""
    img = f'<amp-img src="{a.image.url}" width="640" height="427" layout="responsive" alt=""></amp-img>'
    caption = escape(a.image.printed_caption())
    if a.shape.get("figure") == "div":
        tag = a.shape.get("caption_tag", "p")
        return f'<div class="{c["figure"]}">{img}<{tag} class="{c["caption"]}">{caption}</{tag}></div>\n'
    return f'<figure class="{c["figure"]}">{img}<figcaption class="{c["caption"]}">{caption}</figcaption></figure>\n'


def amp_block_html(block: Block, c: dict[str, str]) -> str:
    """render.block_html with the amp ad slot and the raw shortcodes (printed as text)."""
    if block.kind == "ad":
        return (f'<div class="{c["ad"]}"><span class="{c["ad_label"]}">Publicité</span>'
                '<script>window.tmvAds && tmvAds.push("inread");</script></div>')
    if block.kind == "shortcode":
        return f"<p>{escape(block.shortcode, quote=False)}</p>"
    html = block_html(block)
    if block.kind == "p" and block.shortcode:
        code = escape(block.shortcode, quote=False)
        inner = html[3:-4]
        html = f"<p>{code} {inner}</p>" if block.shortcode_first else f"<p>{inner} {code}</p>"
    return html


def _amp_terms(label: str, links: list[tuple[str, str]], style: str, c: dict[str, str], role: str) -> str:
    anchors = [f'<a href="{href}">{escape(text)}</a>' for href, text in links]
    if style == "plain":  # the names as text, no link
        return f'<p class="{c[role]}">{label} : {escape(", ".join(" ".join(text.split()) for _, text in links))}</p>\n'
    if style == "p":
        return f'<p class="{c[role]}">{label} : {" ".join(anchors)}</p>\n'
    if style == "ul":
        items = "".join(f"<li>{anchor}</li>" for anchor in anchors)
        return (f'<div class="{c[role]}"><span class="{c["terms_label"]}">{label} :</span>'
                f'<ul class="{c["terms_list"]}">{items}</ul></div>\n')
    return (f'<div class="{c[role]}"><span class="{c["terms_label"]}">{label} :</span> '
            f'<div class="{c["terms_list"]}">{" ".join(anchors)}</div></div>\n')


def _amp_related(a: Article, ctx: Context) -> str:
    if not a.related:
        return ""
    c, shape = ctx.classes, a.shape
    links = [(_url(ctx, slug), ctx.titles[slug]) for slug in a.related]
    tag = shape.get("related", "h2")
    title = f'<{tag} class="{c["related_title"]}">Vous aimerez aussi</{tag}>'
    if shape.get("related_cards") and ctx.bylines:  # cards with bylines of their own
        inner = "".join(f'<div class="{c["card"]}"><h3><a href="{href}">{escape(text)}</a></h3>'
                        + (f'<p>{ctx.bylines[slug]}</p>' if ctx.bylines[slug] else "") + "</div>"
                        for (href, text), slug in zip(links, a.related))
    elif shape.get("related_list") == "div":
        inner = "".join(f'<div><a href="{href}">{escape(text)}</a></div>' for href, text in links)
    else:
        inner = "<ul>" + "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links) + "</ul>"
    return f'<section class="{c["related"]}">{title}{inner}</section>\n'


def amp_article(a: Article, ctx: Context) -> str:
    """The www front-end's page: AMP markup, generated class names, the byline as plain text."""
    c, shape = ctx.classes, a.shape
    slash = "/" if shape.get("term_slash", True) else ""
    tags = [(f"{ROOT}/article/tag/{t.slug}{slash}", t.text) for t in a.tag_links]
    cats = [(f"{ROOT}/category/{t.slug}", t.name) for t in a.categories]
    terms = ""
    if tags:
        terms += _amp_terms("Tags", tags, "plain" if shape.get("tags_plain") else shape.get("tags", "p"), c, "tags")
    if cats:
        terms += _amp_terms("Catégories", cats, shape.get("cats", "p"), c, "cats")
    crumbs = ""
    if shape.get("crumbs") and a.categories:
        first = a.categories[0]
        crumbs = (f'<div class="{c["crumbs"]}"><a href="{ROOT}/">Accueil</a> &rsaquo; '
                  f'<a href="{ROOT}/category/{first.slug}">{escape(first.name)}</a></div>\n')
    lead = ""
    if a.lead:
        lead = (f'<div class="{c["lead"]}"><p>{escape(a.lead)}</p></div>\n' if shape.get("lead") == "div"
                else f'<p class="{c["lead"]}">{escape(a.lead)}</p>\n')
    body = "\n".join(amp_block_html(b, c) for b in a.blocks)
    share = (f'<div class="{c["share"]}">Restez avec nous : <a href="https://www.facebook.com/tmvtours">Facebook</a> '
             '<a href="https://twitter.com/tmvtours">Twitter</a> '
             '<a href="https://www.instagram.com/tmvtours/">Instagram</a></div>\n')
    container = shape.get("container", "article")
    return (amp_head(a.title, c, extra=_amp_head_extra(a, ctx), amp_attr=shape.get("amp_attr", "⚡"),
                     logo_h1=shape.get("logo_h1", False))
            + f'<main class="{c["main"]}">\n<{container} class="{c["article"]}">\n{crumbs}'
            + f'<h1 class="{c["headline"]}">{escape(a.title)}</h1>\n{_amp_byline(a, ctx)}{lead}{_amp_image(a, c)}'
            + f'<div class="{c["body"]}">\n{body}\n</div>\n{terms}</{container}>\n{share}{_amp_related(a, ctx)}'
            + f'</main>\n{ctx.amp_aside}{amp_footer(c)}')


# --- the www listings: other ways to the next page ----------------------------------------------

PAGER_STYLES = ("wp", "rel", "text", "arrow")


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
    url = lambda n: page_url(base, n, query)   # noqa: E731
    numbers = " ".join(f'<span class="{c["number"]}">{n}</span>' if n == current else
                       f'<a class="{c["number"]}" href="{url(n)}">{n}</a>' if n else "&hellip;"
                       for n in _page_numbers(current, last))
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
    return (f'<div class="{c["entry"]}"><h3 class="{c["entry_title"]}"><a href="{href}">{escape(a.title)}</a></h3>'
            f'<p>{escape(a.summary())}</p><a class="{c["more"]}" href="{href}">Lire la suite</a></div>')


def amp_listing_page(title: str, heading: str, entries: list[str], nav: str, c: dict[str, str],
                     aside: str, extra: str = "") -> str:
    """A www category listing (/category/<slug>, ?page=N)."""
    return (amp_head(title, c, extra=extra) + f'<main class="{c["main"]}"><h1 class="{c["headline"]}">'
            f'{escape(heading)}</h1>\n' + "\n".join(entries) + f"\n{nav}\n</main>\n{aside}{amp_footer(c)}")


def robots(sitemaps: str = "index") -> str:
    """robots.txt: names /sitemap_index.xml ("index"), /sitemap.xml ("robots"), or no sitemap."""
    if sitemaps == "index":
        return ROBOTS
    body = ROBOTS.split("\nSitemap:")[0]
    return body + (f"\nSitemap: {ROOT}/sitemap.xml\n" if sitemaps == "robots" else "")


def sitemap_at(entries: list[tuple[str, datetime]]) -> str:
    """A urlset of (loc, lastmod) pairs."""
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{iso(moment)}</lastmod></url>" for loc, moment in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')


def dated_sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    """A sitemap index whose entries carry <loc> and <lastmod>."""
    items = "".join(f"<sitemap><loc>{ROOT}{path}</loc><lastmod>{iso(moment)}</lastmod></sitemap>"
                    for path, moment in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>\n')
