"""The theme-free reader on the forms French news and WordPress/AMP sites use, on markup no rule
was written for: small hand-written pages, each field read by what the page shows and says."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from tmvspider.parsers import read_article

URL = "https://www.tmvtours.fr/article/le-marche-de-noel-s-installe"
SITE = "La Gazette du Val"
SENTENCE = "Les chalets du marché ouvrent place Jean-Jaurès jusqu'au 31 décembre, avec des artisans de la région. "
TEXT = "".join(f"<p>{SENTENCE * 2}Paragraphe {i}.</p>" for i in range(1, 4))
BYLINE = "<p class='meta'>Publié le 26/03/2024 à 07h27 par Jeanne Martin</p>"
CHROME_TOP = (
    f"<header class='site-header'><a class='logo' href='/'><img src='/wp-content/themes/gazette/logo.png' "
    f"alt='{SITE}'></a><nav><ul><li><a href='/'>Accueil</a></li><li><a href='/category/culture/'>Culture</a>"
    "</li><li><a href='/category/sport/'>Sport</a></li></ul></nav></header>"
)
CHROME_END = (
    "<aside class='sidebar'><h3>Les plus lus</h3><ul><li><a href='/article/autre-chose'>Autre chose</a> "
    "<time datetime='2020-01-01T08:00:00+01:00'>01/01/2020</time></li></ul></aside>"
    f"<footer class='site-footer'><p>© 2024 {SITE}. Tous droits réservés.</p></footer>"
)


def page(article: str, head: str = "", title: str = "Le marché de Noël s'installe", chrome: bool = True) -> str:
    top, end = (CHROME_TOP, CHROME_END) if chrome else ("", "")
    return (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title} | {SITE}</title>"
        f"<meta property='og:site_name' content='{SITE}'>{head}</head><body>{top}<main>{article}</main>{end}"
        "</body></html>"
    )


def read(html: str, url: str = URL):
    parser, item = read_article(HtmlResponse(url, body=html.encode(), encoding="utf-8"))
    assert parser is not None and parser.name == "theme-free"
    assert not parser.field_errors
    return item


def article(*parts: str, headline: str = "<h1>Le marché de Noël s'installe</h1>") -> str:
    return page(f"<article>{headline}{''.join(parts)}</article>")


# ---------------------------------------------------------------- dates in bylines


@pytest.mark.parametrize(
    "line, published, author",
    [
        ("Publié par Jeanne Martin le 26 mars 2024 à 07h27", "2024-03-26T07:27:00+01:00", "Jeanne Martin"),
        ("Publié le 26 mars 2024 à 07h27 par Jeanne Martin", "2024-03-26T07:27:00+01:00", "Jeanne Martin"),
        ("Par Jeanne Martin | 26/03/2024 07:27", "2024-03-26T07:27:00+01:00", "Jeanne Martin"),
        ("Par Jeanne Martin, le 26-03-2024 à 7 h 27", "2024-03-26T07:27:00+01:00", "Jeanne Martin"),
        ("Le 26.03.2024 à 07:27", "2024-03-26T07:27:00+01:00", None),
        ("Publié le mardi 26 mars 2024 à 07:27:13", "2024-03-26T07:27:13+01:00", None),
        ("Publié le 1er mars 2024", "2024-03-01T00:00:00+01:00", None),
        ("Jeanne Martin — 26 mars 2024", "2024-03-26T00:00:00+01:00", None),
        ("<span>Par <a href='/author/jeanne/'>Jeanne Martin</a></span> <span>26/03/2024 07:27</span>", None, None),
    ],
)
def test_a_byline_in_any_of_the_forms_sites_use(line, published, author):
    item = read(article(f"<div class='meta'>{line}</div>", f"<div class='content'>{TEXT}</div>"))
    if published is None:  # the last: its parts in elements of their own
        published, author = "2024-03-26T07:27:00+01:00", "Jeanne Martin"
    assert (item["published_at"], item["author"]) == (published, author)
    assert "2024" not in item["body"] and item["lead"] is None


@pytest.mark.parametrize(
    "line, modified",
    [
        ("Le 26/03/2024 à 07h27, mis à jour le 27/03/2024 à 10h05", "2024-03-27T10:05:00+01:00"),
        ("Publié le 26/03/2024 à 07h27 Modifié le 27/03/2024 à 10h05", "2024-03-27T10:05:00+01:00"),
        ("Publié le 26 mars 2024 à 07h27 - Actualisé le 27 mars 2024 à 10h05", "2024-03-27T10:05:00+01:00"),
        ("Mis à jour le 27 mars 2024 à 10:05 | Publié le 26 mars 2024 à 07:27", "2024-03-27T10:05:00+01:00"),
    ],
)
def test_a_modification_date_in_words_before_or_after_the_publication(line, modified):
    item = read(article(f"<p class='byline'>{line}</p>", f"<div>{TEXT}</div>"))
    assert (item["published_at"], item["modified_at"]) == ("2024-03-26T07:27:00+01:00", modified)


def test_a_date_in_the_text_is_no_byline():
    body = f"<p>Le 26 mars 2024, le maire a annoncé l'ouverture d'une nouvelle piscine au nord.</p>{TEXT}"
    assert read_article(HtmlResponse(URL, body=article(f"<div>{body}</div>").encode(), encoding="utf-8"))[1] is None


# ---------------------------------------------------------------- machine-readable dates


@pytest.mark.parametrize(
    "head, inside",
    [
        ("", "<time datetime='2024-03-26T06:27:13Z'>26 mars 2024</time>"),
        ("", "<footer><time class='entry-date published' datetime='2024-03-26T06:27:13+00:00'>26/03</time></footer>"),
        (
            '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},'
            '{"@type":"BlogPosting","datePublished":"2024-03-26T06:27:13+0000"}]}</script>',
            "",
        ),
        ("<meta itemprop='datePublished' content='2024-03-26T07:27:13+01:00'>", ""),
        ("", "<span itemprop='datePublished' content='2024-03-26T07:27:13+01:00'>26 mars</span>"),
        ("", "<time itemprop='datePublished' datetime='2024-03-26T07:27:13+01:00'>26 mars</time>"),
        ("<meta property='datePublished' content='2024-03-26T06:27:13Z'>", ""),
        ("<meta property='article:published_time' content='2024-03-26T06:27:13+00:00'>", ""),
        ("<meta name='DC.date.issued' content='2024-03-26T07:27:13+01:00'>", ""),
        ("<meta name='dcterms.created' content='2024-03-26T06:27:13Z'>", ""),
    ],
)
def test_a_machine_readable_date_in_every_standard_form(head, inside):
    item = read(page(f"<article><h1>Le marché de Noël s'installe</h1><div>{TEXT}</div>{inside}</article>", head))
    assert item["published_at"] == "2024-03-26T07:27:13+01:00"


def test_the_most_precise_consistent_source_wins():
    item = read(
        page(
            "<article><h1>Le marché de Noël s'installe</h1><p>Le 26 mars 2024 à 7 h 27</p>"
            f"<div>{TEXT}</div><time datetime='2024-03-26'>26 mars</time></article>",
            "<meta name='DC.date.issued' content='2024-03-26T07:27:13+01:00'>",
        )
    )
    assert item["published_at"] == "2024-03-26T07:27:13+01:00"


def test_modified_dates_in_machine_readable_forms():
    item = read(
        page(
            f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>",
            "<meta itemprop='dateModified' content='2024-03-27T10:05:00+01:00'>",
        )
    )
    assert item["modified_at"] == "2024-03-27T10:05:00+01:00"
    item = read(
        page(
            f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>",
            "<meta name='dcterms.modified' content='2024-03-27T09:05:00Z'>",
        )
    )
    assert item["modified_at"] == "2024-03-27T10:05:00+01:00"


# ---------------------------------------------------------------- headline


@pytest.mark.parametrize(
    "headline",
    [
        f"<header><h1 class='site-title'><a href='/'>{SITE}</a></h1></header>"
        "<article><h2 class='entry-title'>Le marché de Noël s'installe</h2>",
        "<article><div role='heading' aria-level='1' class='titre'>Le marché de Noël s'installe</div>",
        "<article>",
    ],
)
def test_the_headline_is_the_article_s_whatever_its_tag(headline):
    head = "<meta property='og:title' content=\"Le marché de Noël s'installe\">" if headline == "<article>" else ""
    item = read(page(f"{headline}{BYLINE}<div>{TEXT}</div></article>", head))
    assert item["title"] == "Le marché de Noël s'installe"


@pytest.mark.parametrize(
    "title, site",
    [
        (f"Tours – le marché de Noël s'installe | {SITE}", SITE),
        (f"{SITE} » Tours – le marché de Noël s'installe", SITE),
        ("Tours – le marché de Noël s'installe - Le Journal", ""),
    ],
)
def test_without_headline_nor_og_title_the_title_tag_less_the_site_s_name(title, site):
    html = page(f"<article>{BYLINE}<div>{TEXT}</div></article>").replace(
        f"<title>Le marché de Noël s'installe | {SITE}</title><meta property='og:site_name' content='{SITE}'>",
        f"<title>{title}</title><meta property='og:site_name' content='{site}'>",
    )
    assert read(html)["title"] == "Tours – le marché de Noël s'installe"


# ---------------------------------------------------------------- tags, categories, author


@pytest.mark.parametrize(
    "tags_line, categories_line",
    [
        (
            "<p>Mots-clés : <a href='/tag/noel/'>Noël</a>, <a href='/tag/tours/'>Tours</a></p>",
            "<p>Rubrique : <a href='/category/culture/'>Culture</a></p>",
        ),
        (
            "<div class='tags'><span>Étiquettes</span> <a href='/t/noel'>Noël</a> <a href='/t/tours'>Tours</a></div>",
            "<div><span>Rubriques :</span> <a href='/r/culture'>Culture</a></div>",
        ),
        (
            "<p>Sujets : <a href='/s/noel'>Noël</a> · <a href='/s/tours'>Tours</a></p>",
            "<p>Dans <a href='/c/culture'>Culture</a></p>",
        ),
        (
            "<p>Tagged <a href='/x/noel'>Noël</a>, <a href='/x/tours'>Tours</a></p>",
            "<p>Categorized as <a href='/y/culture'>Culture</a></p>",
        ),
        (
            "<p><a rel='tag' href='/tag/noel/'>Noël</a> <a rel='tag' href='/tag/tours/'>Tours</a></p>",
            "<p><a rel='category tag' href='/categorie/culture/'>Culture</a></p>",
        ),
        (
            "<div class='chips'><a href='/t/noel'>#Noël</a> <a href='/t/tours'>#Tours</a></div>",
            "<nav class='breadcrumb'><a href='/'>Accueil</a> › <a href='/culture/'>Culture</a> › "
            "<span>Le marché de Noël s'installe</span></nav>",
        ),
    ],
)
def test_tags_and_categories_under_any_label(tags_line, categories_line):
    item = read(article(BYLINE, f"<div class='content'>{TEXT}</div>", tags_line, categories_line))
    assert (item["tags"], item["categories"]) == (["Noël", "Tours"], ["Culture"])
    assert "Noël," not in item["body"] and "Culture" not in item["body"] and "#" not in item["body"]


def test_tag_chips_in_the_text_are_tags_not_text():
    chips = "<p><a href='/t/noel'>#Noël</a> <a href='/t/tours'>#Tours</a></p>"
    item = read(article(BYLINE, f"<div class='content'>{TEXT}{chips}</div>"))
    assert item["tags"] == ["Noël", "Tours"] and "#" not in item["body"]
    mention = "<p><a href='/t/noel'>#Noël</a> : le marché ouvre ses portes samedi, place Jean-Jaurès.</p>"
    assert "#Noël : le marché" in read(article(BYLINE, f"<div class='content'>{TEXT}{mention}</div>"))["body"]


def test_a_breadcrumb_list_in_json_ld_or_microdata_gives_the_categories():
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList",'
        '"itemListElement":[{"@type":"ListItem","position":1,"name":"Accueil","item":"https://www.tmvtours.fr/"},'
        '{"@type":"ListItem","position":2,"name":"Culture","item":"https://www.tmvtours.fr/culture/"},'
        '{"@type":"ListItem","position":3,"name":"Le marché de Noël s\'installe"}]}</script>'
    )
    assert read(page(f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>", ld))[
        "categories"
    ] == ["Culture"]
    crumbs = (
        "<ol itemscope itemtype='https://schema.org/BreadcrumbList'>"
        + "".join(
            f"<li itemprop='itemListElement' itemscope itemtype='https://schema.org/ListItem'><a itemprop='item' "
            f"href='{href}'><span itemprop='name'>{name}</span></a><meta itemprop='position' content='{i}'></li>"
            for i, (href, name) in enumerate([("/", "Accueil"), ("/culture/", "Culture"), ("/culture/noel/", "Fêtes")])
        )
        + "</ol>"
    )
    assert read(page(f"{crumbs}<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>"))[
        "categories"
    ] == ["Culture", "Fêtes"]


@pytest.mark.parametrize(
    "line",
    [
        "<p>By <a href='/author/jeanne/'>Jeanne Martin</a> · 26/03/2024 07:27</p>",
        "<p><a rel='author' href='/author/jm/'>Jeanne Martin</a> <time datetime='2024-03-26T07:27:00+01:00'>26 mars</time></p>",
        "<p><span>Par</span> <span class='name'>Jeanne Martin</span></p><p>26/03/2024 à 07:27</p>",
    ],
)
def test_the_author_after_a_label_or_by_a_link(line):
    item = read(article(line, f"<div>{TEXT}</div>"))
    assert (item["author"], item["published_at"]) == ("Jeanne Martin", "2024-03-26T07:27:00+01:00")


# ---------------------------------------------------------------- body


def test_paragraphs_in_divs_and_in_runs_split_by_line_breaks():
    runs = "<br><br>".join(f"{SENTENCE} Morceau {i}." for i in range(3))
    item = read(article(BYLINE, f"<div class='texte'>{runs}</div>"))
    assert item["body"].split("\n\n") == [f"{SENTENCE}Morceau {i}." for i in range(3)]
    divs = "".join(f"<div>{SENTENCE}Bloc {i}.</div>" for i in range(3))
    assert read(article(BYLINE, f"<div class='texte'>{divs}</div>"))["body"].count("\n\n") == 2


def test_a_drop_cap_and_inline_wrappers_stay_in_their_word():
    first = "<p><span class='dropcap'>L</span>es <span class='hl'>cha</span>lets ouvrent aujourd'hui.</p>"
    item = read(article(BYLINE, f"<div>{first}{TEXT}</div>"))
    assert item["body"].startswith("Les chalets ouvrent aujourd'hui.\n\n")


def test_pull_quotes_and_practical_lines_are_text_cross_links_and_embeds_are_not():
    body = (
        f"<div class='entry-content'>{TEXT}"
        "<p>À lire aussi : <a href='/article/autre-chose'>Le marché de l'an dernier</a></p>"
        "<p><strong>Lire aussi</strong> <a href='/article/autre-chose'>Autre chose</a></p>"
        "<p>Voir aussi : <a href='/article/encore'>Encore</a></p>"
        "<figure class='wp-block-pullquote'><blockquote><p>« Un marché pour tous »</p><cite>Le maire</cite>"
        "</blockquote></figure>"
        "<blockquote class='twitter-tweet'><p>Le marché ouvre ! pic.twitter.com/x</p>— Ville (@ville) "
        "<a href='https://twitter.com/ville/status/1'>26 mars 2024</a></blockquote>"
        "<blockquote class='instagram-media' data-instgrm-permalink='https://instagram.com/p/x'><p>Voir cette "
        "publication sur Instagram</p></blockquote>"
        "<figure class='wp-block-embed is-type-video'><div class='wp-block-embed__wrapper'>"
        "<iframe src='https://www.youtube.com/embed/x'></iframe></div></figure>"
        "<p>[embed]https://www.youtube.com/watch?v=x[/embed]</p>"
        "<p>&gt; Place Jean-Jaurès, du 26 mars au 31 décembre. Entrée libre.</p></div>"
    )
    item = read(article(BYLINE, body))
    paragraphs = item["body"].split("\n\n")
    assert paragraphs[3:] == [
        "« Un marché pour tous »",
        "Le maire",
        "> Place Jean-Jaurès, du 26 mars au 31 décembre. Entrée libre.",
    ]
    assert item["related"] == []


def test_an_alt_text_repeated_before_its_caption_and_file_names_are_no_text():
    figure = (
        "<div class='photo'><img src='/wp-content/uploads/chalets.jpg' alt='Les chalets'><p>Les chalets</p>"
        "<p>Les chalets de la place (Photo Jean Dupont)</p></div>"
    )
    item = read(article(BYLINE, f"<div>{figure}{TEXT}<p>IMG_2024-03-26_0712.jpg</p></div>"))
    assert item["image"] == {
        "url": "https://www.tmvtours.fr/wp-content/uploads/chalets.jpg",
        "caption": "Les chalets de la place",
        "credit": "Jean Dupont",
    }
    assert item["body"].startswith(SENTENCE.strip()) and "IMG_" not in item["body"]
    assert "Les chalets\n" not in item["body"]


# ---------------------------------------------------------------- image


@pytest.mark.parametrize(
    "image, url",
    [
        ("<amp-img src='/up/chalets.jpg' width='640' height='427' layout='responsive'></amp-img>", "/up/chalets.jpg"),
        (
            "<picture><source srcset='/up/chalets.webp 1024w' type='image/webp'><img src='/up/chalets.jpg'></picture>",
            "/up/chalets.jpg",
        ),
        (
            "<picture><source srcset='/up/chalets-640.webp 640w, /up/chalets-1280.webp 1280w'></picture>",
            "/up/chalets-1280.webp",
        ),
        ("<img src='data:image/gif;base64,R0lGOD' data-lazy-src='/up/chalets.jpg'>", "/up/chalets.jpg"),
        ("<img src='/wp-content/plugins/lazy/placeholder.svg' data-src='/up/chalets.jpg'>", "/up/chalets.jpg"),
        (
            "<img srcset='/up/chalets-300.jpg 300w, /up/chalets-1024.jpg 1024w, /up/chalets-768.jpg 768w'>",
            "/up/chalets-1024.jpg",
        ),
        (
            "<img data-srcset='/up/chalets-300.jpg 300w, /up/chalets-1024.jpg 1024w' src='/up/blank.gif'>",
            "/up/chalets-1024.jpg",
        ),
    ],
)
def test_the_image_in_the_forms_pages_load_it(image, url):
    item = read(article(BYLINE, f"<figure>{image}<figcaption>Les chalets</figcaption></figure>", f"<div>{TEXT}</div>"))
    assert item["image"] == {"url": "https://www.tmvtours.fr" + url, "caption": "Les chalets", "credit": None}


@pytest.mark.parametrize(
    "caption",
    [
        "Les chalets de la place (Photo Jean Dupont)",
        "Les chalets de la place (Photo : Jean Dupont)",
        "Les chalets de la place © Jean Dupont",
        "Les chalets de la place ©Jean Dupont",
        "Les chalets de la place. © Photo Jean Dupont",
        "Les chalets de la place - Crédit photo : Jean Dupont",
        "Les chalets de la place | Photo : Jean Dupont",
        "Les chalets de la place <span class='credit'>Jean Dupont</span>",
        "Les chalets de la place <small class='wp-caption-credit'>© Jean Dupont</small>",
        "<span class='caption'>Les chalets de la place</span> <cite>Photo : Jean Dupont</cite>",
    ],
)
def test_a_credit_in_every_form(caption):
    shown = "Les chalets de la place." if "place. ©" in caption else "Les chalets de la place"
    item = read(
        article(
            BYLINE,
            f"<figure><img src='/up/chalets.jpg'><figcaption>{caption}</figcaption></figure>",
            f"<div>{TEXT}</div>",
        )
    )
    assert (item["image"]["caption"], item["image"]["credit"]) == (shown, "Jean Dupont")


def test_a_site_wide_og_image_is_no_article_image():
    head = "<meta property='og:image' content='https://www.tmvtours.fr/wp-content/themes/gazette/logo-og.png'>"
    assert (
        read(page(f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>", head))["image"]
        is None
    )
    own = "<meta property='og:image' content='https://www.tmvtours.fr/wp-content/uploads/2024/03/chalets.jpg'>"
    assert read(page(f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>", own))[
        "image"
    ] == {"url": "https://www.tmvtours.fr/wp-content/uploads/2024/03/chalets.jpg", "caption": None, "credit": None}


# ---------------------------------------------------------------- lead

LEAD = "Cent vingt chalets, une patinoire et une grande roue : le marché de Noël ouvre ce samedi."


@pytest.mark.parametrize(
    "parts",
    [
        (BYLINE, f"<p class='chapo'><strong>{LEAD}</strong></p>", f"<div>{TEXT}</div>"),
        (f"<p class='chapo'>{LEAD}</p>", BYLINE, f"<div>{TEXT}</div>"),
        (BYLINE, f"<div class='content'><p style='font-weight: bold'>{LEAD}</p>{TEXT}</div>"),
        (BYLINE, f"<div class='content'><p><span style='font-weight:700;'>{LEAD}</span></p>{TEXT}</div>"),
        (BYLINE, f"<div class='content'><p><b>{LEAD}</b></p>{TEXT}</div>"),
    ],
)
def test_the_lead_next_to_the_headline_and_byline(parts):
    item = read(article(*parts))
    assert item["lead"] == LEAD and LEAD not in item["body"]
    assert item["published_at"] == "2024-03-26T07:27:00+01:00"


def test_a_meta_description_is_no_lead():
    head = f"<meta name='description' content='{LEAD}'><meta property='og:description' content='{LEAD}'>"
    assert (
        read(page(f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>", head))["lead"]
        is None
    )


# ---------------------------------------------------------------- interviews

ANSWER = "Nous avons voulu un marché plus grand, avec des artisans de toute la région et des animations."


@pytest.mark.parametrize(
    "ask",
    [
        lambda q: f"<p><strong>{q}</strong></p>",
        lambda q: f"<h4>{q}</h4>",
        lambda q: f"<p>— {q}</p>",
        lambda q: f"<p>– {q}</p>",
        lambda q: f"<p>Q : {q}</p>",
        lambda q: f"<p><em><strong>{q}</strong></em></p>",
        lambda q: f"<p><span style='font-weight: bold'>{q}</span></p>",
    ],
)
def test_an_interview_s_questions_in_the_forms_sites_use(ask):
    questions = ["Pourquoi un marché si grand ?", "Et les prix ?", "Qui vient ?"]
    qa = "".join(f"{ask(q)}<p>{ANSWER}</p><p>Réponse {i}.</p>" for i, q in enumerate(questions))
    item = read(article(BYLINE, f"<div class='content'>{TEXT}{qa}<p><em>Propos recueillis par J. M.</em></p></div>"))
    assert item["interview"] == {
        "interviewer": "J. M.",
        "qa": [{"question": q, "answer": f"{ANSWER}\n\nRéponse {i}."} for i, q in enumerate(questions)],
    }
    assert "— " not in item["body"] and "Q :" not in item["body"]


def test_dashes_in_an_article_without_questions_make_no_interview():
    lines = "".join(f"<p>— {SENTENCE}</p>" for _ in range(3))
    item = read(article(BYLINE, f"<div>{TEXT}{lines}</div>"))
    assert item["interview"] is None and item["body"].count("— Les chalets") == 3


# ---------------------------------------------------------------- related


@pytest.mark.parametrize(
    "title", ["Vous aimerez aussi", "À lire aussi", "Sur le même sujet", "Lire aussi", "Dans la même rubrique"]
)
def test_the_related_block_under_any_of_its_titles(title):
    cards = (
        "<div class='cards'><a href='/article/r1'><img src='/up/r1.jpg' alt=''></a>"
        "<a href='/article/r2'><img src='/up/r2.jpg' alt=''></a><div><h3><a href='/article/r3'>R3</a></h3></div></div>"
    )
    item = read(
        page(
            f"<article><h1>Le marché de Noël s'installe</h1>{BYLINE}<div>{TEXT}</div></article>"
            f"<section><h2>{title}</h2>{cards}</section>"
        )
    )
    assert item["related"] == [f"https://www.tmvtours.fr/article/r{i}" for i in (1, 2, 3)]
    assert title not in item["body"]


# ---------------------------------------------------------------- soft 404


@pytest.mark.parametrize(
    "words", ["Page introuvable", "Page not found", "Erreur 404", "Oups ! Cette page n'existe pas (404)"]
)
def test_a_page_saying_not_found_is_no_article(words):
    html = page(
        f"<article><h1>{words}</h1><p>La page que vous cherchez n'existe pas ou a été déplacée.</p>"
        "<p>Publié le 26/03/2024 à 07h27</p></article>"
        "<section><h2>Derniers articles</h2><p><a href='/article/r1'>R1</a> 26/03/2024</p></section>",
        title=words,
    )
    parser, item = read_article(HtmlResponse(URL, body=html.encode(), encoding="utf-8"))
    assert item is None and (parser is None or not parser.field_errors)


@pytest.mark.parametrize("headline", ["404 logements neufs au Sanitas", "Le Père Noël n'existe pas, et alors ?"])
def test_a_headline_that_only_names_404_or_nonexistence_is_an_article(headline):
    assert read(article(BYLINE, f"<div>{TEXT}</div>", headline=f"<h1>{headline}</h1>"))["title"] == headline


# ---------------------------------------------------------------- whole pages

NEWS_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Tours : le marché de Noël s'installe place Jean-Jaurès - La Gazette du Val</title>
<meta name="description" content="Le marché de Noël ouvre samedi.">
<meta property="og:image" content="https://www.tmvtours.fr/static/gazette-partage.png">
<meta name="DC.date.issued" content="2024-12-06T06:12:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[
{"@type":"ListItem","position":1,"name":"Accueil","item":"https://www.tmvtours.fr/"},
{"@type":"ListItem","position":2,"name":"Tours","item":"https://www.tmvtours.fr/tours/"},
{"@type":"ListItem","position":3,"name":"Le marché de Noël s'installe"}]}</script>
</head><body>
<div class="top-bar">Vendredi 6 décembre 2024</div>
<header><a href="/"><img src="/static/logo.svg" alt="La Gazette du Val"></a>
<nav><a href="/">Accueil</a> <a href="/tours/">Tours</a> <a href="/sport/">Sport</a></nav></header>
<main><article>
<p class="surtitre">Fêtes de fin d'année</p>
<h1>Tours : le marché de Noël s'installe place Jean-Jaurès</h1>
<p class="chapeau"><b>Cent vingt chalets, une patinoire et une grande roue : le marché ouvre ce samedi.</b></p>
<div class="signature">Par <a href="/auteurs/jeanne-martin">Jeanne Martin</a> | Le 06/12/2024 à 07h12,
mis à jour le 06/12/2024 à 10h30</div>
<figure><img src="data:image/gif;base64,R0lGOD" data-src="/photos/2024/12/marche.jpg" alt="marche.jpg">
<figcaption>Les premiers chalets montés jeudi. <span class="copyright">© Jean Dupont</span></figcaption></figure>
<div class="article-body">
<p><span class="lettrine">L</span>es chalets sont arrivés jeudi matin sur la place Jean-Jaurès, et les artisans les ont
montés dans la journée sous une pluie fine, avant l'ouverture au public prévue samedi à 10 heures.</p>
<p>À lire aussi : <a href="/article/les-illuminations-de-noel">Les illuminations de Noël</a></p>
<h2>Une patinoire en plein air</h2>
<p>La patinoire, installée devant l'hôtel de ville, sera ouverte tous les jours jusqu'au 5 janvier, de 10 heures
à 20 heures, et gratuite pour les moins de six ans accompagnés d'un adulte.</p>
<blockquote class="twitter-tweet"><p>Le marché ouvre samedi !</p>— Ville de Tours (@tours) <a href="https://twitter.com/x">5 décembre 2024</a></blockquote>
<p>&gt; Place Jean-Jaurès, du 7 décembre au 5 janvier. Entrée libre.</p>
</div>
<p class="mots-cles">Mots-clés : <a href="/sujet/noel">Noël</a>, <a href="/sujet/commerce">commerce</a></p>
</article>
<section><h2>Sur le même sujet</h2>
<a href="/article/les-illuminations-de-noel"><img src="/photos/illuminations.jpg" alt=""></a>
<a href="/article/la-grande-roue-revient"><img src="/photos/roue.jpg" alt=""></a></section>
</main>
<aside class="sidebar"><h3>Les plus lus</h3><p><a href="/article/autre">Autre</a> Le 01/12/2024 à 08h00</p></aside>
<footer><p>© 2024 La Gazette du Val</p></footer></body></html>"""


