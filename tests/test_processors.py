"""The normalisers, one by one (processors.py)."""

import pytest

from tmvspider.processors import (
    Block,
    build_interview,
    clean_text,
    join_blocks,
    parse_timestamp,
    pick_instant,
    settle_dates,
    split_credit,
    split_keywords,
    to_int,
    unique_casefold,
)


def instant(value):
    return pick_instant([parse_timestamp(value)])


# ---------------------------------------------------------------- text


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("  Pourquoi\u00a0?  ", "Pourquoi ?"),
        ("a\u202f: b", "a : b"),
        ("ligne\n      suivante\tet\r\nfin", "ligne suivante et fin"),
        ("Cafe\u0301", "Café"),  # NFD in, NFC out
        ("\u200bmot", "mot"),
        ("mot\u200bsuivant", "mot suivant"),  # a zero-width space between words is a space
        ("a \u2060\ufeff\u00a0 b\u200c", "a b"),  # one run, white and zero-width mixed
        ("\u3000Tours\x85\u2009Nord\u2028", "Tours Nord"),  # str.isspace() characters beyond the usual ones
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_tags_fold_case_insensitive_duplicates_keeping_first_spelling_and_order():
    raw = [clean_text(t) for t in ["\n   musique ", "Tours", "MUSIQUE", "tour(s) plus", "tours", "", None, "été 2023"]]
    assert unique_casefold(raw) == ["musique", "Tours", "tour(s) plus", "été 2023"]


def test_keywords_string_or_list():
    assert split_keywords("agglo, french tech ,  Tours") == ["agglo", "french tech", "Tours"]
    assert split_keywords(["News", " "]) == ["News"]
    assert split_keywords("&eacute;t&eacute; 2023, l&#039;îlot") == ["été 2023", "l'îlot"]
    assert split_keywords(None) == []


@pytest.mark.parametrize("raw, number", [("20417", 20417), (" 12 ", 12), ("0", None), ("x", None), (None, None)])
def test_to_int(raw, number):
    assert to_int(raw) == number


# ---------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    "raw, iso",
    [
        # datetime attributes and JSON-LD, with offsets
        ("2016-02-01T07:05:09+01:00", "2016-02-01T07:05:09+01:00"),
        ("2014-05-14T14:01:39+02:00", "2014-05-14T14:01:39+02:00"),
        # article:published_time in UTC, converted to Paris (winter and summer)
        ("2014-03-10T08:08:47+00:00", "2014-03-10T09:08:47+01:00"),
        ("2014-05-14T12:01:39+00:00", "2014-05-14T14:01:39+02:00"),
        ("2014-03-10T08:08:47Z", "2014-03-10T09:08:47+01:00"),
        # the current layout's byline: Paris wall-clock time with seconds
        ("29-01-2015 10:50:11", "2015-01-29T10:50:11+01:00"),
        ("14-07-2023 22:00:00", "2023-07-14T22:00:00+02:00"),
        # the legacy layout's visible dates: French, "1er", no seconds
        ("1er février 2016 à 7h05", "2016-02-01T07:05:00+01:00"),
        ("14 mai 2014 à 14h01", "2014-05-14T14:01:00+02:00"),
        ("23 août 2015 à 18h51", "2015-08-23T18:51:00+02:00"),
        ("3 décembre 2013 à 0h00", "2013-12-03T00:00:00+01:00"),
        # the night summer time ends, 02:30 happens twice: the first occurrence
        ("26-10-2014 02:30:00", "2014-10-26T02:30:00+02:00"),
        ("2014-10-26T02:30:00", "2014-10-26T02:30:00+02:00"),
        # ... unless an offset says which one
        ("2014-10-26T02:30:00+01:00", "2014-10-26T02:30:00+01:00"),
        # a time that does not exist (spring forward) moves on
        ("30-03-2014 02:30:00", "2014-03-30T03:30:00+02:00"),
    ],
)
def test_timestamps_to_paris_iso(raw, iso):
    assert instant(raw) == iso


@pytest.mark.parametrize(
    "raw", ["", None, "hier", "31 févier 2014", "2014-02-30T10:00:00+01:00", "45-13-2014 10:00:00"]
)
def test_unreadable_timestamps_are_none(raw):
    assert instant(raw) is None


def test_pick_instant_prefers_the_value_with_seconds():
    visible = parse_timestamp("1er février 2016 à 7h05")
    exact = parse_timestamp("2016-02-01T07:05:09+01:00")
    assert pick_instant([visible, None, exact]) == "2016-02-01T07:05:09+01:00"
    assert pick_instant([None, visible]) == "2016-02-01T07:05:00+01:00"
    assert pick_instant([]) is None


