"""Tests of the local tmv mirror (tmvspider.mirror): the generated site, its expected items
and the HTTP server.  Fast and deterministic; they never read the shared reference files."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from tmvspider.mirror import ROOT, MirrorServer, build_site

PARIS = ZoneInfo("Europe/Paris")
N = 120
SEED_PATH = "/article/tours-plus-candidate-au-label-french-tech/"


@pytest.fixture(scope="module")
def site():
    return build_site(N, seed=1)


def article_pages(site):
    """(expected item, page) of every article."""
    return [(item, site.pages[item["url"].removeprefix(ROOT)]) for item in site.expected]


def html(page) -> Selector:
    return Selector(text=page.body.decode(page.charset))


def path_of(url: str) -> str:
    return url.removeprefix(ROOT)


# --- the seed article: a real page, exported exactly as the reference says --------------

SEED_ITEM = {
    'url': 'https://www.tmvtours.fr/article/tours-plus-candidate-au-label-french-tech/',
    'post_id': 20417,
    'title': 'Tour(s) plus candidate au label French tech',
    'lead': 'Valérie Sécheret coordonne l’initiative pour l’agglomération tourangelle. Elle répond à nos '
            'questions sur le label French tech.',
    'author': 'tmv',
    'published_at': '2015-01-29T10:50:11+01:00',
    'modified_at': '2015-01-29T10:50:11+01:00',
    'categories': ['News'],
    'tags': ['agglo', 'candidature', 'économie', 'label', 'french tech', 'nouvelles technologies', 'société',
             'tmv', 'tmvmag', 'tour(s) plus', 'Tours'],
    'image': {'url': 'https://www.tmvtours.fr/wp-content/uploads/sites/tours/mame-french-tech.jpg',
              'caption': 'Les anciennes imprimeries Mame vont devenir l’emblème de la candidature tourangelle '
                         'au label.',
              'credit': 'cabinet Franklin Azzi'},
    'body': 'Pouvez-vous nous raconter comment cette candidature est née ?\n'
            '\n'
            'En juillet dernier, des entrepreneurs du numérique sont venus nous rencontrer pour savoir si '
            'l’agglomération postulait au label Metropoles French Tech mis en place par le gouvernement (le but '
            'étant de faire de la France un vivier de start-up innovantes, NDLR). Nous ne savions pas si '
            'l’écosystème était partant pour une telle candidature. Nous ne voulions pas ramer dans le désert.\n'
            '\n'
            'L’économie locale a répondu présente à votre appel ?\n'
            '\n'
            'Le 16 septembre dernier, 130 entreprises sont venues à l’agglo pour un petit-déjeuner. Nous avons '
            'été surpris de l’engouement. Nous avons alors mis en place des groupes de travail, une plateforme '
            'numérique pour échanger les infos afin de travailler sur cette candidature.\n'
            '\n'
            'Cette façon de travailler est nouvelle pour vous ?\n'
            '\n'
            'Oui, elle est unique également. Il existe déjà des métropoles labellisées, mais leur candidature a '
            'été pilotée par des cabinets privés qui ont monté les dossiers. Notre démarche, à Tour(s)plus, est '
            'plus vertueuse, plus longue aussi.\n'
            '\n'
            'Quelles sont les spécificités de la candidature tourangelle ?\n'
            '\n'
            'Nous voulons mettre en avant nos spécialités locales également, toujours dans la perspective du '
            'numérique : tourisme et patrimoine, éco technologie, innovation sociale, bio-médicament. Label ou '
            'non, cette initiative permet de mettre en place une stratégie marketing de notre territoire sur '
            'l’économie numérique.\n'
            '\n'
            'Le fab lab, la cantine numérique, la web school… Ce sont quand même des structures relativement '
            'nouvelles sur Tours ?\n'
            '\n'
            'Oui, cette candidature nous donne les moyens de les faire émerger.\n'
            '\n'
            'Propos recueillis par B.R.',
    'interview': {'interviewer': 'B.R.',
                  'qa': [{'question': 'Pouvez-vous nous raconter comment cette candidature est née ?',
                          'answer': 'En juillet dernier, des entrepreneurs du numérique sont venus nous '
                                    'rencontrer pour savoir si l’agglomération postulait au label Metropoles '
                                    'French Tech mis en place par le gouvernement (le but étant de faire de la '
                                    'France un vivier de start-up innovantes, NDLR). Nous ne savions pas si '
                                    'l’écosystème était partant pour une telle candidature. Nous ne voulions '
                                    'pas ramer dans le désert.'},
                         {'question': 'L’économie locale a répondu présente à votre appel ?',
                          'answer': 'Le 16 septembre dernier, 130 entreprises sont venues à l’agglo pour un '
                                    'petit-déjeuner. Nous avons été surpris de l’engouement. Nous avons alors '
                                    'mis en place des groupes de travail, une plateforme numérique pour '
                                    'échanger les infos afin de travailler sur cette candidature.'},
                         {'question': 'Cette façon de travailler est nouvelle pour vous ?',
                          'answer': 'Oui, elle est unique également. Il existe déjà des métropoles labellisées, '
                                    'mais leur candidature a été pilotée par des cabinets privés qui ont monté '
                                    'les dossiers. Notre démarche, à Tour(s)plus, est plus vertueuse, plus '
                                    'longue aussi.'},
                         {'question': 'Quelles sont les spécificités de la candidature tourangelle ?',
                          'answer': 'Nous voulons mettre en avant nos spécialités locales également, toujours '
                                    'dans la perspective du numérique : tourisme et patrimoine, éco '
                                    'technologie, innovation sociale, bio-médicament. Label ou non, cette '
                                    'initiative permet de mettre en place une stratégie marketing de notre '
                                    'territoire sur l’économie numérique.'},
                         {'question': 'Le fab lab, la cantine numérique, la web school… Ce sont quand même des '
                                      'structures relativement nouvelles sur Tours ?',
                          'answer': 'Oui, cette candidature nous donne les moyens de les faire émerger.'}]},
    'related': ['https://www.tmvtours.fr/article/le-label-french-tech-fait-des-emules/',
                'https://www.tmvtours.fr/article/ecologie-la-metropole-plante-mille-arbres/'],
}


@pytest.mark.parametrize("n, seed", [(3, 1), (50, 2), (N, 1)])
def test_seed_article_is_exported_like_the_reference(n, seed):
    site = build_site(n, seed)
    seed = next(item for item in site.expected if item["post_id"] == 20417)
    assert seed == SEED_ITEM
    for url in seed["related"]:
        assert path_of(url) in site.pages


def test_seed_page_has_the_reference_structure(site):
    page = html(site.pages[SEED_PATH])
    assert page.css("body.page-article::attr(data-post-id)").get() == "20417"
    assert page.css("p.article-meta").xpath("string()").get() == \
        "Publié le 29-01-2015 10:50:11 Modifié le 29-01-2015 10:50:11 Par tmv"
    assert len(page.css("div.article-body > p > strong + br")) == 5
    assert page.css("section.related li a::attr(href)").getall() == SEED_ITEM["related"]
    assert site.pages[SEED_PATH + "amp/"].body == site.pages[SEED_PATH].body


# --- the site ------------------------------------------------------------------------------

def test_every_expected_article_has_a_page(site):
    assert len(site.expected) == N == len(site.truth["articles"])
    assert len({item["url"] for item in site.expected}) == N
    for item, page in article_pages(site):
        assert page.status == 200 and page.content_type == "text/html"
        assert html(page).css("link[rel=canonical]::attr(href)").get() == item["url"]
        if site.truth["layouts"][path_of(item["url"]).split("/")[2]] == "current":
            assert site.pages[path_of(item["url"]) + "amp/"].body == page.body


def test_both_layouts_are_present(site):
    layouts = site.truth["layouts"]
    assert set(layouts.values()) == {"legacy", "current"}
    for slug, layout in layouts.items():
        page = html(site.pages[f"/article/{slug}/"])
        if layout == "legacy":
            assert page.css("article[id^=post-] h1.entry-title")
        else:
            assert page.css("body.page-article[data-post-id] h1.article-title")
    # legacy articles are the older ones
    published = {item["url"]: item["published_at"] for item in site.expected}
    legacy = [published[ROOT + f"/article/{s}/"] for s, layout in layouts.items() if layout == "legacy"]
    current = [published[ROOT + f"/article/{s}/"] for s, layout in layouts.items() if layout == "current"]
    assert max(map(datetime.fromisoformat, legacy)) < min(map(datetime.fromisoformat, current))


def test_every_page_parses(site):
    for path, page in site.pages.items():
        text = page.body.decode(page.charset)
        if page.content_type == "text/html":
            assert Selector(text=text).css("body"), path
        elif page.content_type.endswith("xml"):
            assert Selector(text=text, type="xml").xpath("/*"), path
    assert site.not_found.status == 404


def test_expected_items_follow_the_project_schema(site):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(__file__).resolve().parents[1] / "tmvspider" / "schema" / "article.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    for item in site.expected:
        validator.validate({**item, "crawled_at": "2026-11-27T03:00:00Z"})
        for text in (item["title"], item["lead"], item["body"]):
            assert text is None or text == unicodedata.normalize("NFC", text)


def test_timestamps_are_paris_time_first_occurrences(site):
    for item in site.expected:
        for moment in filter(None, (item["published_at"], item["modified_at"])):
            wall = datetime.fromisoformat(moment).replace(tzinfo=None)
            assert wall.replace(tzinfo=PARIS, fold=0).isoformat() == moment


def test_robots_txt(site):
    page = site.pages["/robots.txt"]
    assert page.content_type == "text/plain"
    assert page.body.decode() == (
        "User-agent: *\nDisallow: /wp-admin/\nDisallow: /recherche/\nDisallow: /*?replytocom=\n"
        "Allow: /wp-admin/admin-ajax.php\n\nSitemap: https://www.tmvtours.fr/sitemap_index.xml\n")


def sitemap_entries(site) -> dict[str, str]:
    """loc -> lastmod of every sitemap named by the index."""
    index = Selector(text=site.pages["/sitemap_index.xml"].body.decode(), type="xml")
    index.remove_namespaces()
    entries = {}
    for loc in index.xpath("//sitemap/loc/text()").getall():
        sitemap = Selector(text=site.pages[path_of(loc)].body.decode(), type="xml")
        sitemap.remove_namespaces()
        urls = sitemap.xpath("//url")
        assert 0 < len(urls) <= 100
        for url in urls:
            entries[url.xpath("loc/text()").get()] = url.xpath("lastmod/text()").get()
    return entries


def test_sitemaps_list_every_article_but_the_only_archives_ones(site):
    entries = sitemap_entries(site)
    hidden = {ROOT + f"/article/{slug}/" for slug in site.truth["only_archives"]}
    assert hidden and set(entries) == {item["url"] for item in site.expected} - hidden
    for item in site.expected:
        if item["url"] in entries:
            assert entries[item["url"]] == (item["modified_at"] or item["published_at"])


def listed_articles(site, start: str) -> set[str]:
    """Article links of a paginated listing, following a.next."""
    found, path = set(), start
    while path:
        page = html(site.pages[path])
        found.update(page.css("main article h2.entry-title a::attr(href)").getall())
        following = page.css("nav.pagination a.next::attr(href)").get()
        path = path_of(following) if following else None
    return found


def test_home_and_archives_list_every_article_but_the_only_sitemap_ones(site):
    hidden = {ROOT + f"/article/{slug}/" for slug in site.truth["only_sitemap"]}
    assert hidden
    everything = {item["url"] for item in site.expected}
    assert listed_articles(site, "/") == everything - hidden
    months = html(site.pages["/"]).css(".widget_archive a::attr(href)").getall()
    from_archives = set().union(*(listed_articles(site, path_of(month)) for month in months))
    assert from_archives == everything - hidden
    assert len(html(site.pages["/page/2/"]).css("main article")) == 10


def test_only_sitemap_articles_are_linked_from_nowhere_else(site):
    for slug in site.truth["only_sitemap"]:
        needle = f"/article/{slug}/".encode()
        linking = [path for path, page in site.pages.items()
                   if needle in page.body and not path.startswith(f"/article/{slug}/")
                   and not path.startswith("/post-sitemap")]
        assert linking == [], slug


def test_truth_traps(site):
    truth = site.truth
    for path in truth["dead_links"]:
        assert path not in site.pages
        assert any(ROOT.encode() + path.encode() in page.body for page in site.pages.values())
    assert truth["dead_links"] and truth["flaky"]
    assert all(path in site.pages for path in truth["flaky"])
    assert "/recherche/?q=tours" in truth["disallowed"]
    assert any("?replytocom=" in path for path in truth["disallowed"])


def test_listing_pages_exist_for_every_link(site):
    """Every link to the site from a listing page or the sidebar points at a page (no accidental 404)."""
    home = html(site.pages["/"])
    for href in home.css("a::attr(href)").getall():
        if href.startswith(ROOT):
            path = path_of(href).split("?")[0].split("#")[0]
            assert path in site.pages, href


def test_feed_lists_the_ten_newest_listed_articles(site):
    feed = Selector(text=site.pages["/feed/"].body.decode(), type="xml")
    links = feed.xpath("//item/link/text()").getall()
    hidden = {ROOT + f"/article/{slug}/" for slug in site.truth["only_sitemap"]}
    newest = [item["url"] for item in reversed(site.expected) if item["url"] not in hidden][:10]
    assert links == newest


# --- the variations of the live site --------------------------------------------------------------

@pytest.mark.parametrize("n", [50, N])
def test_forced_variations_are_present(n, site):
    site = site if n == N else build_site(n, seed=4)
    items = {item["url"]: item for item in site.expected}
    bodies = b"".join(page.body for _, page in article_pages(site))
    # the night summer time ends: the first 02:30, current layout, no JSON-LD
    dst = [item for item in site.expected if item["published_at"] == "2014-10-26T02:30:00+02:00"]
    assert len(dst) == 1
    dst_page = site.pages[path_of(dst[0]["url"])]
    assert b"Publi\xc3\xa9 le 26-10-2014 02:30:00" in dst_page.body and b"ld+json" not in dst_page.body
    assert "1er mars 2014 à 8h05".encode() in bodies
    cp1252 = [page for _, page in article_pages(site) if page.charset == "windows-1252"]
    assert cp1252 and all(b'<meta charset="windows-1252">' in page.body for page in cp1252)
    for needle in (b"&nbsp;?", b"&nbsp;:", b"&#8239;", b"&#39;", b"&eacute;", b"<em>", b".\n      ",
                   b"<p><strong>", b"<p><b>", b"</strong><br>\n", b"</b><br>\n", b"<h3>", b"<p>&nbsp;</p>",
                   b'class="pub"', b"?fbclid=", b"Propos recueillis par"):
        assert needle in bodies, needle
    for form in ("(Photo ", "(Photo : ", "(photo ", "(Crédit photo : "):
        assert form.encode() in bodies, form
    values = list(items.values())
    assert any(i["image"] is None for i in values)
    assert any(i["image"] and i["image"]["caption"] is None and i["image"]["credit"] for i in values)
    assert any(i["image"] and i["image"]["credit"] is None for i in values)
    for field in ("lead", "author", "modified_at", "interview"):
        assert any(i[field] is None for i in values) and any(i[field] for i in values), field
    assert any(i["interview"] and i["interview"]["interviewer"] is None for i in values)
    assert any(not i["tags"] for i in values)
    assert any(i["interview"] is None and any(b.endswith("?") for b in i["body"].split("\n\n")) for i in values)
    assert any({"tour(s) plus", "Tours", "été 2023"} <= set(i["tags"]) for i in values)


def test_duplicate_and_padded_tags_fold_to_the_first_spelling(site):
    seen_duplicate = seen_padding = False
    for item, page in article_pages(site):
        texts = html(page).css("div.tags-links a::text, div.article-tags a::text").getall()
        folded = [" ".join(t.split()) for t in texts]
        seen_duplicate |= len({t.casefold() for t in folded}) < len(folded)
        seen_padding |= any(t != t.strip() for t in texts)
        assert item["tags"] == _dedupe(folded)
    assert seen_duplicate and seen_padding


def _dedupe(names):
    seen, kept = set(), []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


# --- an independent reading of the pages agrees with the expected items ----------------------

def fold(text: str | None) -> str | None:
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    return text or None


CREDIT = re.compile(r"\s*\((?:Photo :|Photo|photo|Crédit photo :)\s+([^)]+)\)\s*$")


def paris(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(PARIS).isoformat()


def local(text: str) -> str:
    """'Publié le 26-10-2014 02:30:00' -> Paris time, the first occurrence when ambiguous."""
    moment = datetime.strptime(text.split(" le ")[1].strip(), "%d-%m-%Y %H:%M:%S")
    return moment.replace(tzinfo=PARIS, fold=0).isoformat()


def body_blocks(container) -> list[tuple[str, str]]:
    """(kind, text) of the body: kind is "q" (a question candidate), "closing" or "p"."""
    blocks = []
    for element in container[0].root.iterchildren():
        text = fold("".join(element.itertext()))
        if element.tag in ("h2", "h3"):
            blocks.append(("q" if text.endswith("?") else "p", text))
        elif element.tag != "p" or not text or "chapo" in element.get("class", ""):
            continue
        elif len(element) and element[0].tag in ("strong", "b") and not (element.text or "").strip():
            bold = fold("".join(element[0].itertext()))
            if len(element) > 1 and element[1].tag == "br" and not (element[0].tail or "").strip():
                blocks += [("q", bold), ("p", fold(text[len(bold):]))]   # question, <br>, first answer
            else:
                blocks.append(("q" if bold == text and text.endswith("?") else "p", text))
        elif element.get("style") and text.startswith("Propos recueillis par"):
            blocks.append(("closing", text))
        else:
            blocks.append(("p", text))
    return blocks


def interview(blocks):
    pairs, interviewer = [], None
    for kind, text in blocks:
        if kind == "closing":
            interviewer = text.removeprefix("Propos recueillis par").strip()
            break
        if kind == "q":
            pairs.append((text, []))
        elif pairs:
            pairs[-1][1].append(text)
    if len(pairs) < 2:
        return None
    return {"interviewer": interviewer, "qa": [{"question": q, "answer": "\n\n".join(a)} for q, a in pairs]}


def read_article(page) -> dict:
    sel = html(page)
    legacy = bool(sel.css("article[id^=post-]"))
    ld = json.loads(sel.css("script[type='application/ld+json']::text").get() or "{}")
    if legacy:
        post_id = int(sel.css("article::attr(id)").get().removeprefix("post-"))
        published = paris(sel.css("time.published::attr(datetime)").get())
        modified = sel.css("time.updated::attr(datetime)").get()
        modified = paris(modified) if modified else None
        author = sel.css("a[rel=author]").xpath("string()").get()
        lead = sel.css("p.chapo").xpath("string()").get()
        image, caption = sel.css("div.wp-caption img::attr(src)").get(), sel.css("p.wp-caption-text")
        container = sel.css("div.entry-content")
        tags, cats = sel.css("div.tags-links a"), sel.css("div.cat-links a")
        related = sel.css("section.related-posts a::attr(href)").getall()
    else:
        post_id = int(sel.css("body::attr(data-post-id)").get())
        published = paris(ld["datePublished"]) if ld else local(sel.css(".date-published::text").get())
        modified = sel.css(".date-modified::text").get()
        modified = (paris(ld["dateModified"]) if ld else local(modified)) if modified else None
        author = (sel.css("span.author::text").get() or "").removeprefix("Par ")
        lead = sel.css("div.article-chapo").xpath("string()").get()
        image, caption = sel.css("figure.article-image img::attr(src)").get(), sel.css("figcaption")
        container = sel.css("div.article-body")
        tags, cats = sel.css("div.article-tags a"), sel.css("div.article-categories a")
        related = sel.css("section.related a::attr(href)").getall()
    image_item = None
    if image:
        printed = fold(caption.xpath("string()").get()) or ""
        credit = CREDIT.search(printed)
        image_item = {"url": image, "caption": fold(CREDIT.sub("", printed)),
                      "credit": fold(credit.group(1)) if credit else None}
    blocks = body_blocks(container)
    return {
        "url": sel.css("link[rel=canonical]::attr(href)").get(), "post_id": post_id,
        "title": fold(sel.css("h1").xpath("string()").get()), "lead": fold(lead), "author": fold(author),
        "published_at": published, "modified_at": modified,
        "categories": _dedupe([fold(c.xpath("string()").get()) for c in cats]),
        "tags": _dedupe([fold(t.xpath("string()").get()) for t in tags]),
        "image": image_item, "body": "\n\n".join(text for _, text in blocks), "interview": interview(blocks),
        "related": related,
    }


@pytest.mark.parametrize("n, seed", [(N, 1), (60, 2)])
def test_pages_read_back_as_the_expected_items(n, seed, site):
    site = site if (n, seed) == (N, 1) else build_site(n, seed)
    for item, page in article_pages(site):
        assert read_article(page) == item


# --- determinism and incremental sites -------------------------------------------------------

def test_builds_are_deterministic(site):
    again = build_site(N, seed=1)
    assert again.pages == site.pages and again.expected == site.expected and again.truth == site.truth
    other = build_site(N, seed=2)
    assert other.expected != site.expected


def test_extra_articles_are_newer_and_leave_the_others_alone(site):
    grown = build_site(N, seed=1, extra_articles=5)
    assert grown.expected[:N] == site.expected
    assert grown.truth["articles"][:N] == site.truth["articles"]
    newest_before = max(datetime.fromisoformat(i["published_at"]) for i in site.expected)
    assert all(datetime.fromisoformat(i["published_at"]) > newest_before for i in grown.expected[N:])
    assert len(grown.expected) == N + 5
    assert listed_articles(grown, "/") >= {i["url"] for i in grown.expected[N:]} - \
        {ROOT + f"/article/{s}/" for s in grown.truth["only_sitemap"]}


def test_modified_articles_change_date_body_page_and_sitemap(site):
    edited = build_site(N, seed=1, modified=4)
    changed = [(old, new) for old, new in zip(site.expected, edited.expected) if old != new]
    assert len(changed) == 4
    entries = sitemap_entries(edited)
    for old, new in changed:
        assert new["modified_at"] > (old["modified_at"] or old["published_at"])
        assert new["body"] != old["body"] and new["url"] == old["url"]
        assert {k for k in old if old[k] != new[k]} <= {"modified_at", "body", "interview"}
        page = edited.pages[path_of(new["url"])]
        assert page.last_modified == datetime.fromisoformat(new["modified_at"])
        assert read_article(page) == new
        if new["url"] in entries:
            assert entries[new["url"]] == new["modified_at"]


def test_write_uses_the_reference_layout(tmp_path):
    small = build_site(12, seed=3)
    small.write(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["/"] == {"charset": "utf-8", "file": "index.html", "status": 200, "type": "text/html"}
    assert manifest["/robots.txt"]["file"] == "robots.txt.txt"
    for path, entry in manifest.items():
        assert (tmp_path / "files" / entry["file"]).read_bytes() == small.pages[path].body
    lines = (tmp_path / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["url"] for line in lines) == sorted(i["url"] for i in small.expected)
    assert json.loads((tmp_path / "truth.json").read_text()) == small.truth


def test_too_small_sites_are_refused():
    with pytest.raises(ValueError):
        build_site(2)


# --- the server ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(site):
    with MirrorServer(site) as running:
        yield running


def fetch(server, path, method="GET", headers=None, connection=None):
    conn = connection or http.client.HTTPConnection(server.server_address[0], server.server_address[1], timeout=5)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, response.headers, body


def test_server_serves_pages_with_its_own_root(server, site):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.root)
    status, headers, body = fetch(server, SEED_PATH)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert ROOT.encode() not in body
    assert f'<link rel="canonical" href="{server.root}{SEED_PATH}">'.encode() in body
    assert body == site.pages[SEED_PATH].body.replace(ROOT.encode(), server.root.encode())


def test_server_query_strings_reach_the_article(server):
    _, _, plain = fetch(server, SEED_PATH)
    for query in ("?utm_source=sidebar", "?fbclid=IwAR0abc", "?replytocom=1", "?utm_source=a&utm_medium=b"):
        status, _, body = fetch(server, SEED_PATH + query)
        assert status == 200 and body == plain
    status, _, body = fetch(server, "/recherche/?q=loire")
    assert status == 200 and b"<h1 class=\"page-title\">Recherche</h1>" in body
    status, headers, _ = fetch(server, SEED_PATH.rstrip("/"))
    assert status == 301 and headers["Location"] == server.root + SEED_PATH


def test_server_unknown_and_dead_paths_are_404(server, site):
    for path in ("/nope/", site.truth["dead_links"][0]):
        status, headers, body = fetch(server, path)
        assert status == 404 and headers["Content-Type"].startswith("text/html") and b"<html" in body


def test_server_flaky_path_answers_503_once(site):
    with MirrorServer(site) as fresh:
        path = site.truth["flaky"][0]
        status, headers, _ = fetch(fresh, path)
        assert status == 503 and headers["Retry-After"] == "1"
        assert fetch(fresh, path)[0] == 200
        assert fetch(fresh, path)[0] == 200
        assert [(r[0], r[1], r[2]) for r in fresh.requests] == [("GET", path, 503), ("GET", path, 200),
                                                                  ("GET", path, 200)]


def test_server_conditional_get(server):
    status, headers, _ = fetch(server, SEED_PATH)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert parsedate_to_datetime(last_modified) == datetime.fromisoformat(SEED_ITEM["modified_at"])
    assert fetch(server, SEED_PATH, headers={"If-None-Match": etag})[0] == 304
    assert fetch(server, SEED_PATH, headers={"If-Modified-Since": last_modified})[0] == 304
    earlier = format_datetime(parsedate_to_datetime(last_modified) - timedelta(days=1), usegmt=True)
    assert fetch(server, SEED_PATH, headers={"If-Modified-Since": earlier})[0] == 200
    assert fetch(server, SEED_PATH, headers={"If-None-Match": '"other"'})[0] == 200
    status, headers, _ = fetch(server, "/post-sitemap1.xml")
    assert status == 200 and headers["Last-Modified"] and headers["Content-Type"] == "application/xml; charset=utf-8"


def test_server_windows_1252_page(server, site):
    path = next(p for p, page in site.pages.items() if page.charset == "windows-1252")
    status, headers, body = fetch(server, path)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=windows-1252"
    assert b'<meta charset="windows-1252">' in body
    text = body.decode("cp1252")
    assert "Publié le" in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_server_head_keep_alive_and_request_log(server):
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    status, headers, body = fetch(server, "/robots.txt", "HEAD", connection=connection)
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, _, body = fetch(server, "/robots.txt", connection=connection)  # same connection
    assert status == 200 and f"Sitemap: {server.root}/sitemap_index.xml".encode() in body
    connection.close()
    method, path, status, when, headers = server.requests[-1]
    assert (method, path, status) == ("GET", "/robots.txt", 200)
    assert isinstance(when, float) and "Host" in headers


def test_server_site_can_be_swapped(site):
    with MirrorServer(site) as running:
        grown = build_site(N, seed=1, extra_articles=1)
        new_path = path_of(grown.expected[-1]["url"])
        assert fetch(running, new_path)[0] == 404
        running.site = grown
        assert fetch(running, new_path)[0] == 200


# --- the command line --------------------------------------------------------------------------

def test_cli_serve_writes_port_file_and_stops_on_sigterm(tmp_path):
    port_file = tmp_path / "port"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen([sys.executable, "-m", "tmvspider.mirror", "serve", "--articles", "20",
                                "--port-file", str(port_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env)
    try:
        first_line = process.stdout.readline().decode()  # printed once listening, port file written
        root = port_file.read_text().strip()
        assert first_line.strip() == f"serving 20 articles at {root}"
        host, port = root.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", "/robots.txt")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert out.decode().strip() == ""
    assert err == b""


def test_cli_rejects_bad_arguments():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-m", "tmvspider.mirror", "serve", "--articles", "lots"],
                            capture_output=True, env=env)
    assert result.returncode == 2 and b"--articles" in result.stderr.splitlines()[-1]