def test_a_regional_news_page():
    item = dict(read(NEWS_PAGE, "https://www.tmvtours.fr/article/le-marche-de-noel-s-installe-place-jean-jaures"))
    item.pop("crawled_at")
    text = (
        "Les chalets sont arrivés jeudi matin sur la place Jean-Jaurès, et les artisans les ont montés dans la "
        "journée sous une pluie fine, avant l'ouverture au public prévue samedi à 10 heures.\n\nUne patinoire en "
        "plein air\n\nLa patinoire, installée devant l'hôtel de ville, sera ouverte tous les jours jusqu'au 5 "
        "janvier, de 10 heures à 20 heures, et gratuite pour les moins de six ans accompagnés d'un adulte.\n\n"
        "> Place Jean-Jaurès, du 7 décembre au 5 janvier. Entrée libre."
    )
    assert item == {
        "url": "https://www.tmvtours.fr/article/le-marche-de-noel-s-installe-place-jean-jaures",
        "post_id": None,
        "title": "Tours : le marché de Noël s'installe place Jean-Jaurès",
        "lead": "Cent vingt chalets, une patinoire et une grande roue : le marché ouvre ce samedi.",
        "author": "Jeanne Martin",
        "published_at": "2024-12-06T07:12:00+01:00",
        "modified_at": "2024-12-06T10:30:00+01:00",
        "categories": ["Tours"],
        "tags": ["Noël", "commerce"],
        "image": {
            "url": "https://www.tmvtours.fr/photos/2024/12/marche.jpg",
            "caption": "Les premiers chalets montés jeudi.",
            "credit": "Jean Dupont",
        },
        "body": text,
        "interview": None,
        "related": [
            "https://www.tmvtours.fr/article/les-illuminations-de-noel",
            "https://www.tmvtours.fr/article/la-grande-roue-revient",
        ],
    }


