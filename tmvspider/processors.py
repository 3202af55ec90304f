"""Small pure normalisers, composed by the item loader (loaders.py).

Each function takes what a page shows and returns what the item contract asks for; none
of them touches a response, so each is tested on its own (tests/test_processors.py).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# ---------------------------------------------------------------- text

# The zero-width characters editors leave behind count as white space too.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_HAS_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH}]")
_ZERO_WIDTH_TO_SPACE = str.maketrans(dict.fromkeys(_ZERO_WIDTH, " "))


def clean_text(value: str | None) -> str | None:
    """NFC, every run of white space (str.isspace(): tabs, line breaks, U+00A0, U+202F,
    U+2009 … and the zero-width characters) folded to one space, trimmed; '' becomes None.
    (str.split() rather than a regex: this runs some fifty times a page.)"""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    if _HAS_ZERO_WIDTH.search(value):
        value = value.translate(_ZERO_WIDTH_TO_SPACE)
    return " ".join(value.split()) or None


def unique_casefold(values: Iterable[str | None]) -> list[str]:
    """Drop empty values and case-insensitive duplicates; first spelling and order kept."""
    seen: set[str] = set()
    out = []
    for value in values:
        if not value:
            continue
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def unique(values: Iterable[str | None]) -> list[str]:
    """Drop empty values and exact duplicates, order kept."""
    return list(dict.fromkeys(v for v in values if v))


def split_keywords(value: str | list | None) -> list[str]:
    """JSON-LD ``keywords``/``articleSection``: a comma-separated string or a list; its
    strings are raw JSON, so entities (``&eacute;``) are decoded here, as in any text field."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v for v in map(raw_text, value) if v]


def raw_text(value) -> str | None:
    """Text written raw, outside the HTML (JSON-LD): its entities decoded, then folded."""
    return clean_text(html.unescape(str(value)))


def to_int(value: str | int | None) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


# ---------------------------------------------------------------- timestamps


@dataclass(frozen=True, slots=True)
class Stamp:
    """An instant read from a page, and whether the page gave it to the second.

    (A dataclass, not a tuple: the loader's MapCompose would flatten a tuple.)
    """

    at: datetime  # timezone-aware
    has_seconds: bool
    offset: timedelta | None = None  # the offset the text wrote, None when it wrote none (read as Paris)
    has_time: bool = True  # False for a date alone ("3 janv. 2015")
    start: int = 0  # where the date begins in the text it was read from ("Par X | 26 mars …": 8)


_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    # abbreviations seen in French bylines
    "janv": 1,
    "fevr": 2,
    "fev": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?P<sec>:\d{2}(?:\.\d+)?)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# "1er février 2016 à 7h05", "14 mai 2014, 14:01", "3 janv. 2015"
_FRENCH = re.compile(
    r"(?P<d>\d{1,2})(?:er)?\s+(?P<m>[^\W\d_]+)\.?\s+(?P<y>\d{4})"
    r"(?:\s*(?:à|,|-)?\s*(?P<H>\d{1,2})\s*[h:]\s*(?P<M>\d{2})?(?:\s*:\s*(?P<S>\d{2}))?)?",
    re.IGNORECASE,
)
# "29-01-2015 10:50:11", "29/01/2015 à 10h50", "26.03.2024 - 07h27"
_NUMERIC = re.compile(
    r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:\s*(?:à|,|-|\|)?\s*(?P<H>\d{1,2})\s*[h:]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?)?"
)


def _fold_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def paris_time(naive: datetime) -> datetime:
    """A wall-clock time in Paris made aware.

    A time that occurs twice (the night summer time ends) is its first
    occurrence (+02:00, ``fold=0``); a time skipped in spring is moved forward.
    """
    aware = naive.replace(tzinfo=PARIS, fold=0)
    return aware.astimezone(UTC).astimezone(PARIS)


