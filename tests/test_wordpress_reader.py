"""discovery/wordpress.py: the REST API's reader, on small JSON written here and on the real WordPress."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from scrapy.http import Headers

from tmvspider.discovery import wordpress as wp

from .test_wordpress import get, published

PARIS = ZoneInfo("Europe/Paris")
LINK = "https://tmv.example/article/un-article/"
CONTENT = (
    "<p>Le festival revient en juin avec trente groupes venus de toute la région et d’ailleurs.</p>\n"
    '<p>[nrm_embed]<iframe src="https://x.example/v"></iframe>[/nrm_embed]</p>\n<p>Suite du texte.</p>\n'
)


def post(**fields) -> dict:
    """A post as ``/wp/v2/posts?_embed`` gives it; *fields* replace the defaults."""
    return {
        "id": 7,
        "status": "publish",
        "type": "post",
        "link": LINK,
        "date_gmt": "2024-01-15T09:30:00",
        "modified_gmt": "2024-07-15T09:30:00",
        "title": {"rendered": "Tours &#038; Cie : l&rsquo;&eacute;t&eacute;"},
        "content": {"rendered": CONTENT, "protected": False},
        "excerpt": {"rendered": "<p>Un chapô écrit à la main.</p>\n", "protected": False},
        "_embedded": {
            "author": [{"id": 2, "name": "Aur&eacute;lien Germain"}],
            "wp:term": [
                [{"taxonomy": "category", "name": "Art &amp; Culture"}, {"taxonomy": "category", "name": "Sortir"}],
                [
                    {"taxonomy": "post_tag", "name": "Concert"},
                    {"taxonomy": "post_tag", "name": "concert"},
                    {"taxonomy": "post_tag", "name": "No&euml;l"},
                ],
            ],
            "wp:featuredmedia": [
                {
                    "source_url": "https://tmv.example/a.jpg",
                    "caption": {"rendered": "<p>La sc&egrave;ne (Photo Marie P&eacute;try)</p>\n"},
                }
            ],
        },
        **fields,
    }


def lead(excerpt: str, content: str = CONTENT) -> str | None:
    record = wp.read_post(post(excerpt={"rendered": excerpt}, content={"rendered": content}))
    assert record is not None
    return record["lead"]


# ---------------------------------------------------------------- a post


def test_a_post_becomes_the_project_s_record():
    assert wp.read_post(post()) == {
        "url": LINK,
        "post_id": 7,
        "title": "Tours & Cie : l’été",
        "lead": "Un chapô écrit à la main.",
        "author": "Aurélien Germain",
        "published_at": "2024-01-15T10:30:00+01:00",  # winter
        "modified_at": "2024-07-15T11:30:00+02:00",  # summer
        "categories": ["Art & Culture", "Sortir"],
        "tags": ["Concert", "Noël"],  # folded as the loader folds the pages' tags
        "image": {"url": "https://tmv.example/a.jpg", "caption": "La scène", "credit": "Marie Pétry"},
        "body": "Le festival revient en juin avec trente groupes venus de toute la région et d’ailleurs."
        "\n\nSuite du texte.",  # the shortcode is no text
        "interview": None,
        "related": [],
        "crawled_at": None,
    }


@pytest.mark.parametrize(
    "excerpt",
    [
        # WordPress's own: the text's first words, then its cut mark (entities as the API writes them)
        "<p>Le festival revient en juin avec trente groupes [&hellip;]</p>\n",
        "<p>Le festival revient en juin avec trente groupes&hellip;</p>\n",
        # a short text: the whole of it, shortcodes kept as text, the paragraphs run together
        "<p>Le festival revient en juin avec trente groupes venus de toute la région et d’ailleurs. "
        "[nrm_embed][/nrm_embed] Suite du texte.</p>\n",
        # a theme's "Continue reading" link to the post
        f'<p>Le festival revient en juin&hellip; <a class="more-link" href="{LINK}">Lire la suite</a></p>\n',
        "",
    ],
)
def test_wordpress_s_automatic_excerpt_is_no_lead(excerpt):
    assert lead(excerpt) is None


@pytest.mark.parametrize(
    "excerpt, expected",
    [
        ("<p>Trente groupes, trois jours.</p>\n", "Trente groupes, trois jours."),
        # the text's first sentence chosen by hand: no cut mark, not the whole text
        (
            "<p>Le festival revient en juin avec trente groupes.</p>\n",
            "Le festival revient en juin avec trente groupes.",
        ),
        # words of the text, then words of its own
        ("<p>Le festival revient en juin : on y sera [&hellip;]</p>\n", "Le festival revient en juin : on y sera […]"),
    ],
)
def test_a_hand_written_excerpt_is_the_lead(excerpt, expected):
    assert lead(excerpt) == expected


def test_made_from_text_compares_without_white_space():
    assert wp.made_from_text("Un deux trois […]", "Un\u00a0deux trois quatre")
    assert wp.made_from_text("Un deux", "Un\n\ndeux")
    assert not wp.made_from_text("Un deux", "Un deux trois")
    assert not wp.made_from_text("Un trois […]", "Un deux trois")


def test_the_instants_keep_paris_s_offset_and_the_site_s_wall_clock_serves_without_gmt():
    summer = wp.read_post(post(date_gmt="2023-07-14T20:00:00", modified_gmt=None, modified="2023-12-01T18:05:00"))
    assert summer is not None
    assert (summer["published_at"], summer["modified_at"]) == ("2023-07-14T22:00:00+02:00", "2023-12-01T18:05:00+01:00")
    # a site elsewhere: its wall clock is its own zone's, shown in Paris time as every item is
    abroad = wp.read_post(post(date_gmt=None, date="2024-01-15T09:30:00"), site_timezone="America/New_York")
    assert abroad is not None and abroad["published_at"] == "2024-01-15T15:30:00+01:00"
    unreadable = wp.read_post(post(date_gmt="0000-00-00T00:00:00", date=None))
    assert unreadable is not None and unreadable["published_at"] is None


def test_without_embeds_or_with_a_closed_users_route_the_fields_are_empty():
    bare = wp.read_post(post(_embedded=None))
    assert bare is not None
    assert (bare["author"], bare["categories"], bare["tags"], bare["image"]) == (None, [], [], None)
    closed = wp.read_post(
        post(
            _embedded={"author": [{"code": "rest_user_cannot_view", "data": {"status": 401}}], "wp:featuredmedia": [{}]}
        )
    )
    assert closed is not None and (closed["author"], closed["image"]) == (None, None)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "draft"},
        {"status": "private"},
        {"type": "page"},
        {"type": "attachment"},
        {"content": {"rendered": "", "protected": True}},  # password-protected: its text is not public
        {"status": None},
    ],
)
def test_what_is_no_public_post_is_no_record(change):
    assert wp.read_post(post(**change)) is None


# ---------------------------------------------------------------- finding the API and walking the listing


def test_the_api_root_from_a_header_or_a_page():
    header = '<https://tmv.example/wp-json/>; rel="https://api.w.org/", <https://tmv.example/?p=7>; rel=shortlink'
    assert wp.api_root(Headers({"Link": header})) == "https://tmv.example/wp-json/"
    assert wp.api_root({"link": header}) == "https://tmv.example/wp-json/"
    page = b'<html><head><link rel="https://api.w.org/" href="/wp-json/"></head><body></body></html>'
    assert wp.api_root({}, page, base="https://tmv.example/article/x/") == "https://tmv.example/wp-json/"
    assert wp.api_root({"Link": '<https://tmv.example/?p=7>; rel="shortlink"'}, b"<p>rien</p>") is None


def test_namespaces_from_the_index_and_nothing_from_what_is_not_wordpress_s():
    assert wp.namespaces(b'{"name": "tmv", "namespaces": ["oembed/1.0", "wp/v2", "ampize/v1"]}') == [
        "oembed/1.0",
        "wp/v2",
        "ampize/v1",
    ]
    for other in (b"<html>", b"[]", b'{"namespaces": "wp/v2"}', {}):
        assert wp.namespaces(other) == []


def test_the_posts_url_with_pretty_permalinks_or_rest_route():
    assert wp.posts_url("https://tmv.example/wp-json/", 2, 50) == (
        "https://tmv.example/wp-json/wp/v2/posts?per_page=50&page=2&_embed=author%2Cwp%3Aterm%2Cwp%3Afeaturedmedia"
    )
    since = datetime(2024, 6, 1, 9, 15, tzinfo=PARIS)
    assert wp.posts_url("https://tmv.example/?rest_route=/", modified_after=since) == (
        "https://tmv.example/?rest_route=%2Fwp%2Fv2%2Fposts&per_page=100&page=1"
        "&_embed=author%2Cwp%3Aterm%2Cwp%3Afeaturedmedia&modified_after=2024-06-01T07%3A15%3A00Z&orderby=modified"
    )


def test_an_archived_address_is_told_to_be_the_api_s_listing_and_its_page():
    from tmvspider.discovery import ampize

    since = datetime(2024, 6, 1, tzinfo=PARIS)
    for root in ("https://tmv.example/wp-json/", "https://tmv.example/?rest_route=/"):
        assert wp.route_params(wp.posts_url(root, 3, modified_after=since), wp.POSTS_ROUTE)["page"] == "3"
        assert wp.route_params(ampize.items_url(root, 200), ampize.ITEMS_ROUTE)["start"] == "200"
        assert wp.route_params(wp.posts_url(root), ampize.ITEMS_ROUTE) is None
        assert wp.route_params(ampize.site_url(root), wp.POSTS_ROUTE) is None
    assert wp.route_params("https://tmv.example/article/wp/v2/", wp.POSTS_ROUTE) is None
    # the posts a listing names, without reading them; nothing from what is no listing
    assert wp.listed_posts(b'[{"id": 7, "link": "https://tmv.example/article/a/"}, {"id": 8}, "x"]') == [
        ("7", "https://tmv.example/article/a/"),
        ("8", None),
    ]
    assert wp.listed_posts(b'{"code": "rest_forbidden"}') is None and wp.listed_posts(b"<html>") is None
    assert ampize.listed_items(b'{"items": [{"id": 7, "url": "https://tmv.example/a/"}], "numItems": 1}') == [
        ("7", "https://tmv.example/a/")
    ]
    assert ampize.listed_items(b'{"items": null, "numItems": 1}') == [] and ampize.listed_items(b"[]") is None


def test_the_next_page_from_the_total_or_a_next_link():
    total = Message()
    total["X-WP-TotalPages"] = "3"
    assert [wp.next_page(total, page) for page in (1, 2, 3)] == [2, 3, None]
    assert wp.next_page({"Link": '<https://tmv.example/wp-json/wp/v2/posts?page=2>; rel="next"'}, 1) == 2
    assert wp.next_page({}, 1) is None


def test_past_the_last_page_is_the_end_and_other_errors_are_not():
    end = b'{"code":"rest_post_invalid_page_number","message":"Le nombre de pages demand\\u00e9 est plus grand que le nombre de pages disponible.","data":{"status":400}}'
    assert wp.past_last_page(400, end)
    assert not wp.past_last_page(400, b'{"code":"rest_invalid_param"}')
    assert not wp.past_last_page(404, end)
    assert not wp.past_last_page(400, b"<html>Bad Request</html>")


# ---------------------------------------------------------------- the real WordPress


def curled(model_text: str) -> str:
    """A model's text as WordPress shows it: its entities decoded, its apostrophes curled."""
    return html.unescape(model_text).replace("'", "’")


