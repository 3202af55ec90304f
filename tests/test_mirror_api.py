"""The mirror's JSON APIs (tmvmirror/api.py): WordPress's wp/v2 posts and the Ampize plugin's
ampize/v1, over HTTP, read back by the crawler's own reader of the API."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from tmvmirror import ROOT, MirrorServer, Site, build_site
from tmvmirror.api_records import texturized
from tmvmirror.faults import Fault
from tmvmirror.model import PARIS
from tmvspider.discovery import ampize, wordpress as wp

from .test_wordpress import get

N = 40
HEAD_LINKS = re.compile(
    rb'<link rel="https://api.w.org/"[^>]*>\n(?:<link rel="alternate" type="application/json"[^>]*>\n)?'
)
BOTH = ("wp/v2", "ampize/v1")


@pytest.fixture(scope="module")
def site():
    return build_site(N, seed=1, api=BOTH)


@pytest.fixture(scope="module")
def server(site):
    with MirrorServer(site) as running:
        yield running


def json_of(server, path: str) -> tuple[int, dict, object]:
    status, headers, body = get(server.root + path)
    assert headers["Content-Type"] == "application/json; charset=UTF-8", path
    return status, headers, json.loads(body)


def newest_first(site: Site) -> list:
    return sorted(site.articles, key=lambda a: a.published, reverse=True)


def test_the_index_names_the_served_namespaces(server, site):
    for path in ("/wp-json/", "/wp-json"):
        status, headers, index = json_of(server, path)
        assert status == 200 and index["timezone_string"] == "Europe/Paris" and index["home"] == server.root
        assert sorted(wp.namespaces(json.dumps(index))) == sorted([*BOTH, "oembed/1.0"])
        assert "/wp/v2/posts" in index["routes"] and "/ampize/v1/items" in index["routes"]
    _, _, body = get(server.root + "/wp-json/")
    assert b'"home":"http:\\/\\/127.0.0.1:' in body  # WordPress's JSON: "/" written "\/", no spaces
    status, _, missing = json_of(server, "/wp-json/wp/v3/posts")
    assert status == 404 and missing == {
        "code": "rest_no_route",
        "message": missing["message"],
        "data": {"status": 404},
    }
    ampize_only = build_site(N, seed=1, api=("ampize/v1",))
    with MirrorServer(ampize_only) as other:
        assert wp.namespaces(get(other.root + "/wp-json/")[2]) == ["oembed/1.0", "ampize/v1"]
        assert json_of(other, "/wp-json/wp/v2/posts")[0] == 404
        assert json_of(other, "/wp-json/ampize/v1/items")[0] == 200


def test_every_page_announces_the_api(server, site):
    api = server.root + "/wp-json/"
    status, headers, _ = get(server.root + "/")
    assert status == 200 and wp.api_root(headers) == api
    assert wp.api_root(get(server.root + "/pas-une-page/")[1]) == api  # the 404 too
    seed = next(a for a in site.articles if a.is_seed)
    status, headers, body = get(server.root + seed.path)
    assert status == 200 and wp.api_root({}, body, server.root) == api  # the article's head names it as well
    assert f'href="{api}wp/v2/posts/{seed.post_id}"'.encode() in body
    _, headers, _ = get(server.root + "/robots.txt")
    assert wp.api_root(headers) is None  # not on what is no HTML page


def test_the_posts_come_page_by_page_newest_first(server, site):
    seen, page, statuses = [], 1, []
    while page is not None:
        url = wp.posts_url(server.root + "/wp-json/", page, per_page=15)
        status, headers, body = get(url)
        statuses.append(status)
        assert headers["X-WP-Total"] == str(N) and headers["X-WP-TotalPages"] == "3"
        asked = dict(parse_qsl(urlsplit(url).query))
        pager = {
            rel: dict(parse_qsl(urlsplit(link).query)) for rel in ("prev", "next") for link in wp.links(headers, rel)
        }
        assert set(pager) == {rel for rel, there in (("prev", page > 1), ("next", page < 3)) if there}
        for rel, query in pager.items():  # the other parameters kept, the page moved
            assert query == {**asked, "page": str(page - 1 if rel == "prev" else page + 1)}
        seen += json.loads(body)
        page = wp.next_page(headers, page)
    assert statuses == [200, 200, 200] and [len(p) for p in (seen[:15], seen[15:30], seen[30:])] == [15, 15, 10]
    assert [post["id"] for post in seen] == [a.post_id for a in newest_first(site)]
    assert len(json_of(server, "/wp-json/wp/v2/posts")[2]) == 10  # per_page's default


def test_past_the_last_page_and_out_of_range_parameters_are_400(server):
    status, _, body = get(wp.posts_url(server.root + "/wp-json/", 4, per_page=15))
    assert status == 400 and wp.past_last_page(status, body)
    for query in ("per_page=101", "per_page=0", "per_page=dix", "page=0", "orderby=hasard", "modified_after=hier"):
        status, _, error = json_of(server, "/wp-json/wp/v2/posts?" + query)
        assert status == 400 and error["code"] == "rest_invalid_param", query
        assert list(error["data"]["params"]) == [query.split("=")[0]] and error["data"]["status"] == 400
    for page in (1, 2):  # nothing to list: WordPress answers an empty page, not the 400
        status, headers, posts = json_of(server, f"/wp-json/wp/v2/posts?after=2030-01-01T00:00:00&page={page}")
        assert (status, posts, headers["X-WP-Total"], headers["X-WP-TotalPages"]) == (200, [], "0", "0")


def test_modified_after_gives_exactly_the_articles_changed_since(tmp_path):
    site = build_site(N, seed=1, modified=5, api=("wp/v2",))
    with MirrorServer(site) as server:
        root = server.root + "/wp-json/"
        since = datetime(2017, 1, 1, tzinfo=PARIS)
        posts = json.loads(get(wp.posts_url(root, 1, modified_after=since))[2])
        changed = sorted((a for a in site.articles if a.modified and a.modified > since), key=lambda a: a.modified)
        assert len(changed) == 5 and [p["id"] for p in posts] == [a.post_id for a in reversed(changed)]
        # strictly after the instant, whatever offset writes it
        first = changed[0].modified
        for written in (first.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), first.astimezone(PARIS).isoformat()):
            query = "orderby=modified&modified_after=" + written.replace("+", "%2B")
            later = json_of(server, "/wp-json/wp/v2/posts?per_page=100&" + query)[2]
            assert [p["id"] for p in later] == [a.post_id for a in reversed(changed[1:])], written
        naive = (first - timedelta(seconds=1)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M:%S")  # the site's clock
        assert len(json_of(server, "/wp-json/wp/v2/posts?modified_after=" + naive)[2]) == 5


def test_orderby_modified_in_both_orders(server, site):
    def modified(a):
        return a.modified or a.published

    ids = [a.post_id for a in sorted(site.articles, key=modified, reverse=True)]
    assert [p["id"] for p in json_of(server, "/wp-json/wp/v2/posts?per_page=100&orderby=modified")[2]] == ids
    ascending = json_of(server, "/wp-json/wp/v2/posts?per_page=100&orderby=modified&order=asc")[2]
    assert [p["id"] for p in ascending] == ids[::-1]
    stamps = [p["modified_gmt"] for p in ascending]
    assert stamps == sorted(stamps)


def test_embed_gives_author_terms_and_image(server, site):
    seed = next(a for a in site.articles if a.is_seed)
    status, headers, post = json_of(server, f"/wp-json/wp/v2/posts/{seed.post_id}?_embed")
    assert status == 200 and "X-WP-Total" not in headers
    embedded = post["_embedded"]
    assert set(embedded) == {"author", "wp:term", "wp:featuredmedia"}
    (author,) = embedded["author"]
    assert {author["name"], author["slug"]} == {"tmv"} and author["id"] == post["author"]
    assert author["link"] == f"{server.root}/article/author/tmv/"
    categories, tags = embedded["wp:term"]
    assert [(t["name"], t["taxonomy"], t["slug"]) for t in categories] == [("News", "category", "news")]
    assert [t["id"] for t in categories] == post["categories"] and [t["id"] for t in tags] == post["tags"]
    assert {t["taxonomy"] for t in tags} == {"post_tag"} and len(tags) == 11
    (media,) = embedded["wp:featuredmedia"]
    assert media["id"] == post["featured_media"] and media["source_url"] == seed.image.url.replace(ROOT, server.root)
    assert media["caption"]["rendered"] == (
        "<p>Les anciennes imprimeries Mame vont devenir l&#8217;emblème de la candidature tourangelle au label."
        " (Photo cabinet Franklin Azzi)</p>\n"
    )
    assert post["date"] == "2015-01-29T10:50:11" and post["date_gmt"] == "2015-01-29T09:50:11"
    assert post["excerpt"]["rendered"].startswith("<p>Valérie Sécheret coordonne l&#8217;initiative")
    assert post["link"] == server.root + seed.path and post["status"] == "publish" and post["type"] == "post"
    only = json_of(server, f"/wp-json/wp/v2/posts/{seed.post_id}?_embed=author")[2]
    assert set(only["_embedded"]) == {"author"}
    assert "_embedded" not in json_of(server, f"/wp-json/wp/v2/posts/{seed.post_id}")[2]
    fields = json_of(server, f"/wp-json/wp/v2/posts/{seed.post_id}?_fields=id,title.rendered")[2]
    assert fields == {"id": seed.post_id, "title": {"rendered": "Tour(s) plus candidate au label French tech"}}
    status, _, error = json_of(server, "/wp-json/wp/v2/posts/7")
    assert status == 404 and error["code"] == "rest_post_invalid_id"
    assert json_of(server, f"/?rest_route=/wp/v2/posts/{seed.post_id}")[2]["id"] == seed.post_id


def test_rendered_fields_write_typography_as_wordpress_does():
    assert texturized("Tours & l’été… « Loire »") == "Tours &#038; l&#8217;été&#8230; « Loire »"


def test_ampize_items_window_and_dates_labelled_utc(server, site):
    status, _, first = json_of(server, "/wp-json/ampize/v1/items")
    assert status == 200 and {k: first[k] for k in ("numItems", "numPages", "pageSize", "currentPage")} == {
        "numItems": N,
        "numPages": 4,
        "pageSize": 10,
        "currentPage": 1,
    }
    ids = []
    for start in range(0, N, 10):  # the plugin ignores orderby: date order whatever is asked
        answer = json_of(server, f"/wp-json/ampize/v1/items?start={start}&limit=10&orderby=title")[2]
        assert answer["currentPage"] == start // 10 + 1
        ids += [item["id"] for item in answer["items"]]
    assert ids == [a.post_id for a in newest_first(site)]
    window = json_of(server, "/wp-json/ampize/v1/items?start=5&limit=3")[2]
    assert [i["id"] for i in window["items"]] == ids[5:8] and (window["pageSize"], window["currentPage"]) == (4, 2)
    assert json_of(server, f"/wp-json/ampize/v1/items?start={N}")[2]["items"] is None
    by_id = {a.post_id: a for a in site.articles}
    for item in first["items"]:
        a = by_id[item["id"]]
        wall = a.published.astimezone(PARIS)
        assert item["datePublished"] == wall.strftime("%Y-%m-%dT%H:%M:%S") + "+0000"  # Paris time, labelled UTC
        assert datetime.fromisoformat(item["datePublished"]) - a.published == wall.utcoffset()
        assert item["headline"] == a.title and item["description"] == a.lead
        assert item["url"] == server.root + a.path and item["urlSegment"] == a.path
        assert (item["tags"] is None) if not a.tag_links else ({t["filter"] for t in item["tags"]} == {"post_tag"})
    seed = next(a for a in site.articles if a.is_seed)
    item = json_of(server, f"/wp-json/ampize/v1/item/{seed.post_id}")[2]
    assert [r["id"] for r in item["relatedPosts"]] == [site.truth["post_ids"][slug] for slug in seed.related]
    post = json_of(server, f"/wp-json/wp/v2/posts/{seed.post_id}")[2]
    assert item["body"] == post["content"]["rendered"] and item["categories"] == [
        {"name": "News", "filter": "category", "value": "news"}
    ]
    status, _, nothing = json_of(server, "/wp-json/ampize/v1/item/7")
    assert (status, nothing) == (200, None)  # the plugin's answer for an unknown id
    site_info = json_of(server, "/wp-json/ampize/v1/site")[2]
    assert site_info["timeZone"] == "Europe/Paris" and site_info["language"] == "fr-FR"


def test_a_closed_users_route_leaves_posts_without_author():
    site = build_site(N, seed=1, api=("wp/v2",), users_closed=True)
    with MirrorServer(site) as server:
        posts = json.loads(get(wp.posts_url(server.root + "/wp-json/", 1))[2])
        authored = [p for p in posts if p["author"]]
        assert authored and all(p["_embedded"]["author"][0]["data"]["status"] == 401 for p in authored)
        assert {wp.read_post(p)["author"] for p in posts} == {None}
        status, _, error = json_of(server, f"/wp-json/wp/v2/users/{authored[0]['author']}")
        assert status == 401 and error["code"] == "rest_forbidden"


def test_a_fault_closes_the_api(site):
    with MirrorServer(site) as server:
        server.faults["/wp-json/wp/v2/posts"] = Fault("status", times=1, status=401)
        server.faults["/wp-json/ampize/v1/items"] = Fault("status", status=403)
        status, _, error = json_of(server, "/wp-json/wp/v2/posts?per_page=5&page=2&_embed")
        assert status == 401 and error["code"] == "rest_cannot_access" and error["data"]["status"] == 401
        assert json_of(server, "/wp-json/wp/v2/posts?per_page=5&page=2")[0] == 200  # once only
        assert json_of(server, "/wp-json/ampize/v1/items?start=10")[0] == 403
        assert json_of(server, "/wp-json/ampize/v1/site")[0] == 200
        assert server.fault_counts == {"/wp-json/wp/v2/posts": 1, "/wp-json/ampize/v1/items": 1}
        recorded = [(path, status) for _, path, status, _, _ in server.requests]
        assert recorded[:2] == [
            ("/wp-json/wp/v2/posts?per_page=5&page=2&_embed", 401),
            ("/wp-json/wp/v2/posts?per_page=5&page=2", 200),
        ]


def test_a_site_without_api_answers_404_and_is_unchanged(site):
    plain = build_site(N, seed=1)
    assert plain.api is None
    with MirrorServer(plain) as server:
        status, headers, body = get(server.root + "/wp-json/wp/v2/posts?per_page=5")
        assert status == 404 and body == get(server.root + "/pas-une-page/")[2] and "Link" not in headers
        assert get(server.root + "/?rest_route=/wp/v2/posts")[0] == 200  # the home page, as before
    assert plain.pages.keys() == site.pages.keys() and plain.expected == site.expected
    announced = {path for path, page in site.pages.items() if page.body != plain.pages[path].body}
    for path in announced:  # with the API, only the articles' heads say more
        assert HEAD_LINKS.sub(b"", site.pages[path].body) == plain.pages[path].body, path
    copies = {a.path + "amp/" for a in site.articles if a.layout == "current"} | set(site.truth["aliases"])
    assert {a.path for a in site.articles} <= announced <= {a.path for a in site.articles} | copies


def test_a_written_site_serves_the_same_api(tmp_path, site):
    from tmvmirror.__main__ import main

    argv = ["generate", "--articles", str(N), "--api", "wp/v2,ampize/v1", "--users-closed", "--out", str(tmp_path)]
    assert main(argv) == 0
    loaded = Site.load(tmp_path)
    assert loaded.api is not None and loaded.api.users_closed and loaded.api.namespaces == BOTH
    queries = ("/wp-json/wp/v2/posts?per_page=7&page=3", "/wp-json/ampize/v1/item/20417", "/wp-json/")
    with MirrorServer(loaded) as from_disk, MirrorServer(build_site(N, api=BOTH, users_closed=True)) as built:
        for query in queries:
            assert body_of(from_disk, query) == body_of(built, query), query
    with pytest.raises(SystemExit):
        main(["generate", "--articles", str(N), "--api", "wp/v3", "--out", str(tmp_path)])


def body_of(server, path: str) -> bytes:
    """A JSON answer, the server's root (written "http:\\/\\/…") taken out."""
    return get(server.root + path)[2].replace(server.root.replace("/", "\\/").encode(), b"")


