"""The shared readers on small pieces of tmv markup: body blocks, JSON-LD, byline, post id."""

from parsel import Selector

from tmvspider.parsers import blocks as body, bylines, metadata
from tmvspider.processors import Block, build_interview


def blocks(html: str) -> list[Block]:
    return body.body_blocks(Selector(text=f"<div id='b'>{html}</div>").css("#b")[0].root)


def test_wholly_bold_paragraphs_are_set_apart():
    assert blocks(
        "<p><strong>Pourquoi&nbsp;?</strong></p><p><b>Et après ?</b></p><p>Texte <strong>gras</strong>.</p>"
    ) == [Block("Pourquoi ?", True), Block("Et après ?", True), Block("Texte gras.")]


def test_a_paragraph_bold_in_several_runs_or_under_other_markup_is_wholly_bold():
    assert blocks(
        "<p><strong>Qu'est-ce qui vous a surpris</strong><strong>&nbsp;?</strong></p>"
        "<p><em><strong>Et demain ?</strong></em></p><p><b>Pourquoi</b> ?</p>"
    ) == [Block("Qu'est-ce qui vous a surpris ?", True), Block("Et demain ?", True), Block("Pourquoi ?", True)]
    # a word outside the bold runs keeps the paragraph plain
    assert blocks("<p><strong>Déjà</strong> fini ?</p>") == [Block("Déjà fini ?")]


def test_bold_run_then_line_break_splits_question_and_first_answer():
    html = "<p><strong>Comment est née l'idée ?</strong><br>\nEn juillet dernier,\n  tout a commencé.</p>"
    assert blocks(html) == [Block("Comment est née l'idée ?", True), Block("En juillet dernier, tout a commencé.")]
    # the line break can sit inside the bold run too
    assert blocks("<p><b>Et ensuite ?<br></b>On verra.</p>") == [Block("Et ensuite ?", True), Block("On verra.")]


def test_a_question_bold_in_several_runs_before_its_line_break():
    answer = Block("En juillet dernier.")
    assert blocks("<p><strong>Comment est née l'idée</strong><strong>&nbsp;?</strong><br>En juillet dernier.</p>") == [
        Block("Comment est née l'idée ?", True),
        answer,
    ]
    assert blocks("<p><b>Comment est née l'idée ?</b><strong><br></strong>En juillet dernier.</p>") == [
        Block("Comment est née l'idée ?", True),
        answer,
    ]


def test_a_bold_question_over_several_lines_or_before_a_bold_answer():
    assert blocks(
        "<p><strong>Vous avez commencé très jeune,<br>comment est-ce arrivé ?</strong><br>Par hasard.</p>"
    ) == [Block("Vous avez commencé très jeune, comment est-ce arrivé ?", True), Block("Par hasard.")]
    assert blocks("<p><strong>Qui sont vos clients ?</strong><br><strong>Surtout des PME.</strong></p>") == [
        Block("Qui sont vos clients ?", True),
        Block("Surtout des PME."),
    ]
    # bold lines with no question: one paragraph set apart; a question on the last line: one question
    assert blocks("<p><b>Infos pratiques<br>Entrée libre</b></p>") == [Block("Infos pratiques Entrée libre", True)]
    assert blocks("<p><b>Une ligne,<br>puis la question ?</b></p>") == [Block("Une ligne, puis la question ?", True)]


def test_a_closing_line_after_a_line_break_is_a_paragraph_of_its_own():
    assert blocks("<p>Dernière réponse.<br><em>Propos recueillis par A.G.</em></p>") == [
        Block("Dernière réponse."),
        Block("Propos recueillis par A.G."),
    ]


def test_a_bold_lead_in_that_is_not_a_question_stays_one_paragraph():
    assert blocks("<p><strong>À savoir</strong><br>Entrée libre.</p>") == [Block("À savoir Entrée libre.")]


def test_headings_ads_scripts_and_spacers():
    html = (
        "<p>Un.</p><p>&nbsp;</p><div class='pub' data-slot='inread'><span>Publicité</span>"
        "<script>tmvAds.push('x')</script></div><h2>Intertitre</h2><script>var a=1;</script>"
        "<h3>Une question ?</h3><p>Deux<br>lignes&#8239;!</p><p style='text-align: right;'><em>Propos recueillis par J.B.</em></p>"
    )
    assert blocks(html) == [
        Block("Un."),
        Block("Intertitre", True),
        Block("Une question ?", True),
        Block("Deux lignes !"),
        Block("Propos recueillis par J.B."),
    ]