def model_body(content: str) -> str:
    """The model's paragraphs as plain text: shortcodes and tags gone, empty ones left out."""
    paragraphs = (re.sub(r"\[(\w+)\].*?\[/\1\]|<[^>]+>", "", p) for p in re.findall(r"<p[^>]*>(.*?)</p>", content))
    return "\n\n".join(curled(p) for p in paragraphs if p.strip())


def paris(local: str) -> str:
    return datetime.fromisoformat(local).replace(tzinfo=PARIS).isoformat(timespec="seconds")


def expected_record(site, model: dict) -> dict:
    slug, date = model["slug"], model["date"]
    image = None
    if "image" in model:
        caption, _, credit = model["image"]["caption"].partition(" (Photo ")
        folder = date[:7].replace("-", "/")
        url = f"{site.url}/wp-content/uploads/{folder}/{slug}.jpg"
        image = {"url": url, "caption": curled(caption), "credit": credit.rstrip(")") or None}
    return {
        "url": f"{site.url}/article/{slug}/",
        "post_id": site.ids["posts"][slug],
        "title": curled(model["title"]),
        "lead": model.get("excerpt"),
        "author": model.get("author", "admin"),
        "published_at": paris(date),
        "modified_at": paris(model["modified"]) if "modified" in model else None,  # never edited: none
        "categories": sorted(model.get("categories", ["Non classé"])),  # the API lists terms by name
        "tags": sorted(model.get("tags", [])),
        "image": image,
        "body": model_body(model["content"]),
        "related": [],
        "crawled_at": None,
    }


