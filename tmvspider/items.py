"""The article item: the contract of every exported line (see schema/article.schema.json).

Each field is declared once, here, in the contract's order, with what it holds when a
page does not give it (``empty``); the field list, the feeds' column order, the loader's
fields and the empty values all come from this class (tests/test_items.py holds the
shipped JSON Schema against it). Two fields are not exported: ``lastmod`` and ``disagreements``.
"""

import scrapy


class ArticleItem(scrapy.Item):
    """One article page. Every exported field is always present (null or empty when unreadable)."""

    url = scrapy.Field(empty=None)
    post_id = scrapy.Field(empty=None)
    title = scrapy.Field(empty=None)
    lead = scrapy.Field(empty=None)
    author = scrapy.Field(empty=None)
    published_at = scrapy.Field(empty=None)
    modified_at = scrapy.Field(empty=None)
    categories = scrapy.Field(empty=list)
    tags = scrapy.Field(empty=list)
    image = scrapy.Field(empty=None)
    body = scrapy.Field(empty="")
    interview = scrapy.Field(empty=None)
    related = scrapy.Field(empty=list)
    crawled_at = scrapy.Field(empty=None)
    # not exported: the sitemap <lastmod> the page was fetched for, which the dedup pipeline
    # hands to the crawl state with the item's version
    lastmod = scrapy.Field(exported=False)
    # not exported: the fields on which two sources disagree, {field: [source, value, source,
    # value]} (structured data and byline; the API and the page), which ValidationPipeline tells
    disagreements = scrapy.Field(exported=False)


# The exported fields, in the contract's order (Scrapy keeps the declaration order): the feeds
# write these (FEED_EXPORT_FIELDS) and no other.
FIELDS = [name for name, meta in ArticleItem.fields.items() if meta.get("exported", True)]
# An article cannot exist without these (the schema allows them no null): a page where one
# cannot be read is no article, an item where one breaks the schema is dropped.
ESSENTIAL = frozenset({"url", "title", "published_at", "crawled_at"})
LIST_FIELDS = frozenset(name for name in FIELDS if ArticleItem.fields[name]["empty"] is list)


def empty(field: str):
    """What a field holds when it cannot be read: [] for a list, "" for the body, else null."""
    value = ArticleItem.fields[field]["empty"]
    return value() if callable(value) else value


def filled_fields(values: dict) -> list[str]:
    """The exported fields an item has a value for (an interview is null in an ordinary
    article: never counted). What coverage counts, in a run and in the state's history."""
    return [f for f in FIELDS if f != "interview" and values.get(f) not in (None, "", [])]