def test_a_related_or_share_block_left_inside_the_body_is_no_text():
    related = (
        "<h3>Vous aimerez aussi</h3><ul><li><a href='/article/a/'>A</a></li></ul><p><a href='/article/b/'>B</a></p>"
    )
    assert blocks(f"<p>Un.</p><div>{related}</div><p>Deux.</p>") == [Block("Un."), Block("Deux.")]
    assert blocks(f"<p>Un.</p>{related}<p>Deux.</p>") == [Block("Un."), Block("Deux.")]
    share = "<p>Restez avec nous : <a href='https://www.facebook.com/tmvtours'>Facebook</a></p>"
    assert blocks(f"<p>Un.</p>{share}<p>Deux.</p>") == [Block("Un."), Block("Deux.")]
    # a share line carries its own links: a paragraph with a link after it is text
    assert blocks(f"{share}<p>Tout sur <a href='/article/a/'>le festival</a>.</p>") == [Block("Tout sur le festival.")]
    card = "<div class='card'><a href='/article/{0}/'>Titre {0}</a><p>Le festival revient, plus grand que jamais.</p></div>"
    cards = "<h3>Vous aimerez aussi</h3>" + card.format("a") + card.format("b")
    assert blocks(f"<p>Un.</p>{cards}<p>Deux.</p>") == [Block("Un."), Block("Deux.")]
    dated = "<h3>Vous aimerez aussi</h3><ul><li><a href='/article/b/'>Titre B</a> — 12 mars 2016, dans Actus</li></ul>"
    assert blocks(f"<p>Un.</p>{dated}<p>Deux.</p>") == [Block("Un."), Block("Deux.")]
    # the article's own paragraphs with links, after the block, are text again
    prose = "<p>Le festival, <a href='/article/f/'>déjà évoqué</a>, revient en juillet.</p>"
    assert blocks(f"<p>Un.</p>{related}{prose}<p>Fin.</p>") == [
        Block("Un."),
        Block("Le festival, déjà évoqué, revient en juillet."),
        Block("Fin."),
    ]
    see_also = "<p><strong>Vous aimerez aussi :</strong> <a href='/article/a/'>A</a></p>"
    assert blocks(f"<p>Un.</p>{see_also}<p>Deux.</p><p>Trois.</p>") == [Block("Un."), Block("Deux."), Block("Trois.")]


def test_the_same_words_in_the_article_s_own_text_are_text():
    assert blocks("<p>Restez avec nous : la suite samedi.</p><p>Fin.</p>") == [
        Block("Restez avec nous : la suite samedi."),
        Block("Fin."),
    ]
    long = "Vous aimerez aussi la suite, promet le chef, qui prépare déjà un second menu pour la rentrée."
    assert blocks(f"<p>{long}</p>") == [Block(long)]
    # an intertitle followed by text, not by links
    assert blocks("<h2>Restez avec nous</h2><p>La saison continue.</p>") == [
        Block("Restez avec nous", True),
        Block("La saison continue."),
    ]


def test_loose_text_and_text_after_an_ad_are_paragraphs():
    # the HTML parser closes the <p> before the ad: "B" is left loose after it
    assert blocks("<p>A <div class='pub'><span>Publicité</span><script>x()</script></div> B</p><p>C</p>") == [
        Block("A"),
        Block("B"),
        Block("C"),
    ]
    assert blocks("Un texte sans <em>paragraphe</em>,<br>sur deux lignes.<p>Puis un.</p>") == [
        Block("Un texte sans paragraphe, sur deux lignes."),
        Block("Puis un."),
    ]


def test_loose_text_split_by_a_rule_or_two_line_breaks():
    assert blocks("Texte un<hr>Texte deux") == [Block("Texte un"), Block("Texte deux")]
    assert blocks("Premier.<br><br>Deuxième,<br>suite.<br>\n<br>Troisième.") == [
        Block("Premier."),
        Block("Deuxième, suite."),
        Block("Troisième."),
    ]
    # one line break, or a new line in the source, keeps one paragraph
    assert blocks("Un texte <em>mis</em>\nen forme.") == [Block("Un texte mis en forme.")]
    assert blocks("<strong>Le maire de Tours</strong>\n<a href='/x/'>Christophe Bouchet</a> a parlé.") == [
        Block("Le maire de Tours Christophe Bouchet a parlé.")
    ]


def test_inline_wrappers_around_paragraphs_keep_them():
    html = "<font size='2'><p><b>Une question ?</b></p><p>Une réponse.</p></font>"
    assert blocks(html) == [Block("Une question ?", True), Block("Une réponse.")]


def test_a_div_of_inline_content_is_read_as_a_paragraph():
    assert blocks(
        "<div><strong>Et demain ?</strong><br>On verra.</div>"
        "<div style='text-align: right'>Propos recueillis par <em>A.G.</em></div>"
    ) == [Block("Et demain ?", True), Block("On verra."), Block("Propos recueillis par A.G.")]


