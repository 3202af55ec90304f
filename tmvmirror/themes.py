"""Two article themes no reader rule was written from ("held out"): "quotidien", a French daily's
site (author before a date in words, a breadcrumb, #tag chips, microdata dates, "© X" credits) and
"magazine", a WordPress magazine theme (dates in ``<time datetime>`` after the text only, the author
as ``rel=author`` after "Rédigé par", labelled terms, lazy images, "— "/"Q :" interview questions,
image-only related cards).  Their class names, labels and date spellings are drawn per article
among real-world variants (`dress`), so a reader rule tuned to one wording fails on the others.

The pages show every fact of the model, so the expected item (truth.py) is the same whatever the
theme; what they add (an "À lire aussi" link, a tweet, share links, markers) is no article text.
"""

from __future__ import annotations

import json
import random
import string
from datetime import UTC
from html import escape

from .article_pages import Context, article_page, block_html, inline
from .chrome import legacy_date
from .content import CATEGORIES, MONTHS_FR
from .model import PARIS, ROOT, Article, Block, article_url, iso, random_stream

QUOTIDIEN = "quotidien"
MAGAZINE = "magazine"
THEMES = (QUOTIDIEN, MAGAZINE)

_ROLES = (
    "top", "nav", "main", "article", "crumbs", "kicker", "title", "byline", "updated", "lead", "figure",
    "credit", "body", "chips", "terms", "related", "related_title", "card", "share", "aside", "ad", "foot", "sign",
)  # fmt: skip
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# --- the words each theme draws its labels from (one per article) --------------------------------

# quotidien: "{author}" then "{date}" in words; None: no author
BYLINES_A = (
    "Par {author} | {date}",
    "Par {author} — {date}",
    "Publié par {author} le {date}",
    "Un article de {author}, {date}",
    "{author} · {date}",
)
UPDATED_A = ("Mis à jour le {date}", "Actualisé le {date}", "Modifié le {date}", "Dernière mise à jour : {date}")
CREDITS_A = ("© {}", "Photo © {}", "Crédit : {}")
RELATED_A = (
    "Sur le même sujet",
    "À lire également",
    "Nos articles sur le même thème",
    "Ces articles peuvent vous intéresser",
)
SEE_ALSO = ("À lire aussi :", "Lire aussi :", "LIRE AUSSI >", "À voir aussi :", "Sur le même sujet :")
SHARE_A = ("Partager :", "Partagez cet article", "Suivez-nous")
# magazine
BYLINES_B = ("Publié le {date}", "Mis en ligne le {date}", "Le {date}", "{date}")
UPDATED_B = ("Mis à jour le {date}", "Modifié le {date}", "Actualisé le {date}")
SIGNED_B = ("Rédigé par", "Écrit par", "Un article signé", "Auteur :", "Texte :")
TAGS_B = ("Mots-clés :", "Étiquettes :", "Thèmes :", "Sujets :", "Tags :")
CATEGORIES_B = ("Rubrique :", "Classé dans :", "Publié dans", "Catégorie :", "Rubriques :")
CREDITS_B = ("Crédit photo : {}", "Photo : {}", "© {}", "Crédits : {}")
RELATED_B = (
    "Dans la même rubrique",
    "À découvrir aussi",
    "Vous pourriez aussi aimer",
    "Plus d'articles",
    "Nos suggestions",
)
QUESTION_MARKS = ("— ", "– ", "Q : ", "<strong>Q :</strong> ", "Question : ")  # fmt: skip


def _token(rng: random.Random) -> str:
    """A class name of the theme's: a letter, then five letters or digits."""
    return rng.choice(string.ascii_lowercase) + "".join(rng.choices(string.ascii_lowercase + string.digits, k=5))


