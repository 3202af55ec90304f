"""What every page of the site shares: the WordPress themes' head, header, footer and
sidebar; the amp layout's head, sidebar, footer and class names; dates as the pages print them;
the 404, admin and 503 pages.

Every function returns text (str) naming the live root `ROOT`; site.py encodes it (utf-8 or
windows-1252) and the server swaps the root for its own.
"""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from .content import CATEGORIES, MONTHS_FR
from .model import PARIS, ROOT, Article, Term, iso

# --- the WordPress themes ------------------------------------------------------------------

SEARCH_PATH = "/recherche/?q=tours"  # linked from every page, disallowed by robots.txt
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


def head(
    title: str, *, charset: str = "UTF-8", extra: str = "", body_class: str = "archive", body_attrs: str = ""
) -> str:
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
    cloud = " ".join(
        f'<a href="{ROOT}/article/tag/{t.slug}/" class="tag-cloud-link">{escape(t.name)}</a>' for t in tags
    )
    archive = "".join(f'<li><a href="{ROOT}/article/{y}/{m:02d}/">{MONTHS_FR[m - 1]} {y}</a></li>' for y, m in months)
    return f"""<aside id="secondary" class="widget-area">
 <section class="widget widget_recent_entries"><h2 class="widget-title">Derniers articles</h2><ul>{latest_html}</ul></section>
 <section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>
 <section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archive}</ul></section>
</aside>
"""


def not_found_page(aside: str) -> str:
    return (
        head("Page introuvable", body_class="error404")
        + '<div id="content"><main id="main"><h1 class="page-title">Page introuvable</h1>\n'
        "<p>Désolé, cette page n&#39;existe pas ou plus.</p>\n"
        f"</main>\n{aside}</div>\n{FOOTER}"
    )


WP_ADMIN = "<html><body>Connexion</body></html>"
UNAVAILABLE = "<html><body>Service momentanément indisponible, réessayez dans un instant.</body></html>"


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
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def ampize(moment: datetime) -> str:
    """'2024-03-26T07:27:07+0000' for 07:27:07 Paris time: the Ampize plugin's date, PHP's
    DateTime::ISO8601 of WordPress's Paris wall clock in a PHP zone left at UTC (SITE.md)."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M:%S+0000")


def rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(PARIS))


# --- the amp layout (the www front-end) -------------------------------------------------------
# Class names come from `ctx.classes` (role -> a token drawn anew per build, see class_names):
# nothing a reader could rely on.  The markup choices of each page are in `article.shape`.

AMP_ROLES = (
    "header",
    "logo",
    "nav",
    "main",
    "article",
    "crumbs",
    "headline",
    "byline",
    "byline_part",
    "lead",
    "figure",
    "caption",
    "body",
    "ad",
    "ad_label",
    "tags",
    "cats",
    "terms_label",
    "terms_list",
    "share",
    "related",
    "related_title",
    "aside",
    "aside_title",
    "footer",
    "entry",
    "entry_title",
    "more",
    "pager",
    "next",
    "prev",
    "number",
    "card",
)

AMP_BOILERPLATE = (
    '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}"
    "@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style>"
    "<noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>\n"
)


def class_names(seed: int) -> dict[str, str]:
    """The amp layout's class names, one per role (AMP_ROLES), drawn anew per site seed:
    tokens like 'x7f3k-b' that no rule can know in advance."""
    rng = random.Random(f"{seed}:classes")
    letters, names = string.ascii_lowercase, {}
    for role in AMP_ROLES:
        token = ""
        while not token or token in names.values():
            token = (
                rng.choice(letters)
                + "".join(rng.choice(letters + string.digits) for _ in range(4))
                + "-"
                + rng.choice(letters)
            )
        names[role] = token
    return names


def _amp_css(c: dict[str, str]) -> str:
    rules = [
        f".{c['headline']}{{font-size:2.2em;line-height:1.1}}",
        f".{c['byline']}{{color:#666}}",
        f".{c['lead']}{{font-weight:700}}",
        f".{c['ad']}{{margin:1em 0;text-align:center}}",
        f".{c['aside']}{{float:right;width:30%}}",
        f".{c['terms_label']}{{font-weight:700}}",
    ]
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
<header class="{c["header"]}">{logo}
<nav class="{c["nav"]}">{"".join(f'<a href="{ROOT}/category/{slug}">{escape(name)}</a> ' for name, slug in CATEGORIES)}<a href="{ROOT}{SEARCH_PATH}">Recherche</a></nav>
</header>
"""


def amp_sidebar(
    latest: list[Article], c: dict[str, str], months: list[tuple[int, int]] = (), dates: bool = True
) -> str:
    """Latest articles (?utm_source=sidebar, each with a <time datetime> of its own: the only <time>
    of an amp page, and not the page's date) and the monthly archives, linked without their slash."""

    def when(a: Article) -> str:
        local = a.published.astimezone(PARIS)
        return f' <time datetime="{iso(a.published)}">{local:%d/%m/%Y}</time>' if dates else ""

    links = "".join(f'<li><a href="{a.url}?utm_source=sidebar">{escape(a.title)}</a>{when(a)}</li>' for a in latest)
    archive = "".join(f'<li><a href="{ROOT}/article/{y}/{m:02d}">{MONTHS_FR[m - 1]} {y}</a></li>' for y, m in months)
    archive = f'<div class="{c["aside_title"]}">Archives</div><ul>{archive}</ul>' if archive else ""
    return (
        f'<aside class="{c["aside"]}"><div class="{c["aside_title"]}">Derniers articles</div>'
        f"<ul>{links}</ul>{archive}</aside>\n"
    )


def amp_footer(c: dict[str, str]) -> str:
    return (
        f'<footer class="{c["footer"]}"><p>&copy; tmv Tours &mdash; hebdo gratuit d&#39;information locale. '
        '<a href="https://www.nrco.fr/">NR Communication</a></p></footer>\n</body>\n</html>\n'
    )
