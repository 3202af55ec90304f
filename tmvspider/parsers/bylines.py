"""A byline's text in the forms French sites write it: its dates told apart by the words before
them ("Publié le", "Le", "Mis à jour le", "Modifié le", "Actualisé le"), numeric or in words,
and its author after "Par"/"By", before or after the dates.

``read(line)`` gives the parts as texts (the loader reads the dates); ``is_byline(line)`` says
whether a line holding a date is a byline rather than a sentence of the text.
"""

from __future__ import annotations

import re

from lxml import etree

from ..processors import clean_text
from . import visible
from .blocks import in_sidebar, owner

_MONTH = (
    r"(?:janv(?:ier|\.)?|f[ée]vr?(?:ier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|ao[ûu]t|"
    r"sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?)"
)
# "26/03/2024", "26-03-2024", "26.03.2024", "26 mars 2024", "1er mars 2024", then "à 07h27", ", 7 h 27", " 07:27:13"
DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}|\d{{1,2}}(?:er)?\s+{_MONTH}\s+\d{{4}})"
    r"(?:\s*(?:à|,|-|\||@)?\s*\d{1,2}\s*[h:]\s*\d{2}(?:\s*:\s*\d{2})?\b)?",
    re.IGNORECASE,
)
_CHANGED = re.compile(
    r"(?:modifi[ée]e?|mis(?:e)?\s+à\s+jour|m[àa]j|actualis[ée]e?|updated|last modified)\s*(?:le|:|on)?\s*$",
    re.IGNORECASE,
)
# "Par X", "Publié par X", "By X": the name up to a separator or a digit, then up to " le " …
_AUTHOR = re.compile(r"(?:par|by)\s+(?P<name>[^\d|·•,;()—–]+)")  # on the line in lower case, a word
_NAME_END = re.compile(r"\s(?:le|on|à|publi[ée]e?|mis|modifi[ée]e?|actualis[ée]e?)\s|\s-\s", re.IGNORECASE)
# what a byline holds besides its dates and its author
_WORDS = re.compile(
    r"\b(?:publi[ée]e?|post[ée]e?|posted|published|par|by|le|les|on|à|et|mis|mise|à|jour|modifi[ée]e?|actualis[ée]e?|"
    r"updated|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|min|de|lecture|temps|il y a)\b|[\W\d_]",
    re.IGNORECASE,
)
# what may follow the author's name on the byline's line: "· 3 min de lecture", "| Photo : X"
_AFTER_AUTHOR = re.compile(
    r"\s+(?:[·•|—–]|-\s|\(?(?:temps de lecture|lecture|photos?\s*:|mis en ligne)\b).*$", re.IGNORECASE
)
# a name set apart before the date, without "Par": "tmv · mardi 26 mars 2024", "Un article de X, le 26/03/2024"
_INTRO = re.compile(
    r"^(?:(?:publi[ée]e?|[ée]crit|r[ée]dig[ée]e?|sign[ée]e?|posted|written)\s+)?(?:par|by)\s+"
    r"|^un article (?:de|sign[ée] )\s*|^(?:auteure?|author|texte)\s*:\s*",
    re.IGNORECASE,
)
_UP_TO_DATE = re.compile(
    r"[\s|·•—–,:-]*(?:\b(?:le|on|du)\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*)?$",
    re.IGNORECASE,
)
_SET_APART = re.compile(r"[|·•—–,]|\s-\s")
_NAME = re.compile(r"^[^\d:|]{2,60}$")
_TIMED = re.compile(r"\d\s*[h:]\s*\d")
# a byline whose date is no date the reader knows ("Publié le hier"): an article missing its date
_UNREAD = re.compile(
    r"Publi[ée] le\s+(?P<published>.+?)"
    r"(?:\s+(?:Modifi[ée]|Mis à jour) le\s+(?P<modified>.+?))?"
    r"(?:\s+Par\s+(?P<author>.+?))?\s*$",
    re.IGNORECASE,
)
_BYLINE_SIZE = 200  # a byline is a line; a sentence of the text with a date is longer, or says more
_LEFT_OVER = 25  # what a byline may hold besides its words: a rubric's name, a "min de lecture"