def walk(root: str, **query) -> tuple[list[dict], list[int]]:
    """Every post of the listing, page after page as next_page says, and the statuses seen."""
    posts, statuses, page = [], [], 1
    while True:
        status, headers, body = get(wp.posts_url(root, page, per_page=3, **query))
        statuses.append(status)
        assert status == 200, body[:200]
        posts += json.loads(body)
        following = wp.next_page(headers, page)
        if following is None:
            status, _, body = get(wp.posts_url(root, page + 1, per_page=3, **query))
            statuses.append(status)
            assert wp.past_last_page(status, body)  # one more page is the end, no failure
            return posts, statuses
        page = following


def test_every_published_post_of_a_real_wordpress_read_through_its_api(wordpress):
    status, headers, page = get(f"{wordpress.url}/")
    root = wp.api_root(headers, page)
    assert status == 200 and root == f"{wordpress.url}/wp-json/"
    assert "wp/v2" in wp.namespaces(get(root)[2])

    posts, statuses = walk(root)
    records = {record["url"]: record for record in map(wp.read_post, posts) if record}
    models = published(wordpress.model)
    assert len(statuses) == -(-len(models) // 3) + 1 and statuses[-1] == 400  # every page, then the 400
    assert len(records) == len(posts) == len(models)  # each post once; drafts and private ones absent
    for slug, model in models.items():
        record = records.pop(f"{wordpress.url}/article/{slug}/")
        interview = record.pop("interview")
        assert record == expected_record(wordpress, model), slug
        if slug == "rencontre-avec-la-cheffe-du-bistrot-d-en-face":
            assert interview["interviewer"] == "Elisabeth Segard"
            assert [qa["question"] for qa in interview["qa"]] == [
                "Comment est né le Bistrot d’en face ?",
                "Et demain ?",
            ]
        else:
            assert interview is None, slug
    # the automatic excerpts, cut ("[…]") or whole, were told from the hand-written ones
    assert any(p["excerpt"]["rendered"].rstrip().endswith("[&hellip;]</p>") for p in posts)
    pages = json.loads(get(f"{root}wp/v2/pages")[2])
    assert pages and [wp.read_post(page) for page in pages] == [None] * len(pages)


def test_an_incremental_walk_asks_only_for_what_changed(wordpress):
    since = datetime.fromisoformat("2024-06-01 09:15:00").replace(tzinfo=PARIS) - timedelta(seconds=1)
    posts, _ = walk(f"{wordpress.url}/wp-json/", modified_after=since)
    changed = {
        slug
        for slug, model in published(wordpress.model).items()
        if datetime.fromisoformat(model.get("modified", model["date"])).replace(tzinfo=PARIS) > since
    }
    assert len(changed) == 3 and [post["slug"] for post in posts] == sorted(
        changed,
        key=lambda slug: published(wordpress.model)[slug].get("modified", published(wordpress.model)[slug]["date"]),
        reverse=True,
    )
