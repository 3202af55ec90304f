"""The theme-free reader (parsers/visible.py, generic.py) on pages of themes never seen: what a
reader sees decides each field, whatever the markup around it."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from tmvspider.parsers import read_article

TEXT = "<p>" + "Texte de l'article, une phrase assez longue pour compter. " * 4 + "</p>"
BODY = f"<div>{TEXT}{TEXT}{TEXT}</div>"
BYLINE = "<p>Publié le 26-03-2024 07:27:07 Par Aurélien Germain</p>"


def read(html: str, url: str = "https://www.tmvtours.fr/article/mon-article"):
    parser, item = read_article(HtmlResponse(url, body=f"<html><body>{html}</body></html>".encode(), encoding="utf-8"))
    assert parser is not None and parser.name == "theme-free"
    return item


@pytest.mark.parametrize(
    "line, author",
    [
        ("Publié le 26-03-2024 07:27:07 Par Aurélien Germain · 3 min de lecture", "Aurélien Germain"),
        ("Publié le 26-03-2024 07:27:07 Par Aurélien Germain | Photo : Studio X", "Aurélien Germain"),
        ("Publié le 26-03-2024 07:27:07 Par A B<br>Photo : Studio X", "A B"),
    ],
)
def test_the_byline_s_author_ends_where_the_name_does(line, author):
    item = read(f"<main><h1>Le titre</h1><p>{line}</p>{BODY}</main>")
    assert item["author"] == author and item["published_at"] == "2024-03-26T07:27:07+01:00"


def test_a_line_after_the_byline_is_no_lead():
    item = read(f"<main><h1>Le titre</h1><div>{BYLINE}<p>Temps de lecture : 3 min</p></div>{BODY}</main>")
    assert item["lead"] is None and "Temps de lecture" not in item["body"]


def test_tags_and_categories_named_without_links_and_left_out_of_the_body():
    item = read(
        f"<main><h1>Le titre</h1>{BYLINE}<div>{TEXT}{TEXT}<p>Tags : concert, Tours, musique</p>"
        "<p>Catégories : Culture</p></div></main>"
    )
    assert item["tags"] == ["concert", "Tours", "musique"] and item["categories"] == ["Culture"]
    assert "Tags" not in item["body"] and "Catégories" not in item["body"]


def test_a_text_in_sections_side_by_side_is_read_whole():
    item = read(
        f"<main><h1>Le titre</h1>{BYLINE}<div><section><h2>Partie 1</h2>{TEXT}{TEXT}</section>"
        f"<section><h2>Partie 2</h2>{TEXT}{TEXT}</section></div></main>"
    )
    assert item["body"].startswith("Partie 1\n\n") and "\n\nPartie 2\n\n" in item["body"]


@pytest.mark.parametrize(
    "logo", ['<header><h1><a href="/">tmv</a></h1></header>', '<header><h1 class="x">tmv</h1></header>']
)
def test_the_site_s_name_in_an_h1_is_no_headline(logo):
    item = read(f"{logo}<main><h2>Le vrai titre</h2>{BYLINE}{BODY}</main>")
    assert item["title"] == "Le vrai titre"


def test_a_related_card_s_byline_is_not_the_article_s():
    card = "<div><h3><a href='/article/r1'>R1</a></h3><p>Publié le 01-01-2020 08:00:00 Modifié le 02-01-2020 08:00:00 Par Autre</p></div>"
    before = read(
        f"<main><article>{BYLINE}<h1>Le titre</h1>{BODY}</article><section><h2>Vous aimerez aussi</h2>"
        f"{card}</section></main>"
    )
    assert (before["published_at"], before["author"], before["lead"]) == (
        "2024-03-26T07:27:07+01:00",
        "Aurélien Germain",
        None,
    )
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-26T07:27:07+01:00", '
        '"author": {"name": "Vrai Auteur"}}</script>'
    )
    only_ld = read(f"{ld}<main><h1>Le titre</h1>{BODY}<h2>Vous aimerez aussi</h2>{card}</main>")
    assert (only_ld["author"], only_ld["modified_at"]) == ("Vrai Auteur", None)
    assert only_ld["related"] == ["https://www.tmvtours.fr/article/r1"]


def test_a_listing_whose_entries_carry_bylines_is_no_article():
    entries = "".join(
        f"<div><h2><a href='/article/art-{i}'>Article {i}</a></h2><p>Publié le 2{i}-03-2024 07:27:07 Par X</p>"
        f"<p>{'Un résumé assez long pour un extrait. ' * 3}</p></div>"
        for i in range(5)
    )
    for url in ("https://www.tmvtours.fr/category/culture", "https://www.tmvtours.fr/article/foo"):
        assert (
            read_article(
                HtmlResponse(
                    url, body=f"<html><body><h1>Culture</h1>{entries}</body></html>".encode(), encoding="utf-8"
                )
            )[1]
            is None
        )


def test_an_amp_ad_slot_is_no_text():
    item = read(
        f"<main><h1>Le titre</h1>{BYLINE}<div>{TEXT}<div><span>Publicité</span><amp-ad width='300' "
        f"height='250' type='doubleclick'></amp-ad></div>{TEXT}</div></main>"
    )
    assert "Publicité" not in item["body"] and item["body"].count("Texte de l'article") == 8


# --- what held-out themes show (tests/test_themes.py measures them whole) --------------------------

OTHER = "https://www.tmvtours.fr/article/un-autre-article/"


def test_a_cross_link_and_an_embedded_post_are_no_text():
    item = read(
        f"<main><h1>Le titre</h1>{BYLINE}<div>{TEXT}<p><strong>LIRE AUSSI ></strong> "
        f'<a href="{OTHER}">Un autre article du site</a></p>{TEXT}'
        '<blockquote class="twitter-tweet"><p>Le tweet</p><a href="https://twitter.com/x/status/1">26 mars</a>'
        f"</blockquote>{TEXT}</div></main>"
    )
    assert item["body"].split("\n\n") == [TEXT[3:-4].strip()] * 3


def test_questions_marked_by_a_dash_or_q_are_questions_without_their_marker():
    questions = ["<p>— Pourquoi Tours ?</p>", "<p><strong>Q :</strong> Et demain ?</p>"]
    html = "".join(f"{q}{TEXT}" for q in questions)
    item = read(f"<main><h1>Le titre</h1>{BYLINE}<div>{html}</div></main>")
    assert [pair["question"] for pair in item["interview"]["qa"]] == ["Pourquoi Tours ?", "Et demain ?"]


@pytest.mark.parametrize(
    "line, author",
    [
        ("Par Jeanne Beutter | 26 mars 2024 à 7 h 27", "Jeanne Beutter"),
        ("tmv · mardi 26 mars 2024 à 07h27", "tmv"),
        ("Publié par Élise Marchand le 26 mars 2024, 7:27", "Élise Marchand"),
        ("Mis en ligne le 26.03.2024 - 07h27", None),
    ],
)
def test_a_dateline_s_name_is_the_author(line, author):
    microdata = '<meta itemprop="datePublished" content="2024-03-26T07:27:07+01:00">'
    item = read(f"<main><article>{microdata}<h1>Le titre</h1><p>{line}</p>{BODY}</article></main>")
    assert item["author"] == author and item["published_at"] == "2024-03-26T07:27:07+01:00"
    assert item["lead"] is None  # a dateline is no standfirst


def test_terms_and_author_from_the_site_s_pages_and_related_under_any_title():
    item = read(
        f"<main><article><h1>Le titre</h1>{BYLINE}{BODY}"
        '<p>Rédigé par <a href="/article/author/jeanne-beutter/">Jeanne Beutter</a></p>'
        '<ul><li><a href="/article/tag/concert/">#concert</a></li></ul>'
        '<p>Rubrique : <a href="/category/culture/">Culture</a></p></article>'
        f'<section><h3>Dans la même rubrique</h3><div><a href="{OTHER}"><img src="/a.jpg" alt=""></a></div>'
        "</section></main>"
    )
    assert (item["tags"], item["categories"], item["related"]) == (["concert"], ["Culture"], [OTHER])
    assert item["author"] == "Aurélien Germain"  # the byline's name first
