"""The truth of a site, computed from the model, never by parsing the rendered HTML: the item a
correct crawler must export for each article (`expected_item`, with the normalisation rules of the
item contract), and what the tests need to know of the site besides (`site_truth`)."""

from __future__ import annotations

from .chrome import SEARCH_PATH
from .model import (
    LEGACY,
    ONLY_ARCHIVES,
    ONLY_SITEMAP,
    ROOT,
    Article,
    Block,
    Image,
    article_url,
    dedupe,
    fold,
    fold_or_none,
    iso,
)
from .page import Page


def interview_of(blocks: list[Block]) -> dict | None:
    """the item contract's interview rule: >= 2 question/answer pairs; answers run to the next
    question or the closing line; the closing line names the interviewer."""
    pairs: list[tuple[str, list[str]]] = []
    interviewer = None
    for block in blocks:
        if block.kind == "closing":
            interviewer = fold(block.text)
            break
        texts = block.texts()
        if not texts:
            continue
        if block.is_question():
            pairs.append((texts[0], texts[1:]))
        elif pairs:
            pairs[-1][1].extend(texts)
    qa = [{"question": q, "answer": "\n\n".join(a)} for q, a in pairs if a]
    if len(qa) < 2:
        return None
    return {"interviewer": interviewer or None, "qa": qa}


def image_item(image: Image | None) -> dict | None:
    if image is None:
        return None
    return {"url": image.url, "caption": fold_or_none(image.caption), "credit": fold_or_none(image.credit)}


def expected_item(article: Article, urls: dict[str, str] | None = None) -> dict:
    """The exported item for this article, every field of the item contract except crawled_at;
    `urls` gives the canonical URL of the related articles by slug (default: WordPress URLs)."""
    urls = urls or {}
    return {
        "url": article.url,
        "post_id": article.post_id,
        "title": fold(article.title),
        "lead": fold_or_none(article.lead),
        "author": fold_or_none(article.author.name) if article.author else None,
        "published_at": iso(article.published),
        "modified_at": iso(article.modified),
        "categories": dedupe([c.name for c in article.categories]),
        "tags": article.tags(),
        "image": image_item(article.image),
        "body": "\n\n".join(text for block in article.blocks for text in block.texts()),
        "interview": interview_of(article.blocks),
        "related": [urls.get(slug) or article_url(slug) for slug in article.related],
    }


def site_truth(
    articles: list[Article],
    pages: dict[str, Page],
    aliases: dict[str, str] | None = None,
    sitemaps: str = "index",
    without: frozenset[str] = frozenset(),
) -> dict:
    linked = {href.removeprefix(ROOT).split("#")[0].split("?")[0] for a in articles for href in a.links()}
    disallowed = [SEARCH_PATH] + [f"{a.path}?replytocom=1" for a in articles if a.layout == LEGACY]
    return {
        "only_sitemap": [a.slug for a in articles if a.visibility == ONLY_SITEMAP],
        "only_archives": [a.slug for a in articles if a.visibility == ONLY_ARCHIVES],
        "articles": [a.slug for a in articles],
        "layouts": {a.slug: a.layout for a in articles},
        "dead_links": sorted(path for path in linked if path not in pages),
        "flaky": [a.path for a in articles if a.flaky],
        "disallowed": disallowed,
        "aliases": dict(aliases or {}),
        "post_ids": {a.slug: a.post_id for a in articles},
        "sitemaps": sitemaps,
        "without": sorted(without),
    }
