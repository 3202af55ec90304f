"""An article from the CMS's record (its API) and from its page, held against each other.

The record is the CMS's own data and wins (instants to the second, ids, terms as filed); the
page fills what the record lacks (``related``, which only the page shows; an author when the
API hides its users) and gives the canonical ``url``. A field both give, differently, is a
disagreement: the spider exports the record's value, the validation pipeline logs and counts it.
"""

from __future__ import annotations

import re
from datetime import datetime

from .items import FIELDS, empty

API, PAGE = "the API", "the page"
_SIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")
# what only the page gives, or the page says better: not held against the record
_PAGE_ONLY = frozenset({"url", "related", "crawled_at"})


def _instant(value: str):
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _words(value) -> str:
    return " ".join(str(value).split()).casefold()


def _comparable(field: str, value):
    """*value* as two sources can be held to agree: instants as instants, terms as a set of
    folded names, text without white space differences, an image by its address."""
    if field in ("published_at", "modified_at"):
        return _instant(value)
    if field in ("categories", "tags"):
        return frozenset(map(_words, value))
    if field == "image":  # the original beside a theme's resized copy (-1024x683.jpg) is one image
        return _SIZED.sub("", value.get("url") or "")
    if field == "interview":
        return [(_words(pair.get("question")), _words(pair.get("answer"))) for pair in value.get("qa", [])]
    if isinstance(value, str):
        return _words(value)
    return value


def given(value) -> bool:
    """Whether a source gave a value at all (an empty list, text or None is none)."""
    return value not in (None, "", [])


def same(field: str, record_value, page_value) -> bool:
    return _comparable(field, record_value) == _comparable(field, page_value)


def combine(record: dict, page: dict | None) -> tuple[dict, dict[str, list]]:
    """(the article, its disagreements ``{field: [source, value, source, value]}``) from the API's
    *record* and the item read from its *page* (None: the record alone, ``related`` empty)."""
    if page is None:
        return {**record, "related": empty("related")}, {}
    article = dict(record)
    disagreements: dict[str, list] = {}
    for field in FIELDS:
        said, shown = record.get(field), page.get(field)
        if field in _PAGE_ONLY:
            article[field] = shown if given(shown) else said
        elif said is None or not given(said):
            article[field] = shown
        elif field == "image" and shown and shown.get("url") == said.get("url"):
            article[field] = {**shown, **{k: v for k, v in said.items() if v}}  # the page's caption, credit
        elif given(shown) and not same(field, said, shown):
            disagreements[field] = [API, said, PAGE, shown]
    return article, disagreements