# ---------------------------------------------------------------- credits


@pytest.mark.parametrize(
    "raw, caption, credit",
    [
        ("Les imprimeries Mame. (Photo cabinet Franklin Azzi)", "Les imprimeries Mame.", "cabinet Franklin Azzi"),
        ("Le futur lieu. (Photo : archives NR)", "Le futur lieu.", "archives NR"),
        ("Le futur lieu (photo Aurélien Germain)", "Le futur lieu", "Aurélien Germain"),
        ("La place Plum'. (Crédit photo : Jean Dupont)", "La place Plum'.", "Jean Dupont"),
        ("(Photo tmv)", None, "tmv"),
        ("La place Plumereau, un samedi après-midi.", "La place Plumereau, un samedi après-midi.", None),
        ("Les élus (de gauche) en séance", "Les élus (de gauche) en séance", None),
        # "photo" glued to other letters is a word of the caption, not a credit
        ("La place en 1950 (photographie d'archives)", "La place en 1950 (photographie d'archives)", None),
        ("Le futur quartier (Photomontage Ville de Tours)", "Le futur quartier (Photomontage Ville de Tours)", None),
        # out of parentheses: with its sign or its colon only
        ("La salle. © Aurélien Germain", "La salle.", "Aurélien Germain"),
        ("La salle. Photo © Ville de Tours", "La salle.", "Ville de Tours"),
        ("Crédit photo : archives NR", None, "archives NR"),
        ("La salle. Crédit : tmv", "La salle.", "tmv"),
        ("La salle photo du club", "La salle photo du club", None),
        ("", None, None),
        # without parentheses, at the end of the caption
        ("Les chalets © Jean Dupont", "Les chalets", "Jean Dupont"),
        ("Les chalets ©Jean Dupont", "Les chalets", "Jean Dupont"),
        ("Les chalets. © Photo Jean Dupont", "Les chalets.", "Jean Dupont"),
        ("Les chalets - Crédit photo : Jean Dupont", "Les chalets", "Jean Dupont"),
        ("Les chalets | Photo : Jean Dupont", "Les chalets", "Jean Dupont"),
        ("Photo : Jean Dupont", None, "Jean Dupont"),
        ("Tours en photos : les plus belles vues", "Tours en photos : les plus belles vues", None),
    ],
)
def test_split_credit(raw, caption, credit):
    assert split_credit(raw) == (caption, credit)


# ---------------------------------------------------------------- interviews

Q1, Q2, Q3 = "Comment est née l'idée ?", "Et la suite ?", "Pourquoi Tours ?"


def test_interview_pairs_with_multi_paragraph_answers_and_interviewer():
    blocks = [
        Block("Texte d'introduction."),
        Block(Q1, emphasized=True),
        Block("Réponse 1."),
        Block(Q2, emphasized=True),
        Block("Réponse 2a."),
        Block("Réponse 2b."),
        Block("Propos recueillis par B.R."),
    ]
    assert build_interview(blocks) == {
        "interviewer": "B.R.",
        "qa": [
            {"question": Q1, "answer": "Réponse 1."},
            {"question": Q2, "answer": "Réponse 2a.\n\nRéponse 2b."},
        ],
    }
    assert join_blocks(blocks).endswith("Réponse 2b.\n\nPropos recueillis par B.R.")


def test_interview_without_closing_line_runs_to_the_end():
    blocks = [
        Block(Q1, emphasized=True),
        Block("R1."),
        Block(Q2, emphasized=True),
        Block("R2."),
        Block(Q3, emphasized=True),
        Block("R3."),
        Block("R3 bis."),
    ]
    interview = build_interview(blocks)
    assert interview["interviewer"] is None
    assert [p["answer"] for p in interview["qa"]] == ["R1.", "R2.", "R3.\n\nR3 bis."]


def test_text_after_the_closing_line_is_in_no_answer():
    blocks = [
        Block(Q1, emphasized=True),
        Block("R1."),
        Block(Q2, emphasized=True),
        Block("R2."),
        Block("Propos recueillis par Aurélien Germain"),
        Block("Infos pratiques : 5 €."),
    ]
    interview = build_interview(blocks)
    assert interview["interviewer"] == "Aurélien Germain"
    assert interview["qa"][-1]["answer"] == "R2."


