"""What the CMS's two JSON APIs hold for each article, computed from the model: a `wp/v2` post
with every embed (`post_record`) and an `ampize/v1` item (`item_record`), both naming the live
root `ROOT` (the server swaps it for its own, as in the pages).

The mirror's texts are what its pages show, already past WordPress's typography (wptexturize):
a rendered field writes the characters wptexturize makes as the numeric entities it writes
(’ as &#8217;), a lone & as &#038;, and curls nothing more, so that the API and the pages give
one item. The same holds for term order: the pages' (WordPress would sort by name).
"""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from .article_pages import amp_block_html, wp_caption
from .chrome import ampize
from .content import AUTHORS, CATEGORIES, TAGS
from .model import LEGACY, PARIS, ROOT, Article, fold, slugify

API_ROOT = f"{ROOT}/wp-json/"
SITE_NAME = "tmv Tours"
SITE_DESCRIPTION = "100 % urbain"
EXCERPT_WORDS = 55  # wp_trim_excerpt's length
EXCERPT_MORE = " [&hellip;]"
# term and user ids: stable whatever the articles (1 is WordPress's "Non classé")
CATEGORY_IDS = {slug: number for number, (_, slug) in enumerate(CATEGORIES, start=2)}
TAG_IDS = {slugify(name): number for number, name in enumerate(TAGS, start=100)}
USER_IDS = {slug: number for number, (_, slug) in enumerate(AUTHORS, start=1)}

_TEXTURIZED = str.maketrans(
    {"’": "&#8217;", "‘": "&#8216;", "“": "&#8220;", "”": "&#8221;", "…": "&#8230;", "–": "&#8211;", "—": "&#8212;"}
)
_TAG = re.compile(r"<[^>]*>")
_CAPTION_SHORTCODE = re.compile(r"\[caption[^\]]*\].*?\[/caption\]", re.DOTALL)  # a registered one
_PHP_SPACES = re.compile(r"[\n\r\t ]+")  # what wp_trim_words splits words on


def texturized(text: str) -> str:
    """*text* as WordPress writes it in a rendered field (title, caption, excerpt)."""
    return escape(text, quote=False).replace("&amp;", "&#038;").translate(_TEXTURIZED)


def term_id(ids: dict[str, int], slug: str) -> int:
    return ids.get(slug) or 10_000 + zlib.crc32(slug.encode()) % 90_000


