"""What a reader sees, whatever the theme: the readers that need no class name.

A tmv page says what it is in words that survive a redesign: the headline (the
``h1``), the byline ``Publié le 26-03-2024 07:27:07 Modifié le … Par Name``, the
labels ``Tags :`` and ``Catégories :`` before their links, the article's text as
the block of the page holding most of its paragraphs, its first captioned
image. These readers find them by text and structure only; a layout's selectors
(legacy.py, current.py) are the fast path where they match, and these the
fallback for every field where they do not.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from ..processors import clean_text, ends_with_question_mark, parse_timestamp
from .blocks import BLOCK_TAGS, HEADINGS, UNSEEN, element_text, in_sidebar, owner, paragraph_blocks
from .labels import is_label

_AFTER_TITLE_TEXTS = etree.XPath("following::text()[contains(., 'Publi')]")
_PAGE_TEXTS = etree.XPath("//body//text()[contains(., 'Publi')]")
_BYLINE_START = re.compile(r"Publi[ée]e? le\s+\d", re.IGNORECASE)
_BYLINE_WORDS = re.compile(r"Publi[ée]e? le\b", re.IGNORECASE)  # its date may be in a child element
_H1 = etree.XPath("//h1")
_OUT_OF_TEXT = {"aside", "nav", "footer", "form", "header"}  # no article text in these


_MAIN_H2 = etree.XPath("//main//h2 | //article//h2")
# no h1 at all: an element that says it is the page's heading (ARIA), in the article
_ROLE_HEADINGS = etree.XPath(
    "//main//*[@role='heading'][not(@aria-level) or @aria-level='1'] | "
    "//article//*[@role='heading'][not(@aria-level) or @aria-level='1']"
)


def headline(doc):
    """The page's headline: its first ``h1`` in the ``main`` or ``article`` (else anywhere
    outside the sidebar, navigation and footer) that is not the site's name (an ``h1`` that
    links the home page, or sits in the page's header outside the article while the article
    has headings of its own); else the first ``h2`` of the article; with no ``h1`` at all, the
    first element of the article with ``role="heading"`` (level 1). None when there is none."""
    found = [h for h in _H1(doc) if not in_sidebar(h) and not _inside(h, {"nav", "footer"})]
    inner = [h for h in found if _inside(h, {"main", "article"})]
    for h in inner + [h for h in found if h not in inner]:
        if not _site_name(h, doc):
            return h
    if found:
        return next((h for h in _MAIN_H2(doc) if not in_sidebar(h)), None)
    return next((h for h in _ROLE_HEADINGS(doc) if not in_sidebar(h)), None)


_CHANGED = re.compile(r"modifi|mise? à jour|actualis|updated|datemodified")


def says_modified(time) -> bool:
    """A ``<time>`` that dates a modification: so say the words before it ("Mis à jour le",
    "Modifié le") or what it says of itself (``class``, ``itemprop``)."""
    previous = time.getprevious()
    before = (previous.tail if previous is not None else time.getparent().text) or ""
    marks = f"{before[-20:]} {time.get('class') or ''} {time.get('itemprop') or ''}".lower()
    return _CHANGED.search(marks) is not None and "publi" not in marks


def _site_name(h, doc) -> bool:
    if any(
        urlsplit(a.get("href") or "").path in ("", "/") and (a.get("href") or "").strip() not in ("", "#")
        for a in h.iter("a")
    ):
        return True  # the logo's link home
    return (
        _inside(h, {"header"}) and not _inside(h, {"main", "article"}) and next(iter(_MAIN_H2(doc)), None) is not None
    )


def _inside(el, tags: set[str]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


def block_of(el):
    """The nearest block-level element around *el* (itself included)."""
    while el is not None and el.tag not in BLOCK_TAGS:
        el = el.getparent()
    return el


def inline_run(block, el) -> str:
    """The line of *block* that *el* stands on: its text between the block-level children
    around *el* (a byline's spans, not the headline or the lead in the same wrapper). When
    *el* is the block itself, the line that opens with the byline."""
    runs: list[tuple[list[str], bool]] = [([block.text or ""], False)]
    for child in block:
        if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child.tag == "br"):
            if child.tag != "br" and contains(child, el):
                return inline_run(child, el)
            runs.append(([], False))
        elif isinstance(child.tag, str) and child.tag not in UNSEEN:
            if contains(child, el):
                runs[-1] = (runs[-1][0], True)
            runs[-1][0].append(element_text(child))
        runs[-1][0].append(child.tail or "")
    lines = ["".join(parts) for parts, _ in runs]
    marked = [line for line, (_, has) in zip(lines, runs) if has]
    if marked:
        return marked[0]
    return next((line for line in lines if _BYLINE_START.search(line)), lines[0])


def contains(ancestor, el) -> bool:
    return ancestor is el or any(a is ancestor for a in el.iterancestors())


def position(el) -> int:
    """*el*'s rank in document order."""
    return int(_POSITION(el))


_POSITION = etree.XPath("count(preceding::*) + count(ancestor::*)")


def byline(doc, title=None, stop=None) -> tuple[object | None, object | None, str | None]:
    """The visible byline "Publié le … [Modifié le …] [Par …]": (the element its text
    starts in, the block around it, the line's text). The first one after the headline,
    else the first on the page; never the sidebar's, nor one after *stop* (the title of the
    "Vous aimerez aussi" block: its cards have bylines of their own)."""
    end = position(stop) if stop is not None else None
    for texts in ((_AFTER_TITLE_TEXTS(title) if title is not None else []), _PAGE_TEXTS(doc)):
        for node in texts:
            if not _BYLINE_WORDS.search(node):
                continue
            el = owner(node)
            if el is None or in_sidebar(el) or (end is not None and position(el) > end):
                continue
            block = block_of(el)
            if block is None:
                continue
            line = clean_text(inline_run(block, el))
            if line and _BYLINE_START.search(line):
                return el, block, line
    return None, None, None


# ---------------------------------------------------------------- the article's text

_AFTER_TITLE_PARAGRAPHS = etree.XPath("following::p")
_PAGE_PARAGRAPHS = etree.XPath("//body//p")


def main_text(doc, title=None, byline=None):
    """The element holding the article's text: among the parents of the paragraphs after the
    headline (outside sidebars, navigation, header and footer, the *byline* left out), the
    one whose paragraphs hold the most text, weighed by their number (a standfirst is one
    paragraph beside the headline, the text several); its parent instead when the text is
    spread over several sibling sections of one wrapper. None for a page with no paragraph."""
    scores: dict = {}
    counts: dict = {}
    for p in _AFTER_TITLE_PARAGRAPHS(title) if title is not None else _PAGE_PARAGRAPHS(doc):
        parent = p.getparent()
        if parent is None or p is byline or (byline is not None and contains(byline, p)):
            continue
        if parent not in scores:
            if in_sidebar(parent) or _inside(p, _OUT_OF_TEXT) or p.getparent().tag in _OUT_OF_TEXT:
                scores[parent] = None
            else:
                scores[parent] = 0
        if scores[parent] is not None:
            scores[parent] += len(clean_text(element_text(p)) or "")
            counts[parent] = counts.get(parent, 0) + 1
    ranked = sorted(
        ((s * counts[el] / (counts[el] + 1), el) for el, s in scores.items() if s), key=lambda pair: -pair[0]
    )
    # no paragraph, or one holding little: the text may be in runs or divs
    if not ranked or (ranked[0][0] < _SHORT_TEXT and counts[ranked[0][1]] == 1):
        loose = _loose_text(title, byline) if title is not None else None
        if loose is not None and (not ranked or loose[0] > ranked[0][0]):
            return loose[1]
    if not ranked:
        return None
    best_score, best = ranked[0]
    # sections side by side (<div><h2/><p/>…</div><div>…): their common wrapper is the text;
    # not for a lone standfirst paragraph beside the text
    wrapper = best.getparent()
    if wrapper is not None and wrapper.tag not in ("body", "html", "main", "article"):
        sections = [
            s
            for s, el in ranked[1:]
            if el.getparent() is wrapper and (counts[el] >= 2 or next(el.iter("h2", "h3"), None) is not None)
        ]
        if sections and sum(sections) >= best_score * 0.3:
            return wrapper
    return best


_SHORT_TEXT = 400  # a text whose paragraphs hold less than this may be written without <p>
_TEXTS_AFTER = etree.XPath("following::text()")
_LINE = 40  # a text node this long is a line of the text, not a label, a date or a link


def _loose_text(title, byline) -> tuple[int, object] | None:
    """(its score, the element) holding the text written without <p>: runs of text split by
    ``<br><br>`` (the element holding them), or a <div> a paragraph (their parent)."""
    scores: dict = {}
    for node in _TEXTS_AFTER(title):
        if len(node) < _LINE:
            continue
        el = block_of(owner(node))
        if el is None or el.tag == "p" or (byline is not None and contains(byline, el)):
            continue  # paragraphs are main_text's
        if in_sidebar(el) or _inside(el, _OUT_OF_TEXT):
            continue
        holder = el if el.tag != "div" or next(el.iter("br"), None) is not None else el.getparent()
        if holder is not None:
            scores[holder] = scores.get(holder, 0) + len(node)
    best = max(scores, key=scores.__getitem__, default=None)
    return (scores[best], best) if best is not None else None


# ---------------------------------------------------------------- lead and image

_IMAGES = ("img", "amp-img")
# a union of name tests: libxml2 tests a predicate on every following element ~10x slower
_AFTER_TITLE_IMAGES = etree.XPath("following::img | following::amp-img | following::picture[not(.//img)]")


def image(title, body, in_ad) -> tuple[object | None, object | None]:
    """The article's main image: the first ``img``/``amp-img`` after the headline, in the text
    or before it, else one just above the headline (a block theme's featured image), outside
    sidebars, ads and link cards: (the image, its caption element or None). Its caption: a
    ``figcaption``, else the text of the box it stands in alone."""
    if title is None:
        return None, None
    for img in _AFTER_TITLE_IMAGES(title):
        if in_sidebar(img) or in_ad(img) or _inside(img, {"a", "nav", "footer"}):
            continue
        if body is not None and not contains(body, img) and follows(img, body):
            break  # past the text: related cards, the footer
        box = _caption_box(img, body)
        return img, box
    for el in _just_above(title):
        img = el if el.tag in _IMAGES else next(el.iter(*_IMAGES), None)
        if img is not None and not in_ad(img) and not _inside(img, {"a", "nav", "header", "footer", "aside"}):
            return img, _caption_box(img, body)
    return None, None


def _just_above(title):
    """The elements before the headline in its block, and before that block in the article."""
    yield from (el for el in title.itersiblings(preceding=True) if isinstance(el.tag, str))
    parent = title.getparent()
    if parent is not None and parent.tag not in ("main", "article", "body"):
        yield from (el for el in parent.itersiblings(preceding=True) if isinstance(el.tag, str))


def caption_text(box, img) -> tuple[str | None, str | None]:
    """(caption, credit) of an image box: its text (a ``figure``'s: its ``figcaption`` and a
    credit line beside it) less the image's alt text shown again before it; the credit when it
    stands in an element of its own (``<span class="credit">``, ``<cite>``), else None (it may
    end the caption)."""
    words = clean_text(element_text(box))
    credit = next((el for el in box.iterdescendants() if isinstance(el.tag, str) and _is_credit(el)), None)
    if credit is not None and words:
        credit_words = clean_text(element_text(credit)) or ""
        return clean_text(words.replace(credit_words, " ", 1)), credit_words
    alt = clean_text(img.get("alt"))
    if words and alt and words.startswith(alt + " ") and words[len(alt) + 1 :].startswith(alt):
        return words[len(alt) + 1 :], None
    return words, None


_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|droits", re.IGNORECASE)


def _is_credit(el) -> bool:
    return el.tag == "cite" or _CREDIT_CLASS.search(el.get("class") or "") is not None


def follows(el, other) -> bool:
    """*el* comes after all of *other* in document order."""
    for node in other.itersiblings():
        if contains(node, el):
            return True
    parent = other.getparent()
    return parent is not None and parent.tag not in ("body", "html") and follows(el, parent)


def _caption_box(img, body):
    """The element captioning *img*: the ``figcaption`` of its ``figure``, else the box
    around it that holds only the image and a short text (WordPress's caption box)."""
    for ancestor in img.iterancestors():
        if ancestor is body or ancestor.tag in ("body", "article", "main"):
            return None
        if ancestor.tag == "figure":
            return ancestor  # its figcaption, and a credit in an element of its own
        words = clean_text(element_text(ancestor)) or ""
        if words:
            return (
                ancestor
                if len(words) < 400
                and next(ancestor.iter("p", "h2", "h3"), None) is None
                or _only_caption(ancestor, img)
                else None
            )
    return None


def _only_caption(box, img) -> bool:
    """A box of the image and one short text block: ``<div><img><p>caption</p></div>``."""
    alt = clean_text(img.get("alt"))
    others = [
        c
        for c in box
        if isinstance(c.tag, str) and not contains(c, img) and (not alt or clean_text(element_text(c)) != alt)
    ]  # the alt text shown again before the caption is no more text
    return len(others) == 1 and len(clean_text(element_text(others[0])) or "") < 400


_SENTENCE = 60  # a standfirst above the byline is a sentence at least, not a kicker ("Culture")


def lead(start, body, skip, until=None) -> object | None:
    """The standfirst: the first block with text after *start* (the byline, else the headline)
    and before the text (not in it), that is no image box, label, dateline or list of links;
    None when the text follows directly. With *until* (the byline, *start* the headline): the
    one between them, a sentence at least."""
    if start is None or body is None:
        return None
    for el in blocks_before(start, body):
        if until is not None and (el is until or contains(el, until) or contains(until, el)):
            return None
        if any(contains(el, s) or contains(s, el) for s in skip if s is not None):
            continue
        words = clean_text(element_text(el))
        if (
            not words
            or is_label(words)
            or el.tag in ("figure", "ul", "ol", "nav", *HEADINGS)
            or next(el.iter(*_IMAGES), None) is not None
        ):
            continue
        if len(words) < 40 and _LABEL_VALUE.match(words):
            continue  # "Temps de lecture : 3 min", "Photo : X": a line of the page, no standfirst
        if len(words) < _DATELINE and (stamp := parse_timestamp(words)) is not None and stamp.has_time:
            continue  # "Par X | 26 mars 2024 à 7 h 27", "Mis à jour le 26/03/2024 à 10h48": a dateline
        if len(clean_text(" ".join(element_text(a) for a in el.iter("a"))) or "") * 2 > len(words):
            continue  # mostly links: breadcrumbs, share buttons
        if until is None or len(words) >= _SENTENCE:
            return el
    return None


def opening_lead(body):
    """A standfirst left at the top of the text: its first paragraph, wholly bold and no
    question (WordPress themes print the chapô so), before more text; or None."""
    first_block = next(
        (c for c in body if isinstance(c.tag, str) and c.tag not in UNSEEN and clean_text(element_text(c))), None
    )
    if first_block is None or first_block.tag != "p":
        return None
    blocks = paragraph_blocks(first_block)
    if len(blocks) == 1 and blocks[0].emphasized and not ends_with_question_mark(blocks[0].text):
        later = [c for c in first_block.itersiblings() if isinstance(c.tag, str) and clean_text(element_text(c))]
        return first_block if later else None
    return None


_DATELINE = 120
_LABEL_VALUE = re.compile(r"^[^:]{2,25}:\s*\S")


def blocks_before(start, body):
    """The blocks after *start* and before the text *body* (neither in it nor around it)."""
    for el in _following_blocks(start):
        if el is body or contains(el, body) or contains(body, el):
            return
        yield el


def elements_after(el):
    """The elements after *el* in document order (not inside it), lazily."""
    for node in el.itersiblings():
        yield from (inner for inner in node.iter() if isinstance(inner.tag, str))
    parent = el.getparent()
    if parent is not None:
        yield from elements_after(parent)


def _following_blocks(el):
    """Block-level elements after *el* in document order (not inside it), innermost text holders."""
    for node in el.itersiblings():
        if isinstance(node.tag, str) and node.tag in BLOCK_TAGS:
            yield node
    parent = el.getparent()
    if parent is not None and parent.tag not in ("body", "html"):
        yield from _following_blocks(parent)