def dress(article: Article, seed: int) -> None:
    """Draw the theme's choices for this article (its own stream: nothing else moves)."""
    rng = random_stream(seed, article.index, "theme-shape")
    article.shape = {
        "classes": {role: _token(rng) for role in _ROLES},
        "byline": rng.randrange(len(BYLINES_A if article.layout == QUOTIDIEN else BYLINES_B)),
        "date": rng.randrange(4),
        "updated": rng.randrange(4),
        "credit": rng.randrange(4),
        "related": rng.randrange(5),
        "related_tag": rng.choice(["h2", "h3", "div", "p"]),
        "see_also": rng.randrange(len(SEE_ALSO)) if rng.random() < 0.6 else None,
        "tweet": rng.choice([None, "bare", "figure"]),
        "share": rng.randrange(len(SHARE_A)),
        "microdata": rng.choice(["meta", "time"]),
        "utc": rng.random() < 0.3,
        "json_ld": rng.random() < 0.25,
        "kicker": rng.random() < 0.5,
        "hash": rng.random() < 0.8,
        "chips": rng.choice(["ul", "div"]),
        "author_link": rng.random() < 0.5,
        "lead": rng.choice(["style", "strong", "p"]),
        "picture": rng.random() < 0.4,
        "credit_apart": rng.random() < 0.5,
        "signed": rng.randrange(len(SIGNED_B)),
        "tags_label": rng.randrange(len(TAGS_B)),
        "cats_label": rng.randrange(len(CATEGORIES_B)),
        "lazy": rng.choice(["data-src", "data-lazy-src", "noscript"]),
        "question": rng.randrange(len(QUESTION_MARKS)),
        "time_class": rng.random() < 0.5,
    }


# --- dates as the themes print them ---------------------------------------------------------------


def words_date(moment, style: int) -> str:
    """'26 mars 2024 à 7 h 27', 'mardi 26 mars 2024 à 07h27', '26 mars 2024, 7:27', '1er mars 2024 à 7h27'."""
    t = moment.astimezone(PARIS)
    day, month = ("1er" if t.day == 1 else str(t.day)), MONTHS_FR[t.month - 1]
    return (
        f"{day} {month} {t.year} à {t.hour} h {t.minute:02d}",
        f"{_WEEKDAYS[t.weekday()]} {day} {month} {t.year} à {t.hour:02d}h{t.minute:02d}",
        f"{t.day} {month} {t.year}, {t.hour}:{t.minute:02d}",
        legacy_date(moment),
    )[style]


def numeric_date(moment, style: int, sep: str = "/") -> str:
    """'26/03/2024 à 10h48', '26.03.2024 - 07h27', '26/03/2024 à 10:48', '26.03.2024'."""
    t = moment.astimezone(PARIS)
    day = f"{t.day:02d}{sep}{t.month:02d}{sep}{t.year}"
    return (f"{day} à {t:%H}h{t:%M}", f"{day} - {t:%H}h{t:%M}", f"{day} à {t:%H}:{t:%M}", day)[style]


def _instant(moment, utc: bool) -> str:
    """ISO 8601 to the second, in Paris time or in UTC ("Z")."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if utc else iso(moment)


# --- what both themes share ------------------------------------------------------------------------


def _page(a: Article, c: dict, head_extra: str, body: str, ctx: Context) -> str:
    nav = " ".join(f'<a href="{ROOT}/category/{slug}/">{escape(name)}</a>' for name, slug in CATEGORIES)
    latest = "".join(f'<li><a href="{href}">{escape(title)}</a></li>' for href, title in ctx.latest)
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="{a.charset}">
<title>{escape(a.title)} - tmv Tours</title>
<link rel="canonical" href="{a.url}">
{head_extra}</head>
<body>
<div class="{c["top"]}"><a href="{ROOT}/"><img src="{ROOT}/logo.svg" alt="tmv Tours"></a><nav class="{c["nav"]}">{nav}</nav></div>
<main class="{c["main"]}">
{body}</main>
<aside class="{c["aside"]}"><p>Les plus lus</p><ul>{latest}</ul></aside>
<div class="{c["foot"]}"><p>© tmv Tours. Tous droits réservés.</p></div>
</body>
</html>
"""


def _ad(c: dict) -> str:
    return f'<div class="{c["ad"]}"><span>Publicité</span><script>window.ads && ads.push("inread");</script></div>'


def _see_also(a: Article, ctx: Context, shape: dict) -> str:
    """An older article linked from inside the text: no text of this one."""
    slug = next((s for s in ctx.titles if s != a.slug and s not in a.related), None)
    if slug is None:
        return ""
    return f'<p><strong>{SEE_ALSO[shape["see_also"]]}</strong> <a href="{_url(ctx, slug)}">{escape(ctx.titles[slug])}</a></p>'


