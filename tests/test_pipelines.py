"""The validation pipeline on items extracted from saved pages: a field that breaks the
schema is exported empty and counted; an article without its url, title or date is dropped."""

from __future__ import annotations

import copy
import json

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector

from tmvspider.parsers import parse_article
from tmvspider.pipelines import ValidationPipeline

from .test_parsers import saved


class _Crawler:
    def __init__(self):
        from scrapy.settings import Settings

        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)


@pytest.fixture
def pipeline():
    return ValidationPipeline.from_crawler(_Crawler())


@pytest.fixture
def interview():
    """The item of a saved interview page, as the parser gives it."""
    return parse_article(saved("current-strong-interview-no-interviewer")[0])


def test_a_valid_item_passes_unchanged(pipeline, interview):
    before = copy.deepcopy(dict(interview))
    assert dict(pipeline.process_item(interview)) == before
    assert not [k for k in pipeline.stats.get_stats() if k.startswith("tmv/invalid")]


def test_a_field_that_breaks_the_schema_is_exported_empty_and_counted(pipeline, interview, caplog):
    tags = list(interview["tags"])
    interview["interview"]["qa"][1]["question"] = "Qui sont vos clients ? »"
    interview["tags"].insert(1, "")
    interview["related"] = "https://www.tmvtours.fr/article/x/"  # a string, not a list
    kept = pipeline.process_item(interview)
    # the bad entry leaves its list, the other bad fields are exported empty; the rest stays
    assert kept["interview"] is None and kept["tags"] == tags and kept["related"] == []
    assert kept["title"] == "Culture : le Sanitas ouvre un atelier pour les enfants" and kept["body"]
    stats = pipeline.stats.get_stats()
    assert stats["tmv/invalid/interview"] == stats["tmv/invalid/tags"] == stats["tmv/invalid/related"] == 1
    assert "tmv/invalid" not in stats
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 3 and all(kept["url"] in w and "left out" in w for w in warnings)


@pytest.mark.parametrize(
    "field, value",
    [
        ("published_at", "2014-10-02T00:18:23"),
        ("title", ""),
        ("url", "ftp://www.tmvtours.fr/article/x/"),
        ("crawled_at", None),
    ],
)
def test_an_article_without_its_url_title_or_dates_is_dropped(pipeline, interview, field, value):
    interview[field] = value
    with pytest.raises(DropItem, match=field):
        pipeline.process_item(interview)
    assert pipeline.stats.get_value("tmv/invalid") == 1


def test_the_feed_lines_are_scrapy_s_own_json_lines():
    """The project's exporter (one json.dumps a line) writes what Scrapy's JsonLinesItemExporter writes."""
    from io import BytesIO

    from scrapy.exporters import JsonLinesItemExporter

    from tmvspider.feedstorage import JsonLinesExporter
    from tmvspider.items import FIELDS, ArticleItem, empty

    item = ArticleItem(
        {f: empty(f) for f in FIELDS},
        url="https://www.tmvtours.fr/article/été",
        title="L'été « à Tours »",
        tags=["été", "tour(s) plus"],
        image={"url": "https://x/a.jpg", "caption": None, "credit": "B.R."},
        post_id=20417,
    )
    ours, theirs = BytesIO(), BytesIO()
    for exporter_class, out in ((JsonLinesExporter, ours), (JsonLinesItemExporter, theirs)):
        exporter = exporter_class(out, encoding="utf-8", fields_to_export=FIELDS)
        exporter.export_item(item)
    assert ours.getvalue() == theirs.getvalue() and "été".encode() in ours.getvalue()


def test_the_sitemap_lastmod_an_item_carries_is_neither_validated_nor_exported(pipeline, interview):
    """The spider hands the dedup pipeline the lastmod a page was fetched for on the item."""
    from io import BytesIO

    from tmvspider.feedstorage import JsonLinesExporter
    from tmvspider.items import FIELDS

    interview["lastmod"] = "2030-01-01T00:00:00+00:00"
    kept = pipeline.process_item(interview)
    assert kept["lastmod"] and not [k for k in pipeline.stats.get_stats() if k.startswith("tmv/invalid")]
    out = BytesIO()
    JsonLinesExporter(out, encoding="utf-8", fields_to_export=FIELDS).export_item(kept)  # FEED_EXPORT_FIELDS
    assert list(json.loads(out.getvalue())) == FIELDS


def test_a_date_disagreement_is_one_warning_and_counted(pipeline, caplog):
    """The page's JSON-LD two hours off its byline: told with the URL, the field and both values."""
    item = parse_article(saved("amp-json-ld-disagrees")[0])
    pipeline.process_item(item)
    pipeline.process_item(parse_article(saved("amp-json-ld-mislabelled")[0]))  # www's mislabel: no disagreement
    stats = pipeline.stats.get_stats()
    assert stats["tmv/disagree/published_at"] == 1 and "tmv/disagree/modified_at" not in stats
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert item["url"] in warning and "published_at" in warning
    assert "2015-03-11T02:10:01+01:00" in warning and "2015-03-11T00:10:01+01:00" in warning