BLOG_PAGE = """<!doctype html><html lang="fr-FR"><head><meta charset="UTF-8">
<title>« On veut un marché pour tous » &#8211; Le blog du Val</title>
<link rel="shortlink" href="https://www.tmvtours.fr/?p=482">
<meta property="og:title" content="« On veut un marché pour tous »">
</head><body class="post-template-default single single-post postid-482">
<header id="site-header"><div class="site-title"><a href="/">Le blog du Val</a></div></header>
<main id="site-content"><article class="post-482 post type-post" id="post-482">
<header class="entry-header"><div class="entry-categories"><span class="screen-reader-text">Catégories</span>
<a href="/category/interviews/" rel="category tag">Interviews</a></div>
<h1 class="entry-title">« On veut un marché pour tous »</h1>
<div class="post-meta">Publié par <a href="/author/jm/">Jeanne Martin</a> le 26 mars 2024</div></header>
<div class="entry-content">
<p><strong>Le maire ouvre samedi le premier marché de printemps de la ville. Rencontre.</strong></p>
<h3>Pourquoi un marché au printemps ?</h3>
<p>Parce que les producteurs nous l'ont demandé, tout simplement, et que la place était libre.</p>
<h3>Combien de stands ?</h3>
<p>Une soixantaine, surtout des maraîchers.</p><p>Et quelques artisans.</p>
<p><em>Propos recueillis par J.M.</em></p>
</div>
<footer class="entry-footer"><time class="entry-date published" datetime="2024-03-26T07:27:13+01:00">26 mars 2024</time>
<time class="updated" datetime="2024-03-27T09:00:00+01:00">27 mars 2024</time>
<div class="post-tags">Tagged <a href="/tag/marche/" rel="tag">marché</a>, <a href="/tag/printemps/" rel="tag">printemps</a></div>
</footer></article>
<nav class="navigation post-navigation"><a href="/article/avant" rel="prev">Avant</a></nav></main>
<footer id="site-footer"><p>Fièrement propulsé par WordPress</p></footer></body></html>"""


