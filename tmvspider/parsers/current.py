"""Layout "current": ``body.page-article``, a plain-text byline in Paris time, JSON-LD on most pages."""

from .base import ArticleParser


class CurrentParser(ArticleParser):
    name = "current"
    detect = "body.page-article h1.article-title"
    title_css = "h1.article-title"
    byline_css = ".article-meta"
    lead_css = ".article-chapo"
    image_css = "figure.article-image"
    caption_css = "figcaption"
    body_css = ".article-body"
    tags_css = ".article-tags a"
    categories_css = ".article-categories a"
    published_css = ".article-meta time[datetime].published, .article-meta time[datetime][itemprop=datePublished]"
    modified_css = (
        ".article-meta time[datetime].updated:not(.published), .article-meta time[datetime][itemprop=dateModified]"
    )
    skip_classes = frozenset({"article-chapo", "article-tags", "article-categories", "related", "share-links"})
    ad_class = "pub"