def test_the_interviewer_loses_a_full_stop_but_not_an_initial():
    for closing, name in (
        ("Propos recueillis par Aurélien Germain.", "Aurélien Germain"),
        ("Propos recueillis par B.R.", "B.R."),
        ("Propos recueillis par Jean-Marc D.", "Jean-Marc D."),
    ):
        blocks = [Block(Q1, emphasized=True), Block("R1."), Block(Q2, emphasized=True), Block("R2."), Block(closing)]
        assert build_interview(blocks)["interviewer"] == name


def test_a_quotation_ending_with_a_question_mark_is_not_a_question():
    # the contract: a question's text ends with "?" (the schema's pattern "\\?$")
    blocks = [
        Block(Q1, emphasized=True),
        Block("R1."),
        Block("« Et si on gardait les murs ? »", emphasized=True),
        Block("R1 bis."),
        Block("“Et la suite ?”", emphasized=True),
        Block(Q2, emphasized=True),
        Block("R2."),
    ]
    qa = build_interview(blocks)["qa"]
    assert [p["question"] for p in qa] == [Q1, Q2]
    assert qa[0]["answer"] == "R1.\n\n« Et si on gardait les murs ? »\n\nR1 bis.\n\n“Et la suite ?”"


def test_one_heading_ending_with_a_question_mark_is_not_an_interview():
    blocks = [Block("Intro."), Block("Et demain ?", emphasized=True), Block("Suite."), Block("Fin.")]
    assert build_interview(blocks) is None


def test_a_question_in_running_text_is_not_a_question_block():
    blocks = [
        Block("Qui l'eût cru ?"),
        Block("R."),
        Block(Q1, emphasized=True),
        Block("R1."),
        Block(Q2, emphasized=True),
        Block("R2."),
    ]
    assert [p["question"] for p in build_interview(blocks)["qa"]] == [Q1, Q2]


def test_a_question_without_answer_is_dropped():
    blocks = [
        Block(Q1, emphasized=True),
        Block(Q2, emphasized=True),
        Block("R2."),
        Block(Q3, emphasized=True),
        Block("R3."),
    ]
    assert [p["question"] for p in build_interview(blocks)["qa"]] == [Q2, Q3]


@pytest.mark.parametrize(
    ("structured", "shown", "exported", "told"),
    [
        # www: the byline's Paris wall clock labelled UTC, winter and summer: the byline's time
        ("2024-03-26T07:27:07+0000", "26-03-2024 07:27:07", "2024-03-26T07:27:07+01:00", None),
        ("2024-07-26T07:27:07+0000", "26-07-2024 07:27:07", "2024-07-26T07:27:07+02:00", None),
        # true UTC, or Paris time with its offset: the same instant
        ("2024-03-26T06:27:07Z", "26-03-2024 07:27:07", "2024-03-26T07:27:07+01:00", None),
        ("2024-03-26T07:27:07+01:00", "26-03-2024 07:27:07", "2024-03-26T07:27:07+01:00", None),
        # a byline to the minute, or to the day, agrees at its precision; it never relabels
        ("2014-05-17T17:04:23+00:00", "17 mai 2014 à 19h04", "2014-05-17T19:04:23+02:00", None),
        ("2015-01-03T09:00:00+01:00", "3 janv. 2015", "2015-01-03T09:00:00+01:00", None),
        ("2024-03-26T07:27:00+0000", "26/03/2024 à 07h27", "2024-03-26T08:27:00+01:00", ("08:27:00", "07:27:00")),
        # any other disagreement: told; the structured instant (seconds and an offset) exported
        ("2024-03-26T09:27:07+01:00", "26-03-2024 07:27:07", "2024-03-26T09:27:07+01:00", ("09:27:07", "07:27:07")),
        ("2024-03-26T07:27:08+0000", "26-03-2024 07:27:07", "2024-03-26T08:27:08+01:00", ("08:27:08", "07:27:07")),
    ],
)
def test_structured_dates_against_the_byline(structured, shown, exported, told):
    settled = settle_dates([structured], shown)
    assert pick_instant(settled.candidates) == exported
    assert (settled.disagreement and tuple(v[11:19] for v in settled.disagreement)) == (told or None)


def test_without_a_byline_structured_data_is_read_as_it_says():
    settled = settle_dates(["2024-03-26T07:27:07+0000", None], None)
    assert pick_instant(settled.candidates) == "2024-03-26T08:27:07+01:00" and settled.disagreement is None