def test_nested_lists_give_each_item_once():
    assert blocks(
        "<ul><li>Les guinguettes<ul><li>Rochepinard ;</li><li>l'île Simon.</li></ul></li><li>Le reste.</li></ul>"
    ) == [Block("Les guinguettes"), Block("Rochepinard ;"), Block("l'île Simon."), Block("Le reste.")]


def test_only_h2_to_h4_headings_can_be_questions():
    # SCHEMA.md: "a <h2>–<h4> heading"
    assert blocks("<h2>Un ?</h2><h3>Deux ?</h3><h4>Trois ?</h4><h5>Quatre ?</h5>") == [
        Block("Un ?", True),
        Block("Deux ?", True),
        Block("Trois ?", True),
        Block("Quatre ?"),
    ]


def test_blocks_inside_an_element_do_not_run_into_each_other():
    lead = Selector(text="<div id='l'><p>Fermé depuis 2016.</p><p>Faute de repreneur.</p></div>").css("#l")[0].root
    assert body.text(lead) == "Fermé depuis 2016. Faute de repreneur."
    assert body.text(Selector(text="<p id='p'>in<em>ter</em>dit</p>").css("#p")[0].root) == "interdit"


def test_h3_interview_with_multi_paragraph_answer():
    html = "<h3>Première ?</h3><p>R1.</p><h3>Seconde ?</h3><p>R2.</p><p>R2 bis.</p>"
    assert build_interview(blocks(html))["qa"][1] == {"question": "Seconde ?", "answer": "R2.\n\nR2 bis."}


def test_json_ld_article_from_graph_and_entities():
    sel = Selector(
        text="""<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},
        {"@type": ["NewsArticle"], "headline": "L&#39;&eacute;t&eacute;", "author": [{"name": "tmv"}]}]}</script>
        <script type="application/ld+json">not json</script>"""
    )
    ld = metadata.json_ld(sel.root)
    assert metadata.ld_text(ld["headline"]) == "L'été"
    assert metadata.ld_text(ld["author"]) == "tmv"
    assert metadata.json_ld(Selector(text="<p>rien</p>").root) == {}


def test_json_ld_people_read_as_a_french_byline():
    people = [{"@type": "Person", "name": "Jeanne Beutter"}, {"name": "Aurélien Germain"}, "Élisa Bouillaud"]
    assert metadata.ld_names(people[:1]) == "Jeanne Beutter"
    assert metadata.ld_names(people[:2]) == "Jeanne Beutter et Aurélien Germain"
    assert metadata.ld_names(people) == "Jeanne Beutter, Aurélien Germain et Élisa Bouillaud"
    assert (
        metadata.ld_names({"name": "tmv"}) == "tmv"
        and metadata.ld_names([]) is None
        and metadata.ld_names(None) is None
    )


def test_byline_parts():
    assert bylines.read("Publié le 29-01-2015 10:50:11 Modifié le 30-01-2015 08:00:00 Par tmv") == {
        "published": "29-01-2015 10:50:11",
        "modified": "30-01-2015 08:00:00",
        "author": "tmv",
    }
    assert bylines.read("Publié le 1er février 2016 à 7h05 Par Aurélien Germain") == {
        "published": "1er février 2016 à 7h05",
        "author": "Aurélien Germain",
    }
    assert (
        bylines.read("Publié le 3 mars 2014 à 9h00 Mis à jour le 4 mars 2014 à 10h00")["modified"]
        == "4 mars 2014 à 10h00"
    )
    assert bylines.read("") == {}


def post_id(markup: str) -> str | None:
    doc = Selector(text=markup).root
    title = next(doc.iter("h1"), None)  # as the parsers pass the article's title
    return metadata.post_id(doc, metadata.head(doc), title)


def test_post_id_sources():
    assert post_id('<article id="post-1176"><header><h1>Titre</h1></header></article>') == "1176"
    # the page's own id before a related card's
    assert (
        post_id(
            '<body data-post-id="50505"><main><article class="article-full"><h1>Titre</h1></article>'
            '<article id="post-1212"></article></main></body>'
        )
        == "50505"
    )
    assert post_id('<body class="single postid-77 x"></body>') == "77"
    assert post_id('<body data-post-id="20417"></body>') == "20417"
    assert post_id('<link rel="shortlink" href="https://www.tmvtours.fr/?p=1240">') == "1240"
    assert post_id("<p>x</p>") is None


def test_head_reads_meta_and_links_once_first_wins():
    doc = Selector(
        text='<head><link rel="canonical" href="/a/"><link rel="canonical" href="/b/">'
        '<meta property="og:title" content="T"><link rel="alternate amphtml" href="/a/amp/"></head>'
    ).root
    assert metadata.head(doc) == {"canonical": "/a/", "og:title": "T", "alternate": "/a/amp/", "amphtml": "/a/amp/"}
