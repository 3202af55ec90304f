"""`tmvspider probe` and the CMS's API: a real WordPress's namespaces, X-WP-Total, users route and
3 posts beside their pages, within TMV_PROBE_REQUESTS; the mirror's APIs: a page that disagrees,
the plugin alone, the API closed; a sample's table, disagreements marked as the crawl counts them.
(A mirror without the API: test_probe_and_alarms.)"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from tmvmirror.faults import Fault
from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.crosscheck import combine
from tmvspider.discovery import wordpress as wp
from tmvspider.spiders.probe_api import WIDTH, ApiFindings, api_lines, sample_table

from .test_probe_and_alarms import probe
from .test_wordpress import published
from .test_wordpress_reader import LINK, curled, post


def requests_made(out: str) -> int:
    found = re.match(r"probe of \S+: (\d+) request\(s\)", out)
    assert found, out[:200]
    return int(found[1])


def rows(lines: list[str], field: str) -> list[str]:
    return [line for line in lines if line.startswith(f"  {field} ")]


def test_the_probe_of_a_real_wordpress_shows_its_api_and_3_posts_beside_their_pages(wordpress):
    done = probe(wordpress.url)
    assert done.returncode == 0, done.stderr
    out, lines = done.stdout, done.stdout.splitlines()
    posts = published(wordpress.model)
    assert requests_made(out) <= 30 + 1  # robots.txt aside
    assert f"API at {wordpress.url}/wp-json/ (the home page names it too)" in lines
    assert "wp/v2" in rows(lines, "namespaces")[0].split(", ")
    assert f"wp/v2/posts: X-WP-Total {len(posts)}, X-WP-TotalPages " in rows(lines, "listing")[0]
    assert rows(lines, "users") == ["  users       open: the authors come from the API"]
    # the newest 3 published posts, their pages read: every field the same on both sides
    headings = [line for line in lines if line.startswith("sample ")]
    newest = sorted(posts.values(), key=lambda model: model["date"], reverse=True)[:3]
    assert len(headings) == 3
    for heading, title, model in zip(headings, rows(lines, "title"), newest, strict=True):
        assert f"/article/{model['slug']}/, page read by theme-free: no disagreement" in heading
        assert curled(model["title"])[: WIDTH - 1] in title and title.endswith(" same")
    assert "DIFFERS" not in out
    assert (
        lines[-1]
        == f"tmvspider: the API (wp/v2) lists {len(posts)} posts; 5 of 5 sample article(s) read: the site can be crawled"
    )


def test_the_probe_s_api_questions_stay_within_tmv_probe_requests(wordpress):
    done = probe(wordpress.url, "-s", "TMV_PROBE_REQUESTS=3")  # the home page, the index, the posts
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert requests_made(done.stdout) <= 3 + 1
    assert rows(lines, "users") == ["  users       not asked: TMV_PROBE_REQUESTS spent"]
    headings = [line for line in lines if line.startswith("sample ")]
    assert len(headings) == 3 and all(
        h.endswith("page not read (not asked: TMV_PROBE_REQUESTS spent): the crawl keeps the API's record alone")
        for h in headings
    )


def test_the_probe_asks_the_api_the_home_page_names_when_the_usual_root_does_not_answer(wordpress):
    done = probe(wordpress.url, "-s", f"TMV_API_ROOT={wordpress.url}/no-api-here/")  # as the crawl does
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if "API" in line)
    assert header == (
        f"API at {wordpress.url}/wp-json/ (the home page names it; none at {wordpress.url}/no-api-here/: "
        "wp/v2: not WordPress's JSON; ampize/v1: 404)"  # WordPress's own answers there
    )
    assert done.stdout.count("no disagreement") == 3


# ---------------------------------------------------------------- the mirror's APIs

N = 60


def test_a_page_that_says_another_title_than_the_api_is_marked():
    site = build_site(N, seed=5, api=("wp/v2", "ampize/v1"))
    newest = max(site.expected, key=lambda item: item["published_at"])  # the API lists it first
    path, title = urlsplit(newest["url"]).path, newest["title"]
    assert title == "Le Sanitas cherche des bénévoles"
    page = site.pages[path]
    site.pages[path] = replace(
        page, body=page.body.replace(title.encode(), "Le Sanitas cherche encore des bénévoles".encode())
    )
    with MirrorServer(site) as server:
        done = probe(server.root)
        asked = len(server.requests)
    assert done.returncode == 0, done.stderr
    assert asked <= 30 + 1  # TMV_PROBE_REQUESTS, robots.txt aside
    lines = done.stdout.splitlines()
    assert rows(lines, "listing")[0].startswith(
        f"  listing     wp/v2/posts: X-WP-Total {N}, X-WP-TotalPages 20 at 3 a page"
    )
    assert rows(lines, "users") == ["  users       closed (404 rest_no_route): the authors come from the pages"]
    headings = [line for line in lines if line.startswith("sample ")]
    assert headings[0].endswith(f"{path}, page read by current: 1 disagreement(s): title"), headings[0]
    assert [h.endswith("no disagreement") for h in headings] == [False, True, True]
    marked = [line for line in lines if line.endswith("DIFFERS")]
    assert marked == [f"  title         {title:<{WIDTH}} Le Sanitas cherche encore des bénév… DIFFERS"]


def test_the_probe_of_the_plugin_alone_reads_its_items_in_the_site_s_time_zone():
    with MirrorServer(build_site(N, seed=5, api=("ampize/v1",))) as server:
        done = probe(server.root)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"API at {server.root}/wp-json/ (the home page names it too)" in lines
    assert rows(lines, "namespaces") == ["  namespaces  oembed/1.0, ampize/v1"]
    assert rows(lines, "listing") == [f"  listing     ampize/v1/items: numItems {N}, time zone Europe/Paris"]
    assert rows(lines, "not served") == ["  not served  wp/v2: 404 rest_no_route"] and not rows(lines, "users")
    # the plugin's wall clock read in Paris time: the same instants as the pages show
    assert len(rows(lines, "published_at")) == 3 and all(row.endswith(" same") for row in rows(lines, "published_at"))
    assert done.stdout.count("no disagreement") == 3
    assert lines[-1].startswith(f"tmvspider: the API (ampize/v1) lists {N} posts; ")


def test_a_closed_api_is_one_line_naming_what_each_namespace_answered():
    closed = {
        "/wp-json/wp/v2/posts": Fault("status", status=401),
        "/wp-json/ampize/v1/site": Fault("status", status=403),
    }
    with MirrorServer(build_site(N, seed=5, api=("wp/v2", "ampize/v1")), faults=closed) as server:
        done = probe(server.root)
    assert done.returncode == 0, done.stderr  # the pages serve
    assert [line for line in done.stdout.splitlines() if "API" in line] == [
        f"no API at {server.root}/wp-json/ (wp/v2: 401 rest_cannot_access; ampize/v1: 403 rest_cannot_access): "
        "discovery through sitemaps, feed and listings (the home page names it too)"
    ]


# ---------------------------------------------------------------- the report, from what was found


def test_a_sample_s_table_marks_what_the_crawl_counts_as_disagreements():
    record = wp.read_post(post())
    assert record is not None
    body = record["body"].replace("juin", "juillet")  # 30 characters in: past what a cell shows at first
    page = {
        **record,
        "title": "Tours & Cie : l’automne",
        "author": "A. Germain",
        "lead": None,
        "categories": ["sortir", "art & culture"],  # as a set of folded names: the same
        "image": {"url": record["image"]["url"], "caption": None, "credit": None},  # by its address: the same
        "body": body,
        "related": [LINK + "autre/"],
        "crawled_at": "2024-07-16T08:00:00Z",
    }
    sample = {"record": record, "url": LINK, "page": page, "parser": "current", "error": None}
    lines = sample_table(sample, "sample 1 of 3")
    marked = {line.split()[0]: line for line in lines[2:]}
    differing = set(combine(record, page)[1])
    assert differing == {"title", "author", "body"}
    assert {name for name, line in marked.items() if line.endswith("DIFFERS")} == differing
    assert (
        lines[0]
        == "sample 1 of 3: post 7, /article/un-article/, page read by current: 3 disagreement(s): title, author, body"
    )
    assert "Tours & Cie : l’été" in marked["title"] and "Tours & Cie : l’automne" in marked["title"]
    assert marked["categories"].endswith(" same") and marked["image"].endswith(" same")
    assert marked["lead"].endswith("API only") and marked["related"].endswith("page only")
    assert "crawled_at" not in marked  # the fetch's time, the page's alone
    # a long text shown from where the two part, so that the difference is in sight
    api_cell, page_cell = marked["body"][16 : 16 + WIDTH], marked["body"][17 + WIDTH : 17 + 2 * WIDTH]
    assert "juin" in api_cell and "juillet" in page_cell


def test_a_sample_whose_page_was_not_read_shows_the_record_alone():
    record = wp.read_post(post())
    lines = sample_table({"record": record, "url": LINK, "page": None, "parser": None, "error": "http_404"}, "s")
    assert (
        lines[0] == "s: post 7, /article/un-article/: page not read (http_404): the crawl keeps the API's record alone"
    )
    assert all(line.split()[-1] not in ("same", "DIFFERS") for line in lines[2:])


def test_no_api_is_one_line_as_the_crawl_logs_it():
    root = "http://127.0.0.1:9/wp-json/"
    closed = ApiFindings(root, home_read=True, answers=["wp/v2: 401 rest_cannot_access", "ampize/v1: 404"])
    assert api_lines(closed) == [
        f"no API at {root} (wp/v2: 401 rest_cannot_access; ampize/v1: 404): discovery through sitemaps, feed "
        "and listings (the home page names none)"
    ]
    # the home page names another root, asked too (as the crawl does): none there either
    announced = "https://cms.example/wp-json/"
    elsewhere = ApiFindings(
        announced, first=(root, ["wp/v2: 404", "ampize/v1: 404"]), answers=["wp/v2: 403", "ampize/v1: 403"]
    )
    assert api_lines(elsewhere) == [
        f"no API at {announced} (wp/v2: 403; ampize/v1: 403): discovery through sitemaps, feed and listings "
        f"(the home page names it; none at {root}: wp/v2: 404; ampize/v1: 404)"
    ]
    assert api_lines(ApiFindings(None)) == ["no API asked (TMV_API off): discovery through sitemaps, feed and listings"]
