"""Layout "legacy": the WordPress theme of older articles (``article#post-N``, ``div.entry-content``)."""

from .base import ArticleParser


class LegacyParser(ArticleParser):
    name = "legacy"
    # a post's own page: listings give their entries h2 titles; attachments, static pages
    # and the "not found" page reuse the markup with another type
    detect = (
        'article[id^="post-"]:not(.type-attachment):not(.type-page):not(.error404):not([id="post-0"]) '
        'h1.entry-title, article.type-post:not(.error404):not([id="post-0"]) h1.entry-title'
    )  # no id
    # WordPress's attachments, static pages and "not found" page (Twenty Eleven's article#post-0.error404)
    refuse = "article.type-attachment h1.entry-title, article.type-page h1.entry-title, .error404 h1, article#post-0 h1"
    title_css = "h1.entry-title"
    byline_css = ".entry-meta"
    lead_css = ".entry-content .chapo"
    image_css = ".entry-content .wp-caption"
    bare_image_css = '.entry-content img[class*="wp-image-"]'  # WordPress's class for an inserted image
    caption_css = ".wp-caption-text"
    body_css = ".entry-content"
    tags_css = ".tags-links a"
    categories_css = ".cat-links a"
    author_css = '.entry-meta a[rel~="author"]'
    published_css = ".entry-meta time.published"
    modified_css = ".entry-meta time.updated:not(.published)"  # "published updated": never modified
    skip_classes = frozenset({"chapo", "tags-links", "cat-links", "related-posts", "share-links"})
    ad_class = "pub"
