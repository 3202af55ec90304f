"""Readers shared by both layouts: JSON-LD, meta tags, the byline, the body's blocks.

They take lxml elements (a response's ``selector.root``) and return plain values;
the layout parsers decide which reader serves which field. Queries are compiled
once (``css()``): extraction runs on every page of every crawl.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree

from ..processors import Block, clean_text, ends_with_question_mark, is_closing_line, join_names

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle"}
_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=None)
def css(selector: str) -> etree.XPath:
    """A CSS selector compiled once into an lxml XPath (parsel would rebuild its wrappers on every call)."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(selector), smart_strings=False)


def first(root, selector: str):
    """The first element matching a CSS *selector* under *root*, or None."""
    found = css(selector)(root) if selector else []
    return found[0] if found else None


def text(el) -> str | None:
    """The folded visible text of an element (None for no element)."""
    return None if el is None else clean_text(element_text(el))


# smart_strings=False: plain strings, which do not keep the page's tree alive
_LD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]/text()', smart_strings=False)
_HEAD_TAGS = etree.XPath("//meta[@content] | //link[@href]")


def json_ld(root) -> dict:
    """The page's first JSON-LD article object, or {}."""
    for raw in _LD_SCRIPTS(root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        candidates = data if isinstance(data, list) else [data]
        for obj in list(candidates):
            if isinstance(obj, dict) and isinstance(obj.get("@graph"), list):
                candidates.extend(obj["@graph"])
        for obj in candidates:
            if not isinstance(obj, dict):
                continue
            types = obj.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if types & ARTICLE_TYPES:
                return obj
    return {}


def ld_text(value) -> str | None:
    """A JSON-LD string (entities decoded), or the ``name`` of a JSON-LD object/list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return clean_text(html.unescape(value))


def ld_names(value) -> str | None:
    """JSON-LD people as a French byline reads them: "A", "A et B", "A, B et C"."""
    return join_names(map(ld_text, value if isinstance(value, list) else [value]))


def head(root) -> dict[str, str]:
    """``<meta property|name>`` contents and ``<link rel>`` targets by name, first one wins
    (one pass over the document instead of one query per value)."""
    found: dict[str, str] = {}
    for el in _HEAD_TAGS(root):
        if el.tag == "meta":
            names = [el.get("property") or el.get("name") or ""]
            value = el.get("content")
        else:
            names = (el.get("rel") or "").lower().split()
            value = el.get("href")
        for name in names:
            found.setdefault(name, value)
    return found


_POST_ID = re.compile(r"(?:^|\D)(\d+)$")
_POSTID_CLASS = re.compile(r"\bpostid-(\d+)")
_ARTICLE_ID = etree.XPath('//article[starts-with(@id, "post-")]/@id', smart_strings=False)
_BODY = etree.XPath("//body")


def post_id(root, links: dict[str, str]) -> str | None:
    """The CMS post id: ``article#post-N``, ``body.postid-N``, ``data-post-id``, shortlink ``?p=N``."""
    body = _BODY(root)
    body = body[0] if body else None
    body_class = _POSTID_CLASS.search(body.get("class") or "") if body is not None else None
    for value in (
        next(iter(_ARTICLE_ID(root)), None),
        body_class.group(1) if body_class else None,
        body.get("data-post-id") if body is not None else None,
        (links.get("shortlink") or "").partition("?p=")[2],
    ):
        if value and (match := _POST_ID.search(value)):
            return match.group(1)
    return None


# "Publié le … [Modifié le | Mis à jour le …] [Par Name]"
_BYLINE = re.compile(
    r"Publi[ée] le\s+(?P<published>.+?)"
    r"(?:\s+(?:Modifi[ée]|Mis à jour) le\s+(?P<modified>.+?))?"
    r"(?:\s+Par\s+(?P<author>.+?))?\s*$",
    re.IGNORECASE,
)


def byline(text: str | None) -> dict:
    """The visible byline split into published / modified / author texts."""
    text = clean_text(text)
    match = _BYLINE.search(text) if text else None
    return match.groupdict() if match else {}


# ---------------------------------------------------------------- body

_SKIP_TAGS = {"script", "style", "noscript", "iframe", "form", "figure", "img", "button", "svg"}
_SKIP_CLASSES = {"pub", "wp-caption", "chapo", "sharedaddy", "share-links", "related",
                 "related-posts", "tags-links", "cat-links", "article-tags", "article-categories"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD = {"strong", "b"}
# elements that start a new line: their text never runs into their neighbours'
_BLOCKS = {"p", "div", "section", "blockquote", "li", "ul", "ol", "tr", "td", "th", *_HEADINGS}
# what may stand outside the bold runs of a wholly bold paragraph: "<b>Pourquoi</b> ?"
_PUNCTUATION = re.compile(r"[\s?!:.…]*")
# what opens a related or share block, which ends the article's text: the words alone,
# or before links only ("Restez avec nous : <a>Facebook</a> …")
_END_OF_BODY = re.compile(r"(?:Vous aimerez aussi|Restez avec nous)\s*:?", re.IGNORECASE)
_END_WORDS = ("vous aimerez aussi", "restez avec nous")


def element_text(el) -> str:
    """Visible text of an element: scripts left out, each ``<br>`` and each block a space."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _SKIP_TAGS:
            pass
        elif child.tag == "br":
            parts.append(" ")
        elif child.tag in _BLOCKS:
            parts.extend((" ", element_text(child), " "))
        else:
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _runs(el, bold: bool = False):
    """The visible text of *el* in reading order as (text, bold) runs, None for each ``<br>``."""
    if el.text:
        yield el.text, bold
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
            if child.tag == "br":
                yield None
            else:
                yield " " if child.tag in _BLOCKS else "", bold
                yield from _runs(child, bold or child.tag in _BOLD)
                yield " " if child.tag in _BLOCKS else "", bold
        if child.tail:
            yield child.tail, bold


def _lines(p) -> list[list[tuple[str, bool]]]:
    """The runs of a paragraph cut at its line breaks; lines with no text left out."""
    lines: list[list[tuple[str, bool]]] = [[]]
    for run in _runs(p):
        if run is None:
            lines.append([])
        else:
            lines[-1].append(run)
    return [line for line in lines if clean_text("".join(t for t, _ in line))]


def _bold(line) -> bool:
    """Every word of the line is bold, in one run or several, however nested."""
    return (any(b and t.strip() for t, b in line)
            and _PUNCTUATION.fullmatch("".join(t for t, b in line if not b)) is not None)


def _paragraph(p) -> list[Block]:
    lines = _lines(p)
    if not lines:
        return []  # <p>&nbsp;</p> spacers
    texts = [clean_text("".join(t for t, _ in line)) for line in lines]
    if all(map(_bold, lines)):
        return [Block(" ".join(texts), apart=True)]  # a wholly bold paragraph
    blocks = []
    # a bold question closed by a line break: "<strong>Question ?</strong><br>Answer…"
    if len(lines) > 1 and _bold(lines[0]) and ends_with_question_mark(texts[0]):
        blocks.append(Block(texts.pop(0), apart=True))
    # the closing line after a line break: "…<br><em>Propos recueillis par X</em>"
    closing = texts.pop() if len(texts) > 1 and is_closing_line(texts[-1]) else None
    blocks.append(Block(" ".join(texts)))
    if closing:
        blocks.append(Block(closing))
    return blocks


def _outside_links(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS and child.tag != "a":
            parts.append(_outside_links(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ends_body(el) -> bool:
    """*el* opens a related or share block: "Vous aimerez aussi", "Restez avec nous :" and links."""
    opening = clean_text(el.text or (el[0].text if len(el) and el[0].tag in _BOLD | _HEADINGS else "")) or ""
    return (opening.casefold().startswith(_END_WORDS)
            and _END_OF_BODY.fullmatch(clean_text(_outside_links(el)) or "") is not None)


def body_blocks(container) -> list[Block]:
    """Paragraphs and headings of a body element in reading order, ads and spacers left
    out, up to a "Vous aimerez aussi" or "Restez avec nous" block left inside it."""
    blocks: list[Block] = []
    _walk_body(container, blocks)
    return blocks


def _walk_body(container, blocks: list[Block]) -> bool:
    """Append the blocks of *container* to *blocks*; True once the article's text has ended."""
    for el in container.iterchildren():
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        if _SKIP_CLASSES.intersection((el.get("class") or "").split()):
            continue
        if _ends_body(el):
            return True
        if tag == "p" or tag in _HEADINGS:
            text = clean_text(element_text(el))
            if tag == "p":
                blocks.extend(_paragraph(el))
            elif text:
                blocks.append(Block(text, apart=True))
        elif tag in ("ul", "ol"):
            blocks.extend(Block(t) for li in el.iter("li") if (t := clean_text(element_text(li))))
        else:  # div, section, blockquote …: their own paragraphs
            count = len(blocks)
            if _walk_body(el, blocks):
                return True
            if len(blocks) == count and (text := clean_text(element_text(el))):
                blocks.append(Block(text))
    return False