def expected_of_post(item: dict) -> dict:
    """The expected item as the API can give it: no related block, and no modification date for a
    post never edited, even where its page shows one equal to its publication (the seed's)."""
    expected = {**item, "related": [], "crawled_at": None}
    if expected["modified_at"] == expected["published_at"]:
        expected["modified_at"] = None
    return expected


def test_every_post_read_through_the_api_is_the_expected_item():
    site = build_site(N, seed=1, api=("wp/v2",))
    expected = {item["url"]: item for item in site.expected}
    with MirrorServer(site) as server:
        posts, page = [], 1
        while page is not None:
            status, headers, body = get(wp.posts_url(server.root + "/wp-json/", page, per_page=15))
            posts += json.loads(body)
            page = wp.next_page(headers, page)
        records = [json.loads(json.dumps(wp.read_post(post)).replace(server.root, ROOT)) for post in posts]
    assert len(records) == N and {r["url"] for r in records} == set(expected)
    for record in records:
        assert record == expected_of_post(expected[record["url"]]), record["url"]
    assert any(r["lead"] is None for r in records) and any(r["interview"] for r in records)
    assert any(p["excerpt"]["rendered"].endswith(" [&hellip;]</p>\n") for p in posts)  # automatic excerpts


def test_every_ampize_item_read_is_the_expected_item_but_for_its_caption():
    site = build_site(N, seed=1, api=("ampize/v1",))
    expected = {item["url"]: item for item in site.expected}
    with MirrorServer(site) as server:
        root = server.root + "/wp-json/"
        zone = ampize.site_zone(get(ampize.site_url(root))[2])
        items, start = [], 0
        while start is not None:
            listed, total = ampize.read_items(get(ampize.items_url(root, start, limit=15))[2])
            items += listed
            start = ampize.next_start(start, len(listed), total)
        records = [json.loads(json.dumps(ampize.read_item(item, zone)).replace(server.root, ROOT)) for item in items]
    assert zone is not None and len(records) == N and {r["url"] for r in records} == set(expected)
    for record in records:
        wanted = expected_of_post(expected[record["url"]])
        if wanted["image"]:  # the plugin gives the image's address only: its caption is the page's
            wanted["image"] = {**wanted["image"], "caption": None, "credit": None}
        assert record == wanted, record["url"]


def test_an_automatic_excerpt_cut_inside_a_shortcode_is_no_lead():
    site = build_site(300, seed=1, api=("wp/v2",), without={"lead"})
    cut = [p for p in site.api.posts if "[nrm_embed]" in (e := p["excerpt"]["rendered"]) and "[/nrm_embed]" not in e]
    assert cut
    assert [wp.read_post(post)["lead"] for post in cut] == [None] * len(cut)
