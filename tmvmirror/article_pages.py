"""The article pages of the three layouts: legacy and current (the WordPress themes, with
the structure of the reference pages) and amp (the www front-end: AMP markup, class names from
`Context.classes`, the markup choices of each page in `article.shape`), with their inline text
and body blocks.

Nothing here draws random numbers: every choice is in the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape

from .chrome import FOOTER, amp_footer, amp_head, ampize, current_date, head, legacy_date, utc
from .model import AMP, CURRENT, ROOT, Article, Block, Deco, Image, article_url, iso

SHARE_LINKS = (
    '<div class="share-links">Restez avec nous : '
    '<a href="https://www.facebook.com/tmvtours">Facebook</a> '
    '<a href="https://twitter.com/tmvtours">Twitter</a> '
    '<a href="https://www.instagram.com/tmvtours/">Instagram</a></div>\n'
)

AD_SLOT = (
    '<div class="pub" data-slot="inread"><span class="pub-label">Publicité</span>'
    '<script>window.tmvAds && tmvAds.push("inread");</script></div>'
)


# --- inline text and body blocks ---------------------------------------------------------------

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
        for before, after in (
            (" ?", "&nbsp;?"),
            (" :", "&nbsp;:"),
            (" !", "&nbsp;!"),
            (" ;", "&nbsp;;"),
            ("« ", "«&nbsp;"),
            (" »", "&nbsp;»"),
        ):
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


# --- every layout --------------------------------------------------------------------------------


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
    latest: tuple = ()  # (url, title) of the newest listed articles (the themes' own sidebar)


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
    return "".join(f'<li><a href="{_url(ctx, slug)}">{escape(ctx.titles[slug])}</a></li>' for slug in article.related)


# --- legacy ------------------------------------------------------------------------------------


def _legacy_head_extra(a: Article, dates: bool = True) -> str:
    lines = [
        f'<link rel="canonical" href="{a.url}">',
        f'<link rel="shortlink" href="{ROOT}/?p={a.post_id}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(a.title)}">',
    ]
    if a.og_times and dates:
        lines.append(f'<meta property="article:published_time" content="{utc(a.published)}">')
        if a.modified:
            lines.append(f'<meta property="article:modified_time" content="{utc(a.modified)}">')
    return "".join(line + "\n" for line in lines)


def _legacy_meta(a: Article, dates: bool = True) -> str:
    parts = []
    if dates:
        parts.append(
            f'<span class="posted-on">Publié le <time class="entry-date published" '
            f'datetime="{iso(a.published)}">{legacy_date(a.published)}</time></span>'
        )
    if a.modified and dates:
        parts.append(
            f'<span class="updated-on">Mis à jour le <time class="updated" datetime="{iso(a.modified)}">'
            f"{legacy_date(a.modified)}</time></span>"
        )
    if a.author:
        parts.append(
            f'<span class="byline">Par <span class="author vcard"><a class="url fn n" '
            f'href="{ROOT}/article/author/{a.author.slug}/" rel="author">{escape(a.author.name)}</a></span></span>'
        )
    return " ".join(parts)


def wp_caption(post_id: int, image: Image) -> str:
    """The image as WordPress renders its [caption] shortcode in the post (attachment id: post id + 1)."""
    attachment = post_id + 1
    return (
        f'<div id="attachment_{attachment}" class="wp-caption aligncenter" style="width: 650px">'
        f'<img class="size-large wp-image-{attachment}" src="{image.url}" alt="" width="640" height="427">'
        f'<p class="wp-caption-text">{escape(image.printed_caption())}</p></div>'
    )


def _legacy_content(a: Article) -> str:
    lines = []
    if a.lead:
        lines.append(f'<p class="chapo"><strong>{escape(a.lead)}</strong></p>')
    if a.image:
        lines.append(wp_caption(a.post_id, a.image))
    lines.extend(block_html(b) for b in a.blocks)
    return "\n".join(lines)


def _legacy_footer(a: Article) -> str:
    lines = []
    if a.tag_links:
        tags = " ".join(f'<a href="{ROOT}/article/tag/{t.slug}/" rel="tag">{escape(t.text)}</a>' for t in a.tag_links)
        lines.append(f'<div class="tags-links">Tags : {tags}</div>')
    cats = ", ".join(
        f'<a href="{ROOT}/category/{c.slug}/" rel="category tag">{escape(c.name)}</a>' for c in a.categories
    )
    if cats:
        lines.append(f'<div class="cat-links">Catégories : {cats}</div>')
    return "\n".join(lines)


def legacy_article(a: Article, ctx: Context) -> str:
    """The WordPress theme of the older articles (reference: le-label-french-tech-fait-des-emules)."""
    category_classes = " ".join(f"category-{c.slug}" for c in a.categories)
    related = ""
    if a.related:
        related = (
            f'<section class="related-posts"><h3>Vous aimerez aussi</h3><ul>{_related_list(a, ctx)}</ul></section>\n'
        )
    return (
        head(
            a.title,
            charset="windows-1252" if a.charset == "windows-1252" else "UTF-8",
            extra=_legacy_head_extra(a, ctx.dates),
            body_class=f"post-template-default single single-post postid-{a.post_id} single-format-standard",
        )
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
{FOOTER}"""
    )


