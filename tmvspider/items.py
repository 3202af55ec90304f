"""The article item: the contract of every exported line (see schema/article.schema.json)."""

import scrapy

# The order of the item contract; the feeds write the fields in this order (FEED_EXPORT_FIELDS).
FIELDS = [
    "url", "post_id", "title", "lead", "author", "published_at", "modified_at",
    "categories", "tags", "image", "body", "interview", "related", "crawled_at",
]


LIST_FIELDS = {"categories", "tags", "related"}


def empty(field: str):
    """What a field holds when it cannot be read: [] for a list, "" for the body, else null."""
    return [] if field in LIST_FIELDS else "" if field == "body" else None


class ArticleItem(scrapy.Item):
    """One article page. Every field is always present (null or empty when unreadable)."""

    url = scrapy.Field()
    post_id = scrapy.Field()
    title = scrapy.Field()
    lead = scrapy.Field()
    author = scrapy.Field()
    published_at = scrapy.Field()
    modified_at = scrapy.Field()
    categories = scrapy.Field()
    tags = scrapy.Field()
    image = scrapy.Field()
    body = scrapy.Field()
    interview = scrapy.Field()
    related = scrapy.Field()
    crawled_at = scrapy.Field()