def read(line: str | None) -> dict:
    """The byline's parts as texts: ``published``, ``modified`` (the date after "Mis à jour
    le" and the like, wherever it stands), ``author``; for "Publié le" before no date the
    reader knows, that text as published; else {}."""
    line = clean_text(line)
    if not line:
        return {}
    found: dict = {}
    start = 0
    first = None
    for match in DATE.finditer(line):
        first = first or match
        key = "modified" if _CHANGED.search(line[start : match.start()]) else "published"
        found.setdefault(key, match.group())
        start = match.end()
    if found and (author := _author(line) or _set_apart(line, first)):
        found["author"] = author
    if "published" in found:
        return found
    unread = _UNREAD.search(line)
    return {k: v for k, v in unread.groupdict().items() if v} if unread and not found else {}


def _author(line: str) -> str | None:
    match = _author_match(line)
    name = (
        clean_text(_AFTER_AUTHOR.sub("", _NAME_END.split(line[match.start("name") : match.end("name")] + " ", 1)[0]))
        if match
        else None
    )
    return name if name and len(name.split()) <= 6 else None


def _set_apart(line: str, date) -> str | None:
    """The name before a byline's first *date* (given to the minute: a rubric's kicker
    "Culture | 26 mars 2024" dates to the day), when an introduction ("Un article de") or a
    separator ("·", "|", ",") sets it apart from it."""
    if date is None or not _TIMED.search(date.group()):
        return None
    before = line[: date.start()]
    intro = _INTRO.match(before)
    name = _UP_TO_DATE.sub("", before[intro.end() if intro else 0 :])
    apart = intro or _SET_APART.search(before[len(name) :])
    return name if apart and _NAME.match(name) and len(name.split()) <= 5 else None


def _author_match(line: str):
    """ "Par X" found in the line in lower case (an ignore-case search costs re three times more);
    its positions hold in *line* unless lowering changed its length (a rare "İ")."""
    low = line.lower()
    if len(low) != len(line):
        return None
    return next((m for m in _AUTHOR.finditer(low) if m.start() == 0 or low[m.start() - 1].isspace()), None)


def is_byline(line: str) -> bool:
    """A short line holding little but dates, an author and a byline's words: not a sentence
    of the text that names a date ("Le 26 mars 2024, le maire a annoncé …")."""
    if len(line) > _BYLINE_SIZE or line.rstrip()[-1:] in ".!?":
        return False
    rest = DATE.sub(" ", line)
    if match := _author_match(rest):
        rest = rest[: match.start()] + rest[match.end() :]
    return len("".join(_WORDS.sub("", rest).split())) <= _LEFT_OVER


# ---------------------------------------------------------------- where it stands

_SCAN = 40  # text nodes looked at after the headline: a byline stands near it, before the text
_SCAN_BEFORE = 12  # and before it, in its article: a kicker "Culture | 26 mars 2024"
_TEXTS_AFTER = etree.XPath(f"following::text()[normalize-space()][position() <= {_SCAN}]")
_TEXTS_BEFORE = etree.XPath(f"preceding::text()[normalize-space()][position() <= {_SCAN_BEFORE}]")
_SENTENCE = 200  # a text node this long is the text: the byline is behind


def find(title, stop=None) -> tuple[object | None, object | None, str | None]:
    """A byline without "Publié le": the first line near the headline, after it (before the
    text starts), else before it in its article, holding a date and little else (is_byline):
    (the element its date stands in, the block around it, the line)."""
    if title is None:
        return None, None, None
    end = visible.position(stop) if stop is not None else None
    around = next(title.iterancestors("article", "main"), None)
    before = [n for n in _TEXTS_BEFORE(title) if visible.contains(around, n.getparent())] if around is not None else []
    for nodes in (_TEXTS_AFTER(title), reversed(before)):
        for node in nodes:
            if len(node) > _SENTENCE:
                break
            if not DATE.search(node):
                continue
            el = owner(node)
            if el is None or in_sidebar(el) or (end is not None and visible.position(el) > end):
                continue
            block = visible.block_of(el)
            line = clean_text(visible.inline_run(block, el)) if block is not None else None
            if line and is_byline(line) and read(line):
                return el, block, line
    return None, None, None