# --- current -----------------------------------------------------------------------------------


def json_ld(a: Article) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "datePublished": iso(a.published),
        "mainEntityOfPage": a.url,
        "publisher": {"@type": "Organization", "name": "tmv Tours"},
    }
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
        out += (
            f'<figure class="article-image"><img src="{a.image.url}" alt="" loading="lazy">'
            f"<figcaption>{escape(a.image.printed_caption())}</figcaption></figure>\n"
        )
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
    return (
        head(a.title, extra=extra, body_class="page-article", body_attrs=f' data-post-id="{a.post_id}"')
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
{ctx.aside}{FOOTER}"""
    )


# --- amp ---------------------------------------------------------------------------------------


# the JSON-LD's dates: www's as the front-end writes them (Ampize's), or a fixed front-end's
LD_DATES = {"ampize": ampize, "utc": lambda moment: utc(moment).replace("+00:00", "Z"), "paris": iso}


def amp_json_ld(a: Article) -> str:
    moment = LD_DATES[a.shape.get("ld_dates", "paris")]
    kind = "NewsArticle" if a.ld_type == "graph" else a.ld_type
    data = {
        "@type": kind,
        "headline": a.title,
        "datePublished": moment(a.published),
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
    }
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
        document = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": a.url, "url": a.url, "name": a.title, "inLanguage": "fr-FR"},
                {"@type": "Organization", "@id": f"{ROOT}/#organization", "name": "tmv Tours", "url": f"{ROOT}/"},
                data,
            ],
        }
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
    """block_html with the amp ad slot and the raw shortcodes (printed as text)."""
    if block.kind == "ad":
        return (
            f'<div class="{c["ad"]}"><span class="{c["ad_label"]}">Publicité</span>'
            '<script>window.tmvAds && tmvAds.push("inread");</script></div>'
        )
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
        return (
            f'<div class="{c[role]}"><span class="{c["terms_label"]}">{label} :</span>'
            f'<ul class="{c["terms_list"]}">{items}</ul></div>\n'
        )
    return (
        f'<div class="{c[role]}"><span class="{c["terms_label"]}">{label} :</span> '
        f'<div class="{c["terms_list"]}">{" ".join(anchors)}</div></div>\n'
    )


def _amp_related(a: Article, ctx: Context) -> str:
    if not a.related:
        return ""
    c, shape = ctx.classes, a.shape
    links = [(_url(ctx, slug), ctx.titles[slug]) for slug in a.related]
    tag = shape.get("related", "h2")
    title = f'<{tag} class="{c["related_title"]}">Vous aimerez aussi</{tag}>'
    if shape.get("related_cards") and ctx.bylines:  # cards with bylines of their own
        inner = "".join(
            f'<div class="{c["card"]}"><h3><a href="{href}">{escape(text)}</a></h3>'
            + (f"<p>{ctx.bylines[slug]}</p>" if ctx.bylines[slug] else "")
            + "</div>"
            for (href, text), slug in zip(links, a.related)
        )
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
        crumbs = (
            f'<div class="{c["crumbs"]}"><a href="{ROOT}/">Accueil</a> &rsaquo; '
            f'<a href="{ROOT}/category/{first.slug}">{escape(first.name)}</a></div>\n'
        )
    lead = ""
    if a.lead:
        lead = (
            f'<div class="{c["lead"]}"><p>{escape(a.lead)}</p></div>\n'
            if shape.get("lead") == "div"
            else f'<p class="{c["lead"]}">{escape(a.lead)}</p>\n'
        )
    body = "\n".join(amp_block_html(b, c) for b in a.blocks)
    share = (
        f'<div class="{c["share"]}">Restez avec nous : <a href="https://www.facebook.com/tmvtours">Facebook</a> '
        '<a href="https://twitter.com/tmvtours">Twitter</a> '
        '<a href="https://www.instagram.com/tmvtours/">Instagram</a></div>\n'
    )
    container = shape.get("container", "article")
    return (
        amp_head(
            a.title,
            c,
            extra=_amp_head_extra(a, ctx),
            amp_attr=shape.get("amp_attr", "⚡"),
            logo_h1=shape.get("logo_h1", False),
        )
        + f'<main class="{c["main"]}">\n<{container} class="{c["article"]}">\n{crumbs}'
        + f'<h1 class="{c["headline"]}">{escape(a.title)}</h1>\n{_amp_byline(a, ctx)}{lead}{_amp_image(a, c)}'
        + f'<div class="{c["body"]}">\n{body}\n</div>\n{terms}</{container}>\n{share}{_amp_related(a, ctx)}'
        + f"</main>\n{ctx.amp_aside}{amp_footer(c)}"
    )