def test_a_wordpress_blog_page():
    item = dict(read(BLOG_PAGE, "https://www.tmvtours.fr/article/on-veut-un-marche-pour-tous"))
    item.pop("crawled_at")
    qa = [
        {
            "question": "Pourquoi un marché au printemps ?",
            "answer": "Parce que les producteurs nous l'ont demandé, tout simplement, et que la place était libre.",
        },
        {
            "question": "Combien de stands ?",
            "answer": "Une soixantaine, surtout des maraîchers.\n\nEt quelques artisans.",
        },
    ]
    assert item == {
        "url": "https://www.tmvtours.fr/article/on-veut-un-marche-pour-tous",
        "post_id": 482,
        "title": "« On veut un marché pour tous »",
        "lead": "Le maire ouvre samedi le premier marché de printemps de la ville. Rencontre.",
        "author": "Jeanne Martin",
        "published_at": "2024-03-26T07:27:13+01:00",
        "modified_at": "2024-03-27T09:00:00+01:00",
        "categories": ["Interviews"],
        "tags": ["marché", "printemps"],
        "image": None,
        "body": "\n\n".join(
            [
                qa[0]["question"],
                qa[0]["answer"],
                qa[1]["question"],
                "Une soixantaine, surtout des maraîchers.",
                "Et quelques artisans.",
                "Propos recueillis par J.M.",
            ]
        ),
        "interview": {"interviewer": "J.M.", "qa": qa},
        "related": [],
    }