def wall_clock(moment: datetime, zone: ZoneInfo = PARIS) -> str:
    """WordPress's `date` (Paris wall clock) or `date_gmt` (zone UTC): 2024-03-26T07:27:07."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def post_html(a: Article) -> str:
    """The post's content as WordPress renders it: its blocks (shortcodes printed as text, as
    the live site shows them; no ad, no theme chrome, no related block) and, for the legacy
    articles whose image stands in the text, its [caption]."""
    parts = [wp_caption(a.post_id, a.image)] if a.layout == LEGACY and a.image else []
    parts += [amp_block_html(block, {}) for block in a.blocks if block.kind != "ad"]
    return "".join(part + "\n" for part in parts)


def automatic_excerpt(a: Article) -> str:
    """wp_trim_excerpt of a post without a hand-written one: the text (registered shortcodes
    and tags stripped, entities kept as written), its first 55 words then " [&hellip;]", or
    all of it when shorter."""
    text = _TAG.sub(
        "", _CAPTION_SHORTCODE.sub("", "\n".join(amp_block_html(b, {}) for b in a.blocks if b.kind != "ad"))
    )
    words = [word for word in _PHP_SPACES.split(text) if word]
    if len(words) > EXCERPT_WORDS:
        return " ".join(words[:EXCERPT_WORDS]) + EXCERPT_MORE
    return " ".join(words)


def _terms(a: Article) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """(id, name, slug) of the categories and of the tags, one per slug, in page order."""
    categories = {c.slug: (term_id(CATEGORY_IDS, c.slug), fold(c.name), c.slug) for c in a.categories}
    tags: dict[str, tuple[int, str, str]] = {}
    for link in a.tag_links:
        tags.setdefault(link.slug, (term_id(TAG_IDS, link.slug), fold(link.text), link.slug))
    return list(categories.values()), list(tags.values())


def _term(number: int, name: str, slug: str, taxonomy: str) -> dict:
    path = f"/category/{slug}/" if taxonomy == "category" else f"/article/tag/{slug}/"
    return {"id": number, "link": ROOT + path, "name": escape(name, quote=False), "slug": slug, "taxonomy": taxonomy}


def _media(a: Article, user: int) -> dict | None:
    if a.image is None:
        return None
    caption = a.image.printed_caption()
    file = a.image.url.split("/wp-content/uploads/", 1)[-1]
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return {
        "id": a.post_id + 1,
        "date": wall_clock(a.published),
        "slug": stem,
        "type": "attachment",
        "link": f"{a.url.rstrip('/')}/{stem}/",
        "title": {"rendered": stem},
        "author": user,
        "caption": {"rendered": f"<p>{texturized(caption)}</p>\n" if caption else ""},
        "alt_text": "",
        "media_type": "image",
        "mime_type": "image/jpeg",
        "media_details": {"width": 640, "height": 427, "file": file, "sizes": {}},
        "source_url": a.image.url,
    }


def _links(a: Article, user: int, media: int) -> dict:
    route = f"{API_ROOT}wp/v2"
    links: dict = {
        "self": [{"href": f"{route}/posts/{a.post_id}"}],
        "collection": [{"href": f"{route}/posts"}],
    }
    if user:
        links["author"] = [{"embeddable": True, "href": f"{route}/users/{user}"}]
    if media:
        links["wp:featuredmedia"] = [{"embeddable": True, "href": f"{route}/media/{media}"}]
    links["wp:term"] = [
        {"taxonomy": "category", "embeddable": True, "href": f"{route}/categories?post={a.post_id}"},
        {"taxonomy": "post_tag", "embeddable": True, "href": f"{route}/tags?post={a.post_id}"},
    ]
    return links


def post_record(a: Article) -> dict:
    """The post of `/wp/v2/posts/<id>?_embed` (every relation embedded). A post never edited
    has `modified` = `date`, as WordPress keeps it; a post without a byline has author 0 (no
    embedded author); one without categories none (WordPress would give "Non classé": the
    mirror's items have none)."""
    modified = a.modified or a.published
    user = term_id(USER_IDS, a.author.slug) if a.author else 0
    media = _media(a, user)
    categories, tags = _terms(a)
    embedded: dict = {}
    if a.author:
        embedded["author"] = [
            {
                "id": user,
                "name": a.author.name,
                "url": "",
                "description": "",
                "link": f"{ROOT}/article/author/{a.author.slug}/",
                "slug": a.author.slug,
            }
        ]
    if media:
        embedded["wp:featuredmedia"] = [media]
    embedded["wp:term"] = [[_term(*c, "category") for c in categories], [_term(*t, "post_tag") for t in tags]]
    excerpt = f"<p>{texturized(a.lead)}</p>\n" if a.lead else f"<p>{automatic_excerpt(a)}</p>\n"
    return {
        "id": a.post_id,
        "date": wall_clock(a.published),
        "date_gmt": wall_clock(a.published, UTC),
        "guid": {"rendered": f"{ROOT}/?p={a.post_id}"},
        "modified": wall_clock(modified),
        "modified_gmt": wall_clock(modified, UTC),
        "slug": a.slug,
        "status": "publish",
        "type": "post",
        "link": a.url,
        "title": {"rendered": texturized(a.title)},
        "content": {"rendered": post_html(a), "protected": False},
        "excerpt": {"rendered": excerpt, "protected": False},
        "author": user,
        "featured_media": media["id"] if media else 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": [],
        "categories": [number for number, _, _ in categories],
        "tags": [number for number, _, _ in tags],
        "_links": _links(a, user, media["id"] if media else 0),
        "_embedded": embedded,
    }


def item_record(a: Article) -> dict:
    """The item of `/ampize/v1/items` as the plugin writes it: the raw title, the hand-written
    excerpt or null, dates as the Paris wall clock labelled +0000, terms or null."""
    categories, tags = _terms(a)
    image = a.image.url if a.image else None
    return {
        "id": a.post_id,
        "headline": a.title,
        "description": a.lead or None,
        "excerpt": a.lead or automatic_excerpt(a),
        "image": image,
        "thumbnail": re.sub(r"(\.\w+)$", r"-150x150\1", image) if image else None,
        "body": post_html(a),
        "authorName": a.author.name if a.author else "",
        "datePublished": ampize(a.published),
        "dateModified": ampize(a.modified or a.published),
        "categories": [{"name": escape(n, quote=False), "filter": "category", "value": s} for _, n, s in categories]
        or None,
        "tags": [{"name": escape(n, quote=False), "filter": "post_tag", "value": s} for _, n, s in tags] or None,
        "url": a.url,
        "urlSegment": a.path,
    }