def parse_timestamp(value: str | Stamp | None) -> Stamp | None:
    """Read an instant: ISO 8601 (with or without offset), or a French date as shown on the
    page; a Stamp read already (settle_dates) as it is."""
    if isinstance(value, Stamp):
        return value
    value = clean_text(value)
    if not value:
        return None
    if match := _ISO.match(value):
        try:
            at = datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            return None
        offset = at.utcoffset()
        return Stamp(at.astimezone(PARIS) if at.tzinfo else paris_time(at), bool(match["sec"]), offset)
    if _ISO_DAY.fullmatch(value):  # "2024-03-26": a day, no time
        try:
            return Stamp(paris_time(datetime.fromisoformat(value)), False, has_time=False)
        except ValueError:
            return None
    for pattern, month_of in ((_NUMERIC, int), (_FRENCH, lambda m: _MONTHS.get(_fold_accents(m)))):
        match = pattern.search(value)
        if not match:
            continue
        month = month_of(match["m"])
        if month is None:  # not a French month's name
            continue
        try:
            naive = datetime(
                int(match["y"]),
                month,
                int(match["d"]),
                int(match["H"] or 0),
                int(match["M"] or 0),
                int(match["S"] or 0),
            )
        except ValueError:
            continue
        return Stamp(paris_time(naive), match["S"] is not None, has_time=match["H"] is not None, start=match.start())
    return None


def agree(stamp: Stamp, other: Stamp) -> bool:
    """The same instant, to the precision of the less precise of the two (a day, a minute, a second)."""
    first, second = (s.at.astimezone(PARIS).replace(microsecond=0) for s in (stamp, other))
    if not (stamp.has_time and other.has_time):
        return first.date() == second.date()
    if not (stamp.has_seconds and other.has_seconds):
        return first.replace(second=0) == second.replace(second=0)
    return first == second


def mislabelled(stamp: Stamp, shown: Stamp) -> bool:
    """*stamp* writes the byline's Paris wall clock to the second under another offset: local
    time labelled as UTC (www's JSON-LD, from the Ampize plugin's dates: SITE.md)."""
    if stamp.offset is None or not shown.has_seconds or stamp.offset == shown.at.utcoffset():
        return False
    written = stamp.at.astimezone(UTC) + stamp.offset
    return written.replace(tzinfo=None, microsecond=0) == shown.at.replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Settled:
    """A date's candidates once structured data and the byline are held against each other,
    most reliable first, and the two values of a disagreement (structured, byline), if any."""

    candidates: list[Stamp]
    disagreement: tuple[str, str] | None = None


def settle_dates(structured: Iterable[str | None], shown: str | None) -> Settled:
    """Structured data (``<time datetime>``, JSON-LD, meta) against the visible byline's text.

    A structured value writing the byline's wall clock to the second under an offset that
    is not Paris's is the byline's time labelled UTC: the byline's Paris time replaces it.
    Any other structured value that is not the instant the byline shows (to the precision of the less precise)
    is a disagreement; the structured values keep their rank (the first to the second wins:
    an offset and seconds are the most precise source), the first disagreeing one is told.
    """
    byline = parse_timestamp(shown)
    candidates: list[Stamp] = []
    disagreement = None
    for stamp in filter(None, map(parse_timestamp, structured)):
        if byline is not None and mislabelled(stamp, byline):
            stamp = byline
        elif byline is not None and disagreement is None and not agree(stamp, byline):
            disagreement = (_iso(stamp), _iso(byline))
        candidates.append(stamp)
    return Settled([*candidates, byline] if byline else candidates, disagreement)


def pick_instant(stamps: Iterable[Stamp | None]) -> str | None:
    """The first instant given to the second, else to the minute, else the first one at all
    (a day), as ISO 8601 Paris time."""
    given = [s for s in stamps if s]
    if not given:
        return None
    return _iso(next((s for s in given if s.has_seconds), next((s for s in given if s.has_time), given[0])))


def _iso(stamp: Stamp) -> str:
    return stamp.at.astimezone(PARIS).isoformat(timespec="seconds")


def now() -> datetime:
    """The current instant, in UTC: the project's one clock."""
    return datetime.now(UTC)


def utc_now() -> str:
    """The current instant as ISO 8601 UTC, to the second (``crawled_at``)."""
    return now().isoformat(timespec="seconds").replace("+00:00", "Z")


# ---------------------------------------------------------------- image credit

