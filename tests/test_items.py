"""The item declared once (items.py) and the shipped JSON Schema say the same thing."""

from jsonschema import Draft202012Validator

from tmvspider.items import FIELDS, LIST_FIELDS, ArticleItem, empty
from tmvspider.loaders import ArticleLoader
from tmvspider.pipelines import ESSENTIAL, load_schema


def test_the_schema_and_the_item_name_the_same_fields_in_the_same_order():
    schema = load_schema()
    assert list(schema["properties"]) == FIELDS
    assert list(ArticleItem.fields) == [*FIELDS, "lastmod", "disagreements"]  # the fields the feeds leave out
    assert schema["required"] == FIELDS


def test_each_empty_value_is_what_the_schema_allows_for_the_field():
    validator = Draft202012Validator(load_schema())
    article = {
        **{field: empty(field) for field in FIELDS},
        "url": "https://www.tmvtours.fr/article/a",
        "title": "Un titre",
        "published_at": "2015-01-29T10:50:11+01:00",
        "crawled_at": "2026-11-27T03:00:00Z",
    }
    assert set(FIELDS) - set(article) == set() and set(FIELDS) >= ESSENTIAL
    assert list(validator.iter_errors(article)) == []  # every other field empty: still a valid line
    assert {"categories", "tags", "related"} == LIST_FIELDS and empty("body") == ""
    assert empty("tags") is not empty("tags")  # a fresh list each time


def test_the_loader_fills_every_field():
    item = ArticleLoader().load_item()
    assert list(item) == FIELDS  # every field, in the contract's order
    assert {field: item[field] for field in FIELDS} == {field: empty(field) for field in FIELDS}
