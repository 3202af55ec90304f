"""Tests of the local tmv mirror (tmvmirror): the generated site, its expected items
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

from tmvmirror import ROOT, MirrorServer, build_site

PARIS = ZoneInfo("Europe/Paris")
N = 120


def wordpress_site(*args, **kwargs):
    """The site of the two WordPress layouts (the model of SITE.md's first sections): what the
    tests of this first part check, page structure included."""
    return build_site(*args, layouts=("legacy", "current"), sitemaps="index", **kwargs)


SEED_PATH = "/article/tours-plus-candidate-au-label-french-tech/"


@pytest.fixture(scope="module")
def site():
    return wordpress_site(N, seed=1)


def article_pages(site):
    """(expected item, page) of every article."""
    return [(item, site.pages[item["url"].removeprefix(ROOT)]) for item in site.expected]


def html(page) -> Selector:
    return Selector(text=page.body.decode(page.charset))


def path_of(url: str) -> str:
    return url.removeprefix(ROOT)


# --- the seed article: a real page, exported exactly as the reference says --------------

SEED_ITEM = {
    "url": "https://www.tmvtours.fr/article/tours-plus-candidate-au-label-french-tech/",
    "post_id": 20417,
    "title": "Tour(s) plus candidate au label French tech",
    "lead": "Valérie Sécheret coordonne l’initiative pour l’agglomération tourangelle. Elle répond à nos "
    "questions sur le label French tech.",
    "author": "tmv",
    "published_at": "2015-01-29T10:50:11+01:00",
    "modified_at": "2015-01-29T10:50:11+01:00",
    "categories": ["News"],
    "tags": [
        "agglo",
        "candidature",
        "économie",
        "label",
        "french tech",
        "nouvelles technologies",
        "société",
        "tmv",
        "tmvmag",
        "tour(s) plus",
        "Tours",
    ],
    "image": {
        "url": "https://www.tmvtours.fr/wp-content/uploads/sites/tours/mame-french-tech.jpg",
        "caption": "Les anciennes imprimeries Mame vont devenir l’emblème de la candidature tourangelle au label.",
        "credit": "cabinet Franklin Azzi",
    },
    "body": "Pouvez-vous nous raconter comment cette candidature est née ?\n"
    "\n"
    "En juillet dernier, des entrepreneurs du numérique sont venus nous rencontrer pour savoir si "
    "l’agglomération postulait au label Metropoles French Tech mis en place par le gouvernement (le but "
    "étant de faire de la France un vivier de start-up innovantes, NDLR). Nous ne savions pas si "
    "l’écosystème était partant pour une telle candidature. Nous ne voulions pas ramer dans le désert.\n"
    "\n"
    "L’économie locale a répondu présente à votre appel ?\n"
    "\n"
    "Le 16 septembre dernier, 130 entreprises sont venues à l’agglo pour un petit-déjeuner. Nous avons "
    "été surpris de l’engouement. Nous avons alors mis en place des groupes de travail, une plateforme "
    "numérique pour échanger les infos afin de travailler sur cette candidature.\n"
    "\n"
    "Cette façon de travailler est nouvelle pour vous ?\n"
    "\n"
    "Oui, elle est unique également. Il existe déjà des métropoles labellisées, mais leur candidature a "
    "été pilotée par des cabinets privés qui ont monté les dossiers. Notre démarche, à Tour(s)plus, est "
    "plus vertueuse, plus longue aussi.\n"
    "\n"
    "Quelles sont les spécificités de la candidature tourangelle ?\n"
    "\n"
    "Nous voulons mettre en avant nos spécialités locales également, toujours dans la perspective du "
    "numérique : tourisme et patrimoine, éco technologie, innovation sociale, bio-médicament. Label ou "
    "non, cette initiative permet de mettre en place une stratégie marketing de notre territoire sur "
    "l’économie numérique.\n"
    "\n"
    "Le fab lab, la cantine numérique, la web school… Ce sont quand même des structures relativement "
    "nouvelles sur Tours ?\n"
    "\n"
    "Oui, cette candidature nous donne les moyens de les faire émerger.\n"
    "\n"
    "Propos recueillis par B.R.",
    "interview": {
        "interviewer": "B.R.",
        "qa": [
            {
                "question": "Pouvez-vous nous raconter comment cette candidature est née ?",
                "answer": "En juillet dernier, des entrepreneurs du numérique sont venus nous "
                "rencontrer pour savoir si l’agglomération postulait au label Metropoles "
                "French Tech mis en place par le gouvernement (le but étant de faire de la "
                "France un vivier de start-up innovantes, NDLR). Nous ne savions pas si "
                "l’écosystème était partant pour une telle candidature. Nous ne voulions "
                "pas ramer dans le désert.",
            },
            {
                "question": "L’économie locale a répondu présente à votre appel ?",
                "answer": "Le 16 septembre dernier, 130 entreprises sont venues à l’agglo pour un "
                "petit-déjeuner. Nous avons été surpris de l’engouement. Nous avons alors "
                "mis en place des groupes de travail, une plateforme numérique pour "
                "échanger les infos afin de travailler sur cette candidature.",
            },
            {
                "question": "Cette façon de travailler est nouvelle pour vous ?",
                "answer": "Oui, elle est unique également. Il existe déjà des métropoles labellisées, "
                "mais leur candidature a été pilotée par des cabinets privés qui ont monté "
                "les dossiers. Notre démarche, à Tour(s)plus, est plus vertueuse, plus "
                "longue aussi.",
            },
            {
                "question": "Quelles sont les spécificités de la candidature tourangelle ?",
                "answer": "Nous voulons mettre en avant nos spécialités locales également, toujours "
                "dans la perspective du numérique : tourisme et patrimoine, éco "
                "technologie, innovation sociale, bio-médicament. Label ou non, cette "
                "initiative permet de mettre en place une stratégie marketing de notre "
                "territoire sur l’économie numérique.",
            },
            {
                "question": "Le fab lab, la cantine numérique, la web school… Ce sont quand même des "
                "structures relativement nouvelles sur Tours ?",
                "answer": "Oui, cette candidature nous donne les moyens de les faire émerger.",
            },
        ],
    },
    "related": [
        "https://www.tmvtours.fr/article/le-label-french-tech-fait-des-emules/",
        "https://www.tmvtours.fr/article/ecologie-la-metropole-plante-mille-arbres/",
    ],
}


@pytest.mark.parametrize("n, seed", [(3, 1), (50, 2), (N, 1)])
def test_seed_article_is_exported_like_the_reference(n, seed):
    site = wordpress_site(n, seed)
    seed = next(item for item in site.expected if item["post_id"] == 20417)
    assert seed == SEED_ITEM
    for url in seed["related"]:
        assert path_of(url) in site.pages


def test_seed_page_has_the_reference_structure(site):
    page = html(site.pages[SEED_PATH])
    assert page.css("body.page-article::attr(data-post-id)").get() == "20417"
    assert (
        page.css("p.article-meta").xpath("string()").get()
        == "Publié le 29-01-2015 10:50:11 Modifié le 29-01-2015 10:50:11 Par tmv"
    )
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
        "Allow: /wp-admin/admin-ajax.php\n\nSitemap: https://www.tmvtours.fr/sitemap_index.xml\n"
    )


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
        linking = [
            path
            for path, page in site.pages.items()
            if needle in page.body and not path.startswith(f"/article/{slug}/") and not path.startswith("/post-sitemap")
        ]
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
    site = site if n == N else wordpress_site(n, seed=4)
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
    for needle in (
        b"&nbsp;?",
        b"&nbsp;:",
        b"&#8239;",
        b"&#39;",
        b"&eacute;",
        b"<em>",
        b".\n      ",
        b"<p><strong>",
        b"<p><b>",
        b"</strong><br>\n",
        b"</b><br>\n",
        b"<h3>",
        b"<p>&nbsp;</p>",
        b'class="pub"',
        b"?fbclid=",
        b"Propos recueillis par",
    ):
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
                blocks += [("q", bold), ("p", fold(text[len(bold) :]))]  # question, <br>, first answer
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
        image_item = {
            "url": image,
            "caption": fold(CREDIT.sub("", printed)),
            "credit": fold(credit.group(1)) if credit else None,
        }
    blocks = body_blocks(container)
    return {
        "url": sel.css("link[rel=canonical]::attr(href)").get(),
        "post_id": post_id,
        "title": fold(sel.css("h1").xpath("string()").get()),
        "lead": fold(lead),
        "author": fold(author),
        "published_at": published,
        "modified_at": modified,
        "categories": _dedupe([fold(c.xpath("string()").get()) for c in cats]),
        "tags": _dedupe([fold(t.xpath("string()").get()) for t in tags]),
        "image": image_item,
        "body": "\n\n".join(text for _, text in blocks),
        "interview": interview(blocks),
        "related": related,
    }


@pytest.mark.parametrize("n, seed", [(N, 1), (60, 2)])
def test_pages_read_back_as_the_expected_items(n, seed, site):
    site = site if (n, seed) == (N, 1) else wordpress_site(n, seed)
    for item, page in article_pages(site):
        assert read_article(page) == item


# --- determinism and incremental sites -------------------------------------------------------


def test_builds_are_deterministic(site):
    again = wordpress_site(N, seed=1)
    assert again.pages == site.pages and again.expected == site.expected and again.truth == site.truth
    other = wordpress_site(N, seed=2)
    assert other.expected != site.expected


def test_extra_articles_are_newer_and_leave_the_others_alone(site):
    grown = wordpress_site(N, seed=1, extra_articles=5)
    assert grown.expected[:N] == site.expected
    assert grown.truth["articles"][:N] == site.truth["articles"]
    newest_before = max(datetime.fromisoformat(i["published_at"]) for i in site.expected)
    assert all(datetime.fromisoformat(i["published_at"]) > newest_before for i in grown.expected[N:])
    assert len(grown.expected) == N + 5
    assert listed_articles(grown, "/") >= {i["url"] for i in grown.expected[N:]} - {
        ROOT + f"/article/{s}/" for s in grown.truth["only_sitemap"]
    }


def test_modified_articles_change_date_body_page_and_sitemap(site):
    edited = wordpress_site(N, seed=1, modified=4)
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
    small = wordpress_site(12, seed=3)
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
        wordpress_site(2)


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
    assert status == 200 and b'<h1 class="page-title">Recherche</h1>' in body
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
        assert [(r[0], r[1], r[2]) for r in fresh.requests] == [
            ("GET", path, 503),
            ("GET", path, 200),
            ("GET", path, 200),
        ]


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
        grown = wordpress_site(N, seed=1, extra_articles=1)
        new_path = path_of(grown.expected[-1]["url"])
        assert fetch(running, new_path)[0] == 404
        running.site = grown
        assert fetch(running, new_path)[0] == 200


# --- the command line --------------------------------------------------------------------------


def test_cli_serve_writes_port_file_and_stops_on_sigterm(tmp_path):
    port_file = tmp_path / "port"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "tmvmirror", "serve", "--articles", "20", "--port-file", str(port_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
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
    result = subprocess.run(
        [sys.executable, "-m", "tmvmirror", "serve", "--articles", "lots"], capture_output=True, env=env
    )
    assert result.returncode == 2 and b"--articles" in result.stderr.splitlines()[-1]


# === the amp layout and the www front-end (explicit arguments: the defaults stay two layouts) ===

import hashlib  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

from tmvmirror.site import Site  # noqa: E402

ALL = ("legacy", "current", "amp")
N_AMP = 300


@pytest.fixture(scope="module")
def amp_site():
    return build_site(N_AMP, seed=1, layouts=ALL)


def test_the_wordpress_site_is_byte_for_byte_unchanged():
    """build_site(300, seed=7) of the two WordPress layouts: the pages and items of before the amp layout."""
    site = build_site(300, seed=7, layouts=("legacy", "current"), sitemaps="index")
    digest = hashlib.sha256()
    for path in sorted(site.pages):
        page = site.pages[path]
        digest.update(repr((path, page.status, page.content_type, page.charset)).encode())
        digest.update(page.body)
    digest.update(json.dumps(site.expected, sort_keys=True).encode())
    assert digest.hexdigest() == "b2fb374776be67c5d09e611ec876f0c951235413974c4bb4623af8cf4f2f38ee"
    assert set(site.truth["layouts"].values()) == {"legacy", "current"} and site.truth["aliases"] == {}


def amp_items(site):
    layouts = site.truth["layouts"]
    return [
        (item, site.pages[path_of(item["url"])])
        for item, a in zip(site.expected, site.articles)
        if layouts[a.slug] == "amp"
    ]


def test_amp_is_a_third_of_every_period_and_the_seed_stays(amp_site):
    layouts = amp_site.truth["layouts"]
    by_year = {}
    for a in amp_site.articles:
        by_year.setdefault(a.published.year, []).append(layouts[a.slug] == "amp")
    for year, flags in by_year.items():
        assert 0.15 < sum(flags) / len(flags) < 0.55, year
    seed = next(item for item in amp_site.expected if item["post_id"] == 20417)
    assert seed == SEED_ITEM
    assert amp_site.pages[SEED_PATH].body == build_site(N_AMP, seed=1).pages[SEED_PATH].body
    for item, page in amp_items(amp_site):
        assert not item["url"].endswith("/") and item["url"].startswith(ROOT + "/article/")
        assert html(page).css("link[rel=canonical]::attr(href)").get() == item["url"]
    with pytest.raises(ValueError):
        build_site(20, layouts=("legacy", "wordpress"))


KNOWN_CLASSES = {
    "entry-title",
    "article-title",
    "entry-content",
    "article-body",
    "tags-links",
    "cat-links",
    "article-tags",
    "article-categories",
    "entry-meta",
    "article-meta",
    "chapo",
    "article-chapo",
    "wp-caption",
    "wp-caption-text",
    "article-image",
    "pub",
    "pub-label",
    "related",
    "related-posts",
    "page-article",
    "share-links",
    "widget-area",
    "page-numbers",
    "next",
    "site-header",
}


def class_names_of(page) -> set[str]:
    return {name for value in html(page).xpath("//@class").getall() for name in value.split()}


def test_amp_pages_are_amp_and_carry_no_known_class_name(amp_site):
    known = set(KNOWN_CLASSES)
    for slug, layout in amp_site.truth["layouts"].items():
        if layout != "amp":
            known |= class_names_of(amp_site.pages[f"/article/{slug}/"])
    containers = set()
    for item, page in amp_items(amp_site):
        text = page.body.decode()
        sel = html(page)
        assert re.search(r'<html (⚡|amp) lang="fr">', text) and "<style amp-custom>" in text
        assert not class_names_of(page) & known, item["url"]
        assert (
            'id="post-' not in text
            and "data-post-id" not in text
            and "<img " not in text.split("</head>")[1].replace("&lt;img", "")
        )
        if item["image"]:
            assert sel.css("amp-img[width][height][layout]::attr(src)").get() == item["image"]["url"]
        assert not sel.xpath("//*[starts-with(normalize-space(.), 'Publié le')]//time")
        assert sel.xpath("//time/ancestor::aside") and not sel.xpath("//time[not(ancestor::aside)]")
        assert sel.css('head link[rel=alternate][type="application/rss+xml"]')
        containers.add(sel.xpath("//main//h1/..").xpath("name()").get())
    assert containers == {"article", "div"}


def test_amp_class_names_change_with_the_seed(amp_site):
    again = build_site(60, seed=1, layouts=ALL)
    other = build_site(60, seed=2, layouts=ALL)
    names = lambda site: set().union(*(class_names_of(page) for _, page in amp_items(site)))  # noqa: E731
    assert names(again) <= names(amp_site)
    assert names(other) and not names(other) & names(amp_site)


# --- an independent reading of the amp pages, without any class name ----------------------------

SHORTCODE = re.compile(r"\[(nrm_embed|caption)[^\]]*\].*?\[/\1\]", re.S)
BYLINE = re.compile(r"^(?:Publié le (\S+ \S+))?\s*(?:Modifié le (\S+ \S+))?\s*(?:Par (.+))?$")


def _local(stamp: str | None) -> str | None:
    if not stamp:
        return None
    return datetime.strptime(stamp, "%d-%m-%Y %H:%M:%S").replace(tzinfo=PARIS, fold=0).isoformat()


def _labelled(sel, label: str) -> list[str]:
    """The names after a 'Label :' text, wherever the label sits: its links, else its words."""
    boxes = sel.xpath(f"//*[starts-with(normalize-space(.), '{label} :')][.//a]")
    if boxes:
        return [fold(a.xpath("string()").get()) for a in boxes[-1].css("a")]
    plain = sel.xpath(f"//p[starts-with(normalize-space(.), '{label} :')]/text()").get()
    return [fold(name) for name in plain.split(":", 1)[1].split(",")] if plain else []


def read_amp_article(page) -> dict:
    sel = html(page)
    h1 = sel.xpath("//main//h1")[0]  # not the site's name in the header
    siblings = h1.xpath("following-sibling::*")
    byline = re.sub(r"\s*· \d+ min de lecture$", "", fold(siblings[0].xpath("string()").get()) or "")
    match = BYLINE.match(byline) if re.match(r"(Publié le|Par) ", byline) else None
    if match:
        siblings = siblings[1:]
    parts = []
    for element in siblings:
        if re.match(r"(Tags|Catégories) :", fold(element.xpath("string()").get()) or ""):
            break
        parts.append(element)
    body, image, lead = parts[-1], None, None
    for element in parts[:-1]:
        if element.xpath(".//amp-img"):
            printed = fold(element.xpath("string()").get()) or ""
            credit = CREDIT.search(printed)
            image = {
                "url": element.xpath(".//amp-img/@src").get(),
                "caption": fold(CREDIT.sub("", printed)),
                "credit": fold(credit.group(1)) if credit else None,
            }
        else:
            lead = fold(element.xpath("string()").get())
    blocks = [(kind, fold(SHORTCODE.sub("", text))) for kind, text in body_blocks([body])]
    blocks = [(kind, text) for kind, text in blocks if text]
    related = sel.xpath("//*[normalize-space(text())='Vous aimerez aussi']/following-sibling::*//a/@href").getall()
    shortlink = sel.css("link[rel=shortlink]::attr(href)").get()
    return {
        "url": sel.css("link[rel=canonical]::attr(href)").get(),
        "post_id": int(shortlink.split("?p=")[1]),
        "title": fold(h1.xpath("string()").get()),
        "lead": lead,
        "author": fold(match[3]) if match else None,
        "published_at": _local(match[1]) if match else None,
        "modified_at": _local(match[2]) if match else None,
        "categories": _dedupe(_labelled(sel, "Catégories")),
        "tags": _dedupe(_labelled(sel, "Tags")),
        "image": image,
        "body": "\n\n".join(text for _, text in blocks),
        "interview": interview(blocks),
        "related": related,
    }


@pytest.mark.parametrize("n, seed", [(N_AMP, 1), (60, 2)])
def test_amp_pages_read_back_without_class_names(n, seed, amp_site):
    site = amp_site if n == N_AMP else build_site(n, seed, layouts=ALL)
    pairs = amp_items(site)
    assert len(pairs) > n // 5
    for item, page in pairs:
        assert read_amp_article(page) == item, item["url"]


# --- every variation, in every layout --------------------------------------------------------------


def layout_variations(site, layout: str) -> None:
    layouts = site.truth["layouts"]
    pairs = [
        (item, site.pages[path_of(item["url"])])
        for item, a in zip(site.expected, site.articles)
        if layouts[a.slug] == layout
    ]
    items = [item for item, _ in pairs]
    bodies = b"".join(page.body for _, page in pairs)
    for needle in (
        b"&nbsp;?",
        b"&nbsp;:",
        b"&#8239;",
        b"&#39;",
        b"&eacute;",
        b"<em>",
        b".\n      ",
        b"<p><strong>",
        b"<p><b>",
        b"</strong><br>\n",
        b"</b><br>\n",
        b"<h3>",
        b"<p>&nbsp;</p>",
        "Publicité".encode(),
        b"?fbclid=",
        b"Propos recueillis par",
        b"-ancienne-version/",
    ):
        assert needle in bodies, (layout, needle)
    for form in ("(Photo ", "(Photo : ", "(photo ", "(Crédit photo : "):
        assert form.encode() in bodies, (layout, form)
    assert any(i["image"] is None for i in items), layout
    assert any(i["image"] and i["image"]["caption"] is None and i["image"]["credit"] for i in items), layout
    assert any(i["image"] and i["image"]["credit"] is None for i in items), layout
    for field in ("lead", "author", "modified_at", "interview"):
        assert any(i[field] is None for i in items) and any(i[field] for i in items), (layout, field)
    assert any(i["interview"] and i["interview"]["interviewer"] is None for i in items), layout
    assert any(not i["tags"] for i in items) and any(i["related"] for i in items), layout
    assert any(i["interview"] is None and any(b.endswith("?") for b in i["body"].split("\n\n")) for i in items)
    assert any({"tour(s) plus", "Tours", "été 2023"} <= set(i["tags"]) for i in items), layout
    texts = [html(page).xpath("//a[contains(@href, '/article/tag/')]/text()").getall() for _, page in pairs]
    assert any(len({" ".join(t.split()).casefold() for t in links}) < len(links) for links in texts), layout
    assert any(any(t != t.strip() for t in links) for links in texts), layout
    slugs = {a.slug for a in site.articles if layouts[a.slug] == layout}
    assert {path_of(p).split("/")[2] for p in site.truth["flaky"]} & slugs, layout
    assert set(site.truth["only_sitemap"]) & slugs and set(site.truth["only_archives"]) & slugs, layout
    if layout != "legacy":  # the night summer time ends: the first 02:30, no JSON-LD
        dst = [
            (i, p)
            for i, p in pairs
            if i["published_at"].endswith("T02:30:00+02:00") and datetime.fromisoformat(i["published_at"]).month == 10
        ]
        assert dst and all(b"ld+json" not in p.body for _, p in dst), layout


@pytest.mark.parametrize("n, seed", [(50, 4), (N_AMP, 1)])
def test_every_variation_appears_in_every_layout(n, seed, amp_site):
    site = amp_site if n == N_AMP else build_site(n, seed, layouts=ALL)
    for layout in ALL:
        layout_variations(site, layout)
    assert "1er mars 2014 à 8h05".encode() in b"".join(p.body for _, p in article_pages(site))
    assert any(p.charset == "windows-1252" for _, p in article_pages(site))
    amp_variations(site)


def amp_variations(site) -> None:
    """What only the amp layout varies in."""
    pairs = amp_items(site)
    articles = {a.url: a for a in site.articles}
    earlier = [i for i, _ in pairs if i["modified_at"] and i["modified_at"] < i["published_at"]]
    assert earlier
    for item in earlier:  # both kept as shown
        page = site.pages[path_of(item["url"])].body.decode()
        assert "Modifié le " + datetime.fromisoformat(item["modified_at"]).strftime("%d-%m-%Y %H:%M:%S") in page
    raw = [(i, p) for i, p in pairs if b"[nrm_embed]&lt;iframe" in p.body]
    assert raw and any(b"[caption id=" in p.body for _, p in pairs)
    assert any(re.search(rb"<p>\[nrm_embed\][^<]*\[/nrm_embed\]</p>", p.body) for _, p in raw)  # alone
    assert any(re.search(rb"<p>(?!\[)(?:(?!</p>).)+?\[nrm_embed\]", p.body, re.S) for _, p in raw)  # after text
    assert any(re.search(rb"\[/nrm_embed\](?!</p>)", p.body) for _, p in raw)  # before text
    for item, _ in pairs:
        assert "[nrm_embed]" not in item["body"] and "[caption" not in item["body"] and "iframe" not in item["body"]
    documents = []
    for item, page in pairs:
        for text in html(page).css("script[type='application/ld+json']::text").getall():
            documents.append((item, json.loads(text)))
    assert 0.3 < len(documents) / len(pairs) < 0.75
    types = set()
    spellings = set()
    for item, document in documents:
        nodes = document.get("@graph", [document])
        types |= {node["@type"] for node in nodes}
        article = next(node for node in nodes if node["@type"] in ("NewsArticle", "Article", "BlogPosting"))
        written = article["datePublished"]
        if written.endswith("+0000"):  # www's: the Paris wall clock labelled UTC (Ampize's dates)
            spellings.add("ampize")
            assert written == datetime.fromisoformat(item["published_at"]).strftime("%Y-%m-%dT%H:%M:%S+0000")
        else:
            spellings.add("utc" if written.endswith("Z") else "paris")
            assert paris(written) == item["published_at"]
        if item["author"] is None:
            assert "author" not in article
        elif article["author"]["name"] != item["author"]:
            assert article["author"]["name"] == "tmv"
    assert {"NewsArticle", "Article", "BlogPosting", "WebPage", "Organization"} <= types
    assert spellings == {"ampize", "utc", "paris"}
    assert any("@graph" in d for _, d in documents)
    assert any(
        i["author"] not in (None, "tmv") and d.get("@graph", [d])[-1].get("author", {}).get("name") == "tmv"
        for i, d in documents
    )
    assert any(b'property="og:title"' in p.body for _, p in pairs) and any(
        b'property="og:title"' not in p.body for _, p in pairs
    )
    assert any(b"article:published_time" in p.body for _, p in pairs)
    assert {a.shape["byline"] for a in articles.values() if a.layout == "amp"} == {"one", "spans"}


# --- the www URL shapes, through a real server ------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(root: str, path: str, headers: dict | None = None):
    """(status, headers, body) of a GET through urllib, redirects not followed, the path sent as is."""
    try:
        with _OPENER.open(urllib.request.Request(root + path, headers=headers or {}), timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def amp_server(amp_site):
    with MirrorServer(amp_site) as running:
        yield running


def test_amp_article_answers_at_all_its_spellings(amp_server, amp_site):
    root = amp_server.root
    amp = [a for a in amp_site.articles if a.layout == "amp" and not a.flaky]
    for a in (next(a for a in amp if a.p_redirect), next(a for a in amp if not a.p_redirect)):
        status, headers, canonical = get(root, a.path)
        assert status == 200 and f'<link rel="canonical" href="{root}/article/{a.slug}">'.encode() in canonical
        status, headers, _ = get(root, f"/article/{a.slug}/")
        assert status == 301 and headers["Location"] == f"{root}/article/{a.slug}"
        for raw in (f"/detail-article/article%252F{a.slug}", f"/detail-article/article%2F{a.slug}"):
            status, headers, body = get(root, raw)
            assert status == 200 and body == canonical, raw
        status, headers, body = get(root, f"/?p={a.post_id}")
        if a.p_redirect:
            assert status == 301 and headers["Location"] == f"{root}/article/{a.slug}"
        else:
            assert status == 200 and body == canonical
        assert get(root, a.path + "?utm_source=sidebar")[2] == canonical
    assert [r[1] for r in amp_server.requests[-2:]] == [f"/?p={a.post_id}", a.path + "?utm_source=sidebar"]


def test_wordpress_articles_keep_their_slash_and_answer_p(amp_server, amp_site):
    root = amp_server.root
    for layout in ("legacy", "current"):
        a = next(a for a in amp_site.articles if a.layout == layout and not a.flaky and not a.is_seed)
        assert get(root, f"/article/{a.slug}/")[0] == 200
        status, headers, _ = get(root, f"/?p={a.post_id}")
        assert status == 301 and headers["Location"] == f"{root}/article/{a.slug}/"
        status, headers, _ = get(root, f"/article/{a.slug}")
        assert status == 301 and headers["Location"] == f"{root}/article/{a.slug}/"
    assert get(root, "/?p=1")[0] == 404
    assert get(root, "/?utm_source=x")[0] == 200


def test_www_categories_archives_and_conditional_gets(amp_server, amp_site):
    root = amp_server.root
    status, _, body = get(root, "/category/news")
    assert status == 200 and b"<style amp-custom>" in body
    assert get(root, "/category/news/")[0] == 200
    assert get(root, "/category/news?page=2")[0] == 200
    assert get(root, "/category/news?page=999")[0] == 404
    assert get(root, "/category/news?page=1")[2] == get(root, "/category/news")[2]
    assert get(root, "/category/news?page=2&utm_source=x")[2] == get(root, "/category/news?page=2")[2]
    status, headers, _ = get(root, "/article/2015/03")
    assert status == 301 and headers["Location"] == f"{root}/article/2015/03/"
    path = detail_of(next(a for a in amp_site.articles if a.layout == "amp" and not a.flaky))
    status, headers, _ = get(root, path)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(root, path, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(root, path, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304


def detail_of(a) -> str:
    return f"/detail-article/article%252F{a.slug}"


def test_flaky_amp_page_answers_503_once(amp_site):
    flaky = [p for p in amp_site.truth["flaky"] if amp_site.truth["layouts"][p.split("/")[2]] == "amp"]
    assert flaky and not flaky[0].endswith("/")
    with MirrorServer(amp_site) as fresh:
        assert get(fresh.root, flaky[0])[0] == 503
        assert get(fresh.root, flaky[0])[0] == 200


def test_truth_aliases_and_post_ids(amp_site):
    truth = amp_site.truth
    canonical = {path_of(item["url"]) for item in amp_site.expected}
    assert set(truth["aliases"].values()) <= canonical
    for alias, target in truth["aliases"].items():
        page = amp_site.pages[alias]
        if page.status == 301:
            assert page.location == ROOT + target
        else:
            assert page.body == amp_site.pages[target].body
    spelled = {
        re.sub(r"(?<=/article/)[a-z0-9-]+(?=/$)|(?<=%2F)[a-z0-9-]+$|(?<=%252F)[a-z0-9-]+$|(?<=p=)\d+$", "*", alias)
        for alias in truth["aliases"]
    }
    assert spelled == {"/article/*/", "/detail-article/article%252F*", "/detail-article/article%2F*", "/?p=*"}
    assert truth["post_ids"] == {path_of(item["url"]).split("/")[2]: item["post_id"] for item in amp_site.expected}


# --- listings, sitemaps, feed -----------------------------------------------------------------------

NEXT_TEXTS = {"Suivant »", "Page suivante", "›"}


def next_page(sel) -> str | None:
    """The next page of a listing without class names: <link rel=next>, or a link saying so."""
    head = sel.css("head link[rel=next]::attr(href)").get()
    if head:
        return head
    return next((a.attrib["href"] for a in sel.css("a") if fold(a.xpath("string()").get()) in NEXT_TEXTS), None)


def crawl_listing(site, start: str) -> tuple[set[str], int]:
    """(article links, number of pages) of a listing, read from the h2/h3 title links."""
    found, path, count = set(), start, 0
    while path:
        sel = html(site.pages[path])
        count += 1
        titles = sel.xpath("//main//*[self::h2 or self::h3]/a/@href").getall()
        more = [a.attrib["href"] for a in sel.css("main a") if fold(a.xpath("string()").get()) == "Lire la suite"]
        assert titles == more, path
        found.update(titles)
        following = next_page(sel)
        path = path_of(following) if following else None
    return found, count


def canonical_of(site, url: str) -> str:
    path = path_of(url)
    return ROOT + site.truth["aliases"].get(path, path)


def test_www_listings_mix_spellings_and_paginate_in_several_ways(amp_site):
    hidden = {
        ROOT + article_path for article_path in (a.path for a in amp_site.articles if a.visibility == "only_sitemap")
    }
    everything = {item["url"] for item in amp_site.expected}
    links, pages = crawl_listing(amp_site, "/")
    assert pages == -(-len(everything - hidden) // 10)
    assert {canonical_of(amp_site, link) for link in links} == everything - hidden
    assert any("/detail-article/article%252F" in link for link in links)
    assert any("/?p=" in link for link in links)
    assert sum(link.startswith(ROOT + "/article/") for link in links) > len(links) * 0.6
    styles = set()
    for path, page in amp_site.pages.items():
        if page.content_type == "text/html" and (path.rstrip("/").endswith("page/2") or path.endswith("?page=2")):
            body = page.body.decode()
            styles |= {
                name
                for name, needle in (
                    ("wp", 'class="next page-numbers"'),
                    ("rel", 'rel="next"'),
                    ("text", ">Page suivante<"),
                    ("arrow", ">&rsaquo;</a>"),
                )
                if needle in body
            }
    assert styles == {"wp", "rel", "text", "arrow"}
    category, _ = crawl_listing(amp_site, "/category/news")
    news = {item["url"] for item in amp_site.expected if "News" in item["categories"]} - hidden
    assert {canonical_of(amp_site, link) for link in category} == news


@pytest.mark.parametrize("style", ["index", "robots", "unnamed", "none"])
def test_sitemap_styles(style):
    site = build_site(120, seed=3, layouts=ALL, sitemaps=style)
    robots = site.pages["/robots.txt"].body.decode()
    named = re.findall(r"^Sitemap: (\S+)$", robots, re.M)
    xml = {path for path, page in site.pages.items() if page.content_type == "application/xml"}
    if style == "none":
        assert named == [] and xml == set()
        return
    index = {"index": "/sitemap_index.xml", "robots": "/sitemap.xml", "unnamed": "/wp-sitemap.xml"}[style]
    assert named == ([] if style == "unnamed" else [ROOT + index])
    assert not {"/sitemap_index.xml", "/sitemap.xml", "/wp-sitemap.xml"} - {index} & xml
    sel = Selector(text=site.pages[index].body.decode(), type="xml")
    sel.remove_namespaces()
    children = sel.xpath("//sitemap/loc/text()").getall()
    assert xml == {index} | {path_of(loc) for loc in children}
    if style == "robots":
        assert len(sel.xpath("//sitemap/lastmod")) == len(children)
    locs = {}
    for child in children:
        urlset = Selector(text=site.pages[path_of(child)].body.decode(), type="xml")
        urlset.remove_namespaces()
        for url in urlset.xpath("//url"):
            locs[url.xpath("loc/text()").get()] = url.xpath("lastmod/text()").get()
    hidden = {a.url for a in site.articles if a.visibility == "only_archives"}
    assert {canonical_of(site, loc) for loc in locs} == {item["url"] for item in site.expected} - hidden
    assert any(loc.endswith("/") and canonical_of(site, loc) != loc for loc in locs)  # amp with a slash
    assert any("/detail-article/" in loc for loc in locs)


def test_feed_and_every_page_links_it(amp_site):
    feed = Selector(text=amp_site.pages["/feed/"].body.decode(), type="xml")
    links = feed.xpath("//item/link/text()").getall()
    hidden = {a.url for a in amp_site.articles if a.visibility == "only_sitemap"}
    assert links == [item["url"] for item in reversed(amp_site.expected) if item["url"] not in hidden][:10]
    for path, page in amp_site.pages.items():
        if page.content_type == "text/html" and page.status == 200 and path != "/wp-admin/":
            assert (
                html(page).css('head link[rel=alternate][type="application/rss+xml"]::attr(href)').get()
                == ROOT + "/feed/"
            ), path


# --- the without knobs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "what, field, label",
    [
        ("tags", "tags", "Tags :"),
        ("categories", "categories", "Catégories :"),
        ("author", "author", "Par "),
        ("lead", "lead", None),
        ("image", "image", None),
    ],
)
def test_without_a_field(what, field, label):
    site = build_site(60, seed=5, layouts=ALL, without={what})
    assert len(site.expected) == 60
    assert all(item[field] in ([], None) for item in site.expected)
    full = build_site(60, seed=5, layouts=ALL)
    assert any(item[field] for item in full.expected)
    for (item, page), a in zip(article_pages(site), site.articles):
        text = page.body.decode(page.charset)
        if label:
            assert label not in fold(html(page).xpath("//main").xpath("string()").get() or ""), item["url"]
        if what == "image":
            assert "amp-img" not in text and "wp-caption" not in text and "article-image" not in text
        if what == "lead":
            assert "chapo" not in text
        if what == "author":
            assert '"author"' not in text and 'rel="author"' not in text
        if a.layout == "amp":
            assert read_amp_article(page) == item


def test_without_articles_every_article_answers_404():
    site = build_site(60, seed=5, layouts=ALL, without={"articles"})
    assert site.expected == []
    for a in site.articles:
        assert site.pages[a.path].status == 404
    links, _ = crawl_listing(site, "/")
    assert links
    with MirrorServer(site) as running:
        a = next(a for a in site.articles if a.layout == "amp" and not a.flaky)
        assert get(running.root, a.path)[0] == 404
        assert get(running.root, detail_of(a))[0] == 404


def test_without_dates_article_pages_show_no_date():
    site = build_site(60, seed=5, layouts=ALL, without={"dates"})
    assert site.expected == []
    for a in site.articles:
        text = site.pages[a.path].body.decode(site.pages[a.path].charset)
        for needle in ("Publié le", "Modifié le", "Mis à jour", "ld+json", "article:published_time", "<time"):
            assert needle not in text, (a.path, needle)
        title = html(site.pages[a.path]).xpath("//h1[not(ancestor::header) or ancestor::main]")  # not the site's name
        assert fold(title.xpath("string()").get()) == fold(a.title)


def test_bad_knobs_are_refused():
    with pytest.raises(ValueError):
        build_site(20, sitemaps="yoast")
    with pytest.raises(ValueError):
        build_site(20, without={"everything"})


# --- write / load, determinism, command line -------------------------------------------------------


def test_write_and_load_round_trip_with_redirects(tmp_path):
    site = build_site(40, seed=6, layouts=ALL, sitemaps="robots")
    site.write(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert len({entry["file"] for entry in manifest.values()}) == len(manifest)
    redirect = next(entry for entry in manifest.values() if entry["status"] == 301)
    assert redirect["location"].startswith(ROOT + "/article/")
    loaded = Site.load(tmp_path)
    assert set(loaded.pages) == set(site.pages)
    for path, page in site.pages.items():
        again = loaded.pages[path]
        assert (again.status, again.content_type, again.charset, again.body, again.location) == (
            page.status,
            page.content_type,
            page.charset,
            page.body,
            page.location,
        ), path
    assert loaded.truth == json.loads(json.dumps(site.truth)) and loaded.truth["aliases"]
    a = next(a for a in site.articles if a.layout == "amp" and not a.flaky)
    with MirrorServer(loaded) as running:
        status, headers, _ = get(running.root, f"/article/{a.slug}/")
        assert status == 301 and headers["Location"] == running.root + a.path
        assert get(running.root, detail_of(a))[0] == 200


def test_amp_builds_are_deterministic(amp_site):
    again = build_site(N_AMP, seed=1, layouts=ALL)
    assert again.pages == amp_site.pages and again.expected == amp_site.expected and again.truth == amp_site.truth
    grown = build_site(N_AMP, seed=1, layouts=ALL, extra_articles=4)
    assert grown.expected[:N_AMP] == amp_site.expected


def test_cli_generate_takes_the_new_options(tmp_path):
    from tmvmirror.__main__ import main

    assert (
        main(
            [
                "generate",
                "--articles",
                "30",
                "--layouts",
                "legacy,current,amp",
                "--sitemaps",
                "unnamed",
                "--without",
                "lead,image",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert "amp" in truth["layouts"].values() and truth["sitemaps"] == "unnamed"
    assert truth["without"] == ["image", "lead"]
    robots = (tmp_path / "files" / "robots.txt.txt").read_text()
    assert "Sitemap:" not in robots
    with pytest.raises(SystemExit):
        main(["generate", "--articles", "30", "--without", "nothing", "--out", str(tmp_path)])


def test_amp_sidebar_links_archives_without_their_slash(amp_server, amp_site):
    page = amp_site.pages[next(a.path for a in amp_site.articles if a.layout == "amp")]
    months = html(page).xpath("//aside//a[not(contains(@href, 'utm_source'))]/@href").getall()
    assert months and all(re.fullmatch(re.escape(ROOT) + r"/article/\d{4}/\d{2}", href) for href in months)
    status, headers, _ = get(amp_server.root, path_of(months[0]))
    assert status == 301 and headers["Location"] == amp_server.root + path_of(months[0]) + "/"
    latest = html(page).xpath("//aside//a[contains(@href, 'utm_source=sidebar')]/@href").getall()
    assert len(latest) == 5


def test_flaky_amp_page_fails_once_whatever_its_spelling(amp_site):
    path = next(p for p in amp_site.truth["flaky"] if amp_site.truth["layouts"][p.split("/")[2]] == "amp")
    with MirrorServer(amp_site) as fresh:
        assert get(fresh.root, "/detail-article/article%252F" + path.split("/")[2])[0] == 503
        assert get(fresh.root, path)[0] == 200


def test_fault_plan_on_an_amp_site(amp_site):
    from tmvmirror.faults import fault_truth, plan_faults

    faults = plan_faults(amp_site, seed=2, sitemaps=True)
    articles = {path_of(item["url"]) for item in amp_site.expected}
    assert {path for path in faults if path in articles} and any(not p.endswith("/") for p in faults)
    truth = fault_truth(amp_site, faults)
    assert set(truth["exported"]) | set(truth["lost"]) | set(truth["unreachable"]) == articles
    lost = next(path for path in truth["lost"] if faults[path].kind == "status" and faults[path].times == 0)
    with MirrorServer(amp_site, faults=faults) as running:
        assert get(running.root, lost)[0] == 500 and get(running.root, lost)[0] == 500


def test_amp_items_follow_the_schema_and_paris_time(amp_site):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(__file__).resolve().parents[1] / "tmvspider" / "schema" / "article.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    for item, page in amp_items(amp_site):
        validator.validate({**item, "crawled_at": "2026-11-27T03:00:00Z"})
        for moment in filter(None, (item["published_at"], item["modified_at"])):
            wall = datetime.fromisoformat(moment).replace(tzinfo=None)
            assert wall.replace(tzinfo=PARIS, fold=0).isoformat() == moment
        for text in html(page).css("script[type='application/ld+json']::text").getall():
            nodes = json.loads(text).get("@graph", [json.loads(text)])
            node = nodes[-1]
            assert node.get("keywords", []) == item["tags"] and node.get("articleSection", []) == item["categories"]


def test_www_site_has_no_accidental_404(amp_site):
    """Every link to the site from any page answers (200, or a redirect to a 200), but the dead ones."""
    from tmvmirror.server import resolve

    def answers(url: str, hops: int = 3) -> bool:
        path, _, query = path_of(url).split("#")[0].partition("?")
        key = resolve(amp_site, path, query)
        page = amp_site.pages.get(key) if key else None
        if page is None and key and not key.endswith("/") and key + "/" in amp_site.pages:
            page = amp_site.pages[key + "/"]
        if page is not None and page.location:
            return hops > 0 and answers(page.location, hops - 1)
        return page is not None and page.status == 200

    dead = {ROOT + path for path in amp_site.truth["dead_links"]}
    checked = set()
    for path, page in amp_site.pages.items():
        if page.content_type == "text/html":
            hrefs = html(page).xpath("//a/@href | //link/@href").getall()
        elif page.content_type.endswith("xml"):
            hrefs = re.findall(r"<(?:loc|link)>([^<]+)<", page.body.decode())
        else:
            continue
        for href in hrefs:
            if href.startswith(ROOT) and "/wp-content/" not in href and href not in checked and href not in dead:
                checked.add(href)
                assert answers(href), (path, href)
    assert len(checked) > 1000
    for path, page in amp_site.pages.items():
        if page.content_type.endswith("xml"):
            assert Selector(text=page.body.decode(), type="xml").xpath("/*"), path


def test_faults_follow_the_article_under_its_aliases(amp_site):
    from tmvmirror.faults import Fault

    a = next(a for a in amp_site.articles if a.layout == "amp" and not a.flaky and not a.p_redirect)
    with MirrorServer(amp_site, faults={a.path: Fault("status", times=2, status=502)}) as running:
        assert get(running.root, detail_of(a))[0] == 502
        assert get(running.root, f"/?p={a.post_id}")[0] == 502
        assert get(running.root, a.path)[0] == 200
        assert running.fault_counts[a.path] == 2


def test_www_only_sitemap_articles_are_linked_from_nowhere_else(amp_site):
    own = {}
    for alias, target in amp_site.truth["aliases"].items():
        own.setdefault(target, set()).add(alias)
    for a in amp_site.articles:
        if a.visibility != "only_sitemap":
            continue
        needle = re.compile(
            rf"/article/{re.escape(a.slug)}(?=[/\"?<#])|%2(?:52)?F{re.escape(a.slug)}(?=[\"<])"
            rf"|\?p={a.post_id}(?=[\"<&])".encode()
        )
        mine = {a.path, a.path + "amp/"} | own.get(a.path, set())
        linking = [
            path
            for path, page in amp_site.pages.items()
            if needle.search(page.body) and path not in mine and not path.endswith(".xml")
        ]
        assert linking == [], a.slug


def test_www_modified_articles_change_page_and_sitemap(amp_site):
    edited = build_site(N_AMP, seed=1, layouts=ALL, modified=12)
    changed = [(old, new) for old, new in zip(amp_site.expected, edited.expected) if old != new]
    assert len(changed) == 12
    amp = 0
    for old, new in changed:
        assert {k for k in old if old[k] != new[k]} <= {"modified_at", "body", "interview"}
        page = edited.pages[path_of(new["url"])]
        assert page.last_modified == datetime.fromisoformat(new["modified_at"])
        if not new["url"].endswith("/"):
            amp += 1
            assert read_amp_article(page) == new
    assert amp