# "(Photo X)", "(Photo : X)", "(photo X)", "(Crédit photo : X)", "(Photos : X)", "(© X)"; "© X", "Crédit : X"
_CREDIT = re.compile(  # "photos?" a whole word: "(photographie d'archives)" is no credit
    r"\(\s*(?:(?:cr[ée]dits?\s+)?photos?\b\s*:?|cr[ée]dits?\s*:|©)\s*(?P<credit>[^()]+?)\s*\)\s*$",
    re.IGNORECASE,
)
# out of parentheses, a credit needs its sign or its colon, at the caption's end: "© X", "©X",
# "Photo © X", "© Photo X", "Crédit photo : X", "Crédit : X", "| Photo : X" ("Photo :" after a
# separator only: "Tours en photos : les plus belles vues" is a caption)
_LOOSE_CREDIT = re.compile(
    r"(?:(?:^|(?<=[\s.,;|/–—-]))(?:(?:photos?\s*)?©\s*(?:photos?\b\s*:?)?|cr[ée]dits?(?:\s+photos?)?\s*:)"
    r"|(?:^|(?<=[.,;|/–—-])|(?<=[.,;|/–—-]\s))photos?\s*:)\s*(?P<credit>[^()©:]+?)\s*$",
    re.IGNORECASE,
)
_CAPTION_END = re.compile(r"[\s,;|/–—-]+$")  # the separator left before a credit that was split off
# the words that say what a credit in an element of its own is
_CREDIT_WORDS = re.compile(r"^(?:©\s*(?:photos?\b\s*:?)?|(?:cr[ée]dits?(?:\s+photos?)?|photos?)\s*:)\s*", re.IGNORECASE)


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split a caption ending with a photo credit into (caption, credit): "(Photo X)",
    "(Photo : X)", "(Crédit photo : X)", "© X", "© Photo X", "Crédit photo : X", "Photo : X"."""
    caption = clean_text(caption)
    if not caption:
        return None, None
    if match := _CREDIT.search(caption):
        return clean_text(caption[: match.start()]), clean_text(match["credit"])
    if match := _LOOSE_CREDIT.search(caption):
        return clean_text(_CAPTION_END.sub("", caption[: match.start()])), clean_text(match["credit"])
    return caption, None


def make_image(url: str | None, caption: str | None, credit: str | None = None) -> dict | None:
    """The image field; a *credit* read from an element of its own loses its "©" or "Photo :"."""
    if not url:
        return None
    if credit := clean_text(credit):
        return {"url": url, "caption": clean_text(caption), "credit": clean_text(_CREDIT_WORDS.sub("", credit))}
    caption, credit = split_credit(caption)
    return {"url": url, "caption": caption, "credit": credit}


# ---------------------------------------------------------------- body and interview


class Block(NamedTuple):
    """One paragraph or heading of the body, in reading order. ``emphasized``: a heading, a
    wholly bold paragraph or a bold run closed by a line break; only such a block, ending
    with '?', can be an interview question."""

    text: str
    emphasized: bool = False


_CLOSING = re.compile(r"^propos recueillis par\s*:?\s*(?P<name>.+)$", re.IGNORECASE)
# a sentence's full stop after a name, not an initial's: "Aurélien Germain." but "B.R."
_FINAL_STOP = re.compile(r"(?<=[^\W\d_]{2})\.$")
# The contract: a question's text ends with "?". "« … ? »" ends with a quotation mark: a
# quote set apart, not a question (as a question it would break the schema's "\?$").
_QUESTION_END = re.compile(r"\?\s*$")


def join_blocks(blocks: Iterable[Block]) -> str:
    return "\n\n".join(b.text for b in blocks if b.text)


def ends_with_question_mark(text: str) -> bool:
    return _QUESTION_END.search(text) is not None


def is_question(block: Block) -> bool:
    return block.emphasized and ends_with_question_mark(block.text)


def is_closing_line(text: str) -> bool:
    """'Propos recueillis par X', the line that closes an interview."""
    return _CLOSING.match(text) is not None


def join_names(names: Iterable[str | None]) -> str | None:
    """People as a French byline lists them: "A", "A et B", "A, B et C"."""
    names = unique(names)  # the same person linked twice is one author
    if len(names) < 2:
        return names[0] if names else None
    return ", ".join(names[:-1]) + " et " + names[-1]


def build_interview(blocks: Iterable[Block]) -> dict | None:
    """Question/answer pairs of the body; None unless there are at least two."""
    pairs: list[tuple[str, list[str]]] = []
    interviewer = None
    answering = False  # inside an answer: paragraphs after a question
    for block in blocks:
        closing = _CLOSING.match(block.text)
        if closing:
            name = clean_text(closing["name"])
            assert name is not None  # a block's text is clean: the name it ends with is not blank
            interviewer = _FINAL_STOP.sub("", name)
            answering = False
        elif is_question(block):
            pairs.append((block.text, []))
            answering = True
        elif answering:
            pairs[-1][1].append(block.text)
    qa = [{"question": q, "answer": "\n\n".join(a)} for q, a in pairs if a]
    if len(qa) < 2:
        return None
    return {"interviewer": interviewer, "qa": qa}
