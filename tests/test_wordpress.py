"""The real WordPress the end-to-end tests crawl (tests/wordpress): set up from its model, it answers
as a WordPress in French on Paris time does, through its REST API and its pages."""

from __future__ import annotations

import html
import json
import os
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import Message
from zoneinfo import ZoneInfo

import pytest

from .wordpress import WordPress, missing

PARIS = ZoneInfo("Europe/Paris")


def get(url: str) -> tuple[int, Message, bytes]:
    """Status, headers and body, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def utc(local: str) -> str:
    """The site's local time as WordPress's ``*_gmt`` fields write the instant: UTC, no offset."""
    moment = datetime.fromisoformat(local).replace(tzinfo=PARIS)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def published(model: dict) -> dict[str, dict]:
    return {post["slug"]: post for post in model["posts"] if post.get("status", "publish") == "publish"}


def test_the_api_answers_at_wp_json_with_the_core_namespace(wordpress):
    status, headers, body = get(f"{wordpress.url}/wp-json/")
    index = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert "wp/v2" in index["namespaces"]
    assert (index["name"], index["home"], index["timezone_string"]) == ("tmv", wordpress.url, "Europe/Paris")


def test_the_api_lists_exactly_the_published_posts_with_their_instants_in_utc(wordpress):
    expected = published(wordpress.model)
    status, headers, body = get(f"{wordpress.url}/wp-json/wp/v2/posts?per_page=100&_embed=1")
    posts = {post["slug"]: post for post in json.loads(body)}
    assert status == 200 and (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == (str(len(expected)), "1")
    assert posts.keys() == expected.keys()  # drafts and private posts are not listed, nor pages
    for slug, post in posts.items():
        model = expected[slug]
        assert post["id"] == wordpress.ids["posts"][slug]
        assert post["date_gmt"] == utc(model["date"]), slug
        assert post["modified_gmt"] == utc(model.get("modified", model["date"])), slug
        assert post["link"] == f"{wordpress.url}/article/{slug}/"
        if "excerpt" in model:  # else WordPress makes one from the text
            assert html.unescape(post["excerpt"]["rendered"]) == f"<p>{model['excerpt']}</p>\n"
        author = post["_embedded"]["author"][0]["name"]
        assert author == model.get("author", "admin"), slug
        categories, tags = ([html.unescape(term["name"]) for term in kind] for kind in post["_embedded"]["wp:term"])
        assert categories == sorted(model.get("categories", ["Non classé"]))
        assert tags == sorted(model.get("tags", []))
    changed = posts["festival-aucard-de-tours-la-programmation"]
    assert changed["modified_gmt"] > changed["date_gmt"]


def test_the_model_s_ids_and_featured_image(wordpress):
    status, _, body = get(f"{wordpress.url}/wp-json/wp/v2/posts/46355?_embed=1")
    post = json.loads(body)
    assert status == 200 and wordpress.ids["posts"]["festival-aucard-de-tours-la-programmation"] == 46355
    image = post["_embedded"]["wp:featuredmedia"][0]
    assert post["featured_media"] == wordpress.ids["media"]["festival-aucard-de-tours-la-programmation"]
    assert (image["alt_text"], html.unescape(image["caption"]["rendered"]).strip()) == (
        "La scène",
        "<p>La scène de l’Aucard</p>",
    )  # WordPress curls the apostrophe
    status, headers, body = get(image["source_url"])
    assert (status, headers["Content-Type"], body[:2]) == (200, "image/jpeg", b"\xff\xd8")
    assert "/wp-content/uploads/2024/03/" in image["source_url"]


def test_past_the_last_page_the_api_answers_400(wordpress):
    status, _, body = get(f"{wordpress.url}/wp-json/wp/v2/posts?per_page=100&page=2")
    assert (status, json.loads(body)["code"]) == (400, "rest_post_invalid_page_number")


def test_a_post_s_page_is_french_html_with_its_title_and_the_api_s_link(wordpress):
    status, headers, body = get(f"{wordpress.url}/article/festival-aucard-de-tours-la-programmation/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1" in page and "Festival Aucard de Tours : la programmation</h1>" in page
    assert '<html lang="fr-FR"' in page
    assert f'<{wordpress.url}/wp-json/>; rel="https://api.w.org/"' in headers.get_all("Link")


def test_drafts_and_private_posts_have_no_page_and_pages_are_no_posts(wordpress):
    for post in wordpress.model["posts"]:
        if post.get("status") in ("draft", "private"):
            assert get(f"{wordpress.url}/article/{post['slug']}/")[0] == 404, post["slug"]
    status, _, body = get(f"{wordpress.url}/mentions-legales/")
    assert status == 200 and "Mentions légales" in body.decode("utf-8")
    status, _, body = get(f"{wordpress.url}/wp-json/wp/v2/pages")
    assert [page["slug"] for page in json.loads(body)] == ["mentions-legales"]


def test_stopped_it_leaves_no_process_and_no_file():
    if reason := missing():
        pytest.skip(reason)
    model = {"posts": [{"slug": "seul", "title": "Seul", "date": "2024-01-01 12:00:00"}]}
    with WordPress(model) as site:
        servers = [server.process.pid for server in site.servers]
        assert get(f"{site.url}/article/seul/")[0] == 200
    assert not site.directory.exists()
    for pid in servers:
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