def _tweet(shape: dict) -> str:
    tweet = (
        '<blockquote class="twitter-tweet"><p lang="fr" dir="ltr">Ce soir, tout Tours est dans la rue. '
        "Rendez-vous place Plumereau !</p>&mdash; tmv Tours (@tmvtours) "
        '<a href="https://twitter.com/tmvtours/status/1772500000000000000">March 26, 2024</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
    if shape["tweet"] == "figure":
        return f'<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">{tweet}</div></figure>'
    return tweet


def _url(ctx: Context, slug: str) -> str:
    return ctx.urls.get(slug) or article_url(slug)


def _body(a: Article, ctx: Context, question=None) -> str:
    """The blocks, the ads in the theme's markup, questions as *question* renders them, and
    an "À lire aussi" link and a tweet put inside the text."""
    c, shape = a.shape["classes"], a.shape
    parts = [
        _ad(c) if b.kind == "ad" else question(b) if question and b.is_question() and b.kind != "h2" else block_html(b)
        for b in a.blocks
    ]
    middle = max(1, len(parts) // 2)
    if shape["see_also"] is not None:
        parts.insert(middle, _see_also(a, ctx, shape))
    if shape["tweet"]:
        parts.insert(min(len(parts), middle + 2), _tweet(shape))
    return "\n".join(part for part in parts if part)


def _credit(a: Article, forms: tuple[str, ...]) -> str:
    return forms[a.shape["credit"] % len(forms)].format(escape(a.image.credit)) if a.image and a.image.credit else ""


# --- quotidien ----------------------------------------------------------------------------------


def _quotidien_byline(a: Article, ctx: Context) -> str:
    c, shape = a.shape["classes"], a.shape
    date = words_date(a.published, shape["date"]) if ctx.dates else ""
    if shape["microdata"] == "time" and ctx.dates:
        date = f'<time itemprop="datePublished" datetime="{_instant(a.published, shape["utc"])}">{date}</time>'
    name = ""
    if a.author:
        name = escape(a.author.name)
        if shape["author_link"]:
            name = f'<a href="{ROOT}/article/author/{a.author.slug}/">{name}</a>'
    if name and date:
        line = BYLINES_A[shape["byline"]].format(author=name, date=date)
    else:
        line = f"Par {name}" if name else date
    out = f'<p class="{c["byline"]}">{line}</p>\n' if line else ""
    if a.modified and ctx.dates:
        when = numeric_date(a.modified, shape["updated"] % 3) if shape["updated"] != 3 else words_date(a.modified, 0)
        if shape["microdata"] == "time":
            when = f'<time itemprop="dateModified" datetime="{_instant(a.modified, shape["utc"])}">{when}</time>'
        out += f'<p class="{c["updated"]}">{UPDATED_A[shape["updated"]].format(date=when)}</p>\n'
    return out


def _quotidien_head(a: Article, ctx: Context) -> str:
    crumbs = [{"@type": "ListItem", "position": 1, "name": "Accueil", "item": f"{ROOT}/"}]
    for c in a.categories[:1]:
        crumbs.append({"@type": "ListItem", "position": 2, "name": c.name, "item": f"{ROOT}/category/{c.slug}/"})
    crumbs.append({"@type": "ListItem", "position": len(crumbs) + 1, "name": a.title})
    documents = [{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": crumbs}]
    if a.shape["json_ld"] and ctx.dates:
        article = {"@type": "NewsArticle", "headline": a.title, "datePublished": iso(a.published)}
        if a.modified:
            article["dateModified"] = iso(a.modified)
        documents.append({"@context": "https://schema.org", **article})
    out = f'<link rel="shortlink" href="{ROOT}/?p={a.post_id}">\n'
    return out + "".join(
        f'<script type="application/ld+json">{json.dumps(d, ensure_ascii=False)}</script>\n' for d in documents
    )


def _quotidien_figure(a: Article) -> str:
    if not a.image:
        return ""
    c, shape = a.shape["classes"], a.shape
    img = f'<img src="{a.image.url}" alt="" width="640" height="427">'
    if shape["picture"]:
        img = f'<picture><source srcset="{a.image.url}.webp" type="image/webp">{img}</picture>'
    caption, credit = escape(a.image.caption or ""), _credit(a, CREDITS_A)
    if credit and shape["credit_apart"]:
        credit = f'<span class="{c["credit"]}">{credit}</span>'
    text = " ".join(part for part in (caption, credit) if part)
    return f'<figure class="{c["figure"]}">{img}<figcaption>{text}</figcaption></figure>\n'


def quotidien_article(a: Article, ctx: Context) -> str:
    c, shape = a.shape["classes"], a.shape
    crumbs = "".join(
        f'<li><a href="{ROOT}/category/{cat.slug}/">{escape(cat.name)}</a></li> › ' for cat in a.categories[:1]
    )
    breadcrumb = (
        f'<nav class="{c["crumbs"]}" aria-label="Fil d\'Ariane"><ol><li><a href="{ROOT}/">Accueil</a></li> › '
        f"{crumbs}<li>{escape(a.title)}</li></ol></nav>\n"
    )
    kicker = ""
    if a.categories and (shape["kicker"] or len(a.categories) > 1):
        links = " ".join(f'<a href="{ROOT}/category/{cat.slug}/">{escape(cat.name)}</a>' for cat in a.categories)
        kicker = f'<p class="{c["kicker"]}">{links}</p>\n'
    micro = ""
    if shape["microdata"] == "meta" and ctx.dates:
        micro = f'<meta itemprop="datePublished" content="{_instant(a.published, shape["utc"])}">\n'
        if a.modified:
            micro += f'<meta itemprop="dateModified" content="{_instant(a.modified, shape["utc"])}">\n'
    lead = ""
    if a.lead:
        text = escape(a.lead)
        lead = {
            "style": f'<div class="{c["lead"]}" style="font-weight: bold;">{text}</div>\n',
            "strong": f'<div class="{c["lead"]}"><strong>{text}</strong></div>\n',
            "p": f'<p class="{c["lead"]}" style="font-weight:700">{text}</p>\n',
        }[shape["lead"]]
    chips = ""
    if a.tag_links:
        mark = "#" if shape["hash"] else ""
        anchors = [f'<a href="{ROOT}/article/tag/{t.slug}/">{mark}{escape(t.text)}</a>' for t in a.tag_links]
        inner = "".join(f"<li>{x}</li>" for x in anchors) if shape["chips"] == "ul" else " ".join(anchors)
        chips = f'<{shape["chips"]} class="{c["chips"]}">{inner}</{shape["chips"]}>\n'
    related = ""
    if a.related:
        tag = shape["related_tag"]
        items = "".join(f'<li><a href="{_url(ctx, s)}">{escape(ctx.titles[s])}</a></li>' for s in a.related)
        title = RELATED_A[shape["related"] % len(RELATED_A)]
        related = f'<section class="{c["related"]}"><{tag} class="{c["related_title"]}">{title}</{tag}><ul>{items}</ul></section>\n'
    share = (
        f'<div class="{c["share"]}">{SHARE_A[shape["share"]]} <a href="https://www.facebook.com/sharer.php?u={a.url}">Facebook</a> '
        f'<a href="https://twitter.com/intent/tweet?url={a.url}">X</a></div>\n'
    )
    body = (
        f'{breadcrumb}<article class="{c["article"]}" itemscope itemtype="https://schema.org/NewsArticle">\n'
        f'{micro}<header>{kicker}<h1 class="{c["title"]}" itemprop="headline">{escape(a.title)}</h1>\n'
        f"{_quotidien_byline(a, ctx)}</header>\n{lead}{_quotidien_figure(a)}"
        f'<div class="{c["body"]}" itemprop="articleBody">\n{_body(a, ctx)}\n</div>\n{chips}</article>\n{share}{related}'
    )
    return _page(a, c, _quotidien_head(a, ctx), body, ctx)


# --- magazine -------------------------------------------------------------------------------------


def _magazine_question(a: Article):
    mark = QUESTION_MARKS[a.shape["question"]]

    def render(block: Block) -> str:
        question = f"<p>{mark}{inline(block.text, block.deco)}</p>"
        if block.kind == "qa_br":
            question += f"\n<p>{inline(block.answer, block.answer_deco)}</p>"
        return question

    return render


def _magazine_figure(a: Article) -> str:
    if not a.image:
        return ""
    c, shape, url = a.shape["classes"], a.shape, a.image.url
    small = url.removesuffix(".jpg") + "-300x200.jpg"
    placeholder = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    img = {
        "data-src": f'<img src="{placeholder}" data-src="{url}" srcset="{small} 300w, {url} 640w" loading="lazy" alt="">',
        "data-lazy-src": f'<img src="{ROOT}/wp-content/plugins/lazy/blank.svg" data-lazy-src="{url}" '
        f'data-lazy-srcset="{small} 300w, {url} 640w" alt="">',
        "noscript": f'<img class="lazyload" data-src="{url}" alt=""><noscript><img src="{url}" alt=""></noscript>',
    }[shape["lazy"]]
    caption = f"<figcaption>{escape(a.image.caption)}</figcaption>" if a.image.caption else ""
    credit = _credit(a, CREDITS_B)
    credit = f'<span class="{c["credit"]}">{credit}</span>' if credit else ""
    return f'<figure class="{c["figure"]}">{img}{caption}{credit}</figure>\n'


def _magazine_terms(a: Article) -> str:
    c, shape, out = a.shape["classes"], a.shape, ""
    if a.tag_links:
        links = ", ".join(f'<a href="{ROOT}/article/tag/{t.slug}/">{escape(t.text)}</a>' for t in a.tag_links)
        out += f'<p class="{c["terms"]}"><span>{TAGS_B[shape["tags_label"]]}</span> {links}</p>\n'
    if a.categories:
        links = ", ".join(f'<a href="{ROOT}/category/{cat.slug}/">{escape(cat.name)}</a>' for cat in a.categories)
        out += f'<p class="{c["terms"]}"><span>{CATEGORIES_B[shape["cats_label"]]}</span> {links}</p>\n'
    return out


def _magazine_footer(a: Article, ctx: Context) -> str:
    """The author and the dates after the text: ``<time datetime>`` only here."""
    c, shape, lines = a.shape["classes"], a.shape, []
    if a.author:
        lines.append(
            f'<p class="{c["sign"]}">{SIGNED_B[shape["signed"]]} <a href="{ROOT}/article/author/{a.author.slug}/" '
            f'rel="author">{escape(a.author.name)}</a></p>'
        )
    if ctx.dates:
        mark = f' class="{c["updated"]}"' if shape["time_class"] else ""
        when = f'Publié le <time datetime="{_instant(a.published, shape["utc"])}">{numeric_date(a.published, 3, ".")}</time>'
        if a.modified:
            when += (
                f', mis à jour le <time{mark} datetime="{_instant(a.modified, shape["utc"])}">'
                f"{numeric_date(a.modified, 3, '.')}</time>"
            )
        lines.append(f'<p class="{c["byline"]}">{when}</p>')
    return f'<footer class="{c["foot"]}">{"".join(lines)}</footer>\n' if lines else ""


def magazine_article(a: Article, ctx: Context) -> str:
    c, shape = a.shape["classes"], a.shape
    byline = ""
    if ctx.dates:
        byline = BYLINES_B[shape["byline"]].format(date=numeric_date(a.published, 1, "."))
        if a.modified:
            byline += " · " + UPDATED_B[shape["updated"] % 3].format(date=numeric_date(a.modified, 1, "."))
        byline = f'<div class="{c["byline"]}">{byline}</div>\n'
    lead = f'<p class="{c["lead"]}">{escape(a.lead)}</p>\n' if a.lead else ""
    related = ""
    if a.related:
        tag = shape["related_tag"]
        cards = "".join(
            f'<div class="{c["card"]}"><a href="{_url(ctx, s)}"><img data-src="{ROOT}/wp-content/uploads/{s[:16]}.jpg" '
            'alt=""></a></div>'
            for s in a.related
        )
        related = f'<div class="{c["related"]}"><{tag} class="{c["related_title"]}">{RELATED_B[shape["related"]]}</{tag}>{cards}</div>\n'
    body = (
        f'<article id="post-{a.post_id}" class="{c["article"]}">\n<h1 class="{c["title"]}">{escape(a.title)}</h1>\n'
        f"{byline}{lead}{_magazine_figure(a)}"
        f'<div class="{c["body"]}">\n{_body(a, ctx, _magazine_question(a))}\n</div>\n'
        f"{_magazine_footer(a, ctx)}{_magazine_terms(a)}</article>\n{related}"
    )
    return _page(a, c, "", body, ctx)


def page(article: Article, ctx: Context) -> str:
    """The article's page in its layout: a theme of this module, else article_pages'."""
    if article.layout == QUOTIDIEN:
        return quotidien_article(article, ctx)
    if article.layout == MAGAZINE:
        return magazine_article(article, ctx)
    return article_page(article, ctx)
