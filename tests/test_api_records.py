"""The Ampize plugin's items as records (discovery/ampize.py), and a record held against its page
(crosscheck.py): small JSON written here, shaped as the plugin's public code writes it."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from tmvspider.crosscheck import combine
from tmvspider.discovery import ampize

PARIS = ZoneInfo("Europe/Paris")
BODY = "<p>Le festival revient en juin.</p>\n<p>[nrm_embed]<iframe src='https://x.example/v'></iframe>[/nrm_embed]</p>"


def item(**fields) -> dict:
    return {
        "id": 46355,
        "headline": "Festival Aucard de Tours : la programmation",
        "description": "Trente groupes en juin.",
        "excerpt": "Trente groupes en juin.",
        "image": "https://tmv.example/wp-content/uploads/2024/03/aucard.jpg",
        "thumbnail": None,
        "body": BODY,
        "authorName": "Aurélien Germain",
        "datePublished": "2024-03-26T07:27:07+0000",  # 07:27:07 Paris time, labelled UTC
        "dateModified": "2024-07-14T10:48:38+0000",
        "categories": [{"name": "Sortir", "filter": "category", "value": "sortir"}],
        "tags": [{"name": "Concert", "filter": "post_tag", "value": "concert"}],
        "url": "https://tmv.example/article/festival-aucard/",
        "urlSegment": "/article/festival-aucard/",
        **fields,
    }


def test_an_item_s_dates_are_paris_wall_clock_whatever_their_label():
    record = ampize.read_item(item(), PARIS)
    assert record is not None
    assert (record["published_at"], record["modified_at"]) == ("2024-03-26T07:27:07+01:00", "2024-07-14T10:48:38+02:00")
    assert record["post_id"] == 46355 and record["author"] == "Aurélien Germain"
    assert (record["categories"], record["tags"]) == (["Sortir"], ["Concert"])
    assert record["lead"] == "Trente groupes en juin."
    assert record["body"] == "Le festival revient en juin."  # the shortcode is no text
    assert record["image"] == {"url": item()["image"], "caption": None, "credit": None}


def test_no_description_is_no_lead_and_null_terms_are_none():
    record = ampize.read_item(item(description=None, categories=None, tags=None, image=None), PARIS)
    assert record is not None
    assert (record["lead"], record["categories"], record["tags"], record["image"]) == (None, [], [], None)
    assert ampize.read_item(item(headline=""), PARIS) is None and ampize.read_item(item(id=None), PARIS) is None


def test_the_listing_its_end_and_the_site_s_zone():
    page = {"numItems": 3, "numPages": 1, "pageSize": 2, "currentPage": 1, "items": [item(), item(id=2)]}
    items, total = ampize.read_items(json.dumps(page))
    assert (len(items), total) == (2, 3) and ampize.next_start(0, 2, total) == 2
    assert ampize.next_start(2, 1, 3) is None and ampize.next_start(4, 0, 3) is None
    assert ampize.read_items(json.dumps({**page, "items": None})) == ([], 3)  # past the last item
    assert ampize.read_items(b"<html>") is None and ampize.read_items(b"[]") is None
    assert ampize.site_zone(b'{"timeZone": "Europe/Paris"}') == PARIS
    assert ampize.site_zone(b'{"timeZone": "+01:00"}') is None  # an offset says nothing of summer time
    assert ampize.items_url("https://tmv.example/wp-json/", 200) == (
        "https://tmv.example/wp-json/ampize/v1/items?start=200&limit=100"
    )
    assert ampize.related_urls({"relatedPosts": [item(), {"id": 3}]}) == [item()["url"]]


def test_the_record_wins_the_page_fills_and_a_difference_is_told():
    record = ampize.read_item(item(authorName=None), PARIS)
    assert record is not None
    page = {
        **record,
        "url": "https://www.tmv.example/article/festival-aucard",  # the page's canonical
        "author": "Aurélien Germain",  # the API hid it
        "published_at": "2024-03-26T08:27:07+01:00",  # the mislabelled JSON-LD, taken as UTC
        "tags": ["concert"],  # the same term, another case
        "image": {"url": record["image"]["url"], "caption": "La scène", "credit": "Marie Pétry"},
        "related": ["https://www.tmv.example/article/autre"],
        "crawled_at": "2026-12-07T08:00:00Z",
    }
    article, disagreements = combine(record, page)
    assert article["published_at"] == "2024-03-26T07:27:07+01:00"  # the API's instant
    assert (article["url"], article["related"], article["author"]) == (page["url"], page["related"], page["author"])
    assert article["image"] == page["image"]  # the same image: the page's caption and credit
    assert disagreements == {"published_at": ["the API", record["published_at"], "the page", page["published_at"]]}
    alone, none = combine(record, None)
    assert alone["related"] == [] and alone["url"] == record["url"] and none == {}
