"""Readers shared by both layouts: JSON-LD, meta tags, the byline, the body's blocks.

They take lxml elements (a response's ``selector.root``) and return plain values;
the layout parsers decide which reader serves which field. Queries are compiled
once (``css()``): extraction runs on every page of every crawl.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree

from ..processors import Block, clean_text, ends_with_question_mark, is_closing_line, join_names, raw_text

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
    return raw_text(value)


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
_BODY = etree.XPath("//body")


def post_id(root, links: dict[str, str], title=None) -> str | None:
    """The CMS post id: the ``id="post-N"`` of an <article> around the *title* (not a
    related card's), ``body.postid-N``, ``body[data-post-id]``, shortlink ``?p=N``."""
    body = _BODY(root)
    body = body[0] if body else None
    body_class = _POSTID_CLASS.search(body.get("class") or "") if body is not None else None
    around = title.iterancestors("article") if title is not None else ()
    own = next((i for a in around if (i := a.get("id") or "").startswith("post-")), None)
    for value in (
        own,
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


# what may follow the author's name on the byline's line: "· 3 min de lecture", "| Photo : X"
_AFTER_AUTHOR = re.compile(r"\s+(?:[·•|—–]|-\s|\(?(?:temps de lecture|lecture|photos?\s*:|mis en ligne)\b).*$", re.IGNORECASE)


def byline(text: str | None) -> dict:
    """The visible byline split into published / modified / author texts."""
    text = clean_text(text)
    match = _BYLINE.search(text) if text else None
    if not match:
        return {}
    found = match.groupdict()
    if found.get("author"):
        found["author"] = _AFTER_AUTHOR.sub("", found["author"]) or None
    return found


_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")


def image_source(img) -> str | None:
    """The address an image shows: a lazy loader's ``data-src`` (its ``src`` is then a
    placeholder), else ``src``, else the first of ``srcset``; never a ``data:`` placeholder."""
    for name in (*_LAZY_SOURCES, "src", "data-srcset", "srcset"):
        value = (img.get(name) or "").strip()
        if name.endswith("srcset") and value:  # "a.jpg 640w, b.jpg 1280w": the first URL
            value = value.split()[0].rstrip(",")
        if value and not value.startswith("data:"):
            return value
    return None


# ---------------------------------------------------------------- body

# video/audio: what they hold is the player's fallback (a link to the file), never shown
_SKIP_TAGS = {"script", "style", "noscript", "iframe", "form", "figure", "img", "amp-img", "amp-ad", "amp-embed",
              "amp-sticky-ad", "button", "svg", "hr",
              "video", "audio", "object"}
UNSEEN = {"script", "style", "noscript", "template"}  # elements whose text no reader sees
# WordPress's own classes of blocks that are no text, whatever the theme: captions (its [gallery]
# without html5 puts them in <dd class="wp-caption-text gallery-caption">), Jetpack's share and
# related blocks. A layout adds its own (ArticleParser.skip_classes).
WORDPRESS_SKIPS = frozenset({"wp-caption", "wp-caption-text", "gallery", "gallery-caption", "sharedaddy",
                             "jp-relatedposts"})
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_QUESTION_HEADINGS = {"h2", "h3"}  # the headings an interview's questions take
_BOLD = {"strong", "b"}
# block-level elements the body walk goes into; anything else is inline text
_CONTAINERS = {"div", "section", "article", "blockquote", "aside", "header", "footer", "main", "nav", "center", "table",
               "thead", "tbody", "tfoot", "tr", "td", "th", "dl", "dt", "dd", "ul", "ol", "li", "pre", "address",
               "details", "summary", "figcaption"}
# skipped inline, within loose text: they do not end a paragraph
_INLINE_SKIPS = {"script", "style", "noscript", "img", "amp-img", "svg", "button", "video", "audio", "object"}
# elements that start a new line: their text never runs into their neighbours'
BLOCK_TAGS = {"p", *HEADINGS, *_CONTAINERS}
# what may stand outside the bold runs of a wholly bold paragraph: "<b>Pourquoi</b> ?"
_PUNCTUATION = re.compile(r"[\s?!:.…]*")
# what opens a related or share block: the words alone, or before links only
# ("Restez avec nous : <a>Facebook</a> …")
_END_OF_BODY = re.compile(r"(?:Vous aimerez aussi|Restez avec nous)\s*:?", re.IGNORECASE)
_END_WORDS = ("vous aimerez aussi", "restez avec nous")


def element_text(el, leave_out: set[str] = _SKIP_TAGS) -> str:
    """Visible text of an element: scripts (*leave_out*) left out, each ``<br>`` and each block a space."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str) or child.tag in leave_out:
            pass
        elif child.tag == "br":
            parts.append(" ")
        elif child.tag in BLOCK_TAGS:
            parts.extend((" ", element_text(child, leave_out), " "))
        else:
            parts.append(element_text(child, leave_out))
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
                yield " " if child.tag in BLOCK_TAGS else "", bold
                yield from _runs(child, bold or child.tag in _BOLD)
                yield " " if child.tag in BLOCK_TAGS else "", bold
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


def paragraph_blocks(p) -> list[Block]:
    if next(p.iter("strong", "b", "br"), None) is None:  # plain text, most paragraphs: the quick way
        text = clean_text(element_text(p))
        return [Block(text)] if text else []
    lines = _lines(p)
    if not lines:
        return []  # <p>&nbsp;</p> spacers
    texts = [clean_text("".join(t for t, _ in line)) for line in lines]
    bold = 0  # how many lines the paragraph opens with are bold
    while bold < len(lines) and _bold(lines[bold]):
        bold += 1
    # a bold question closed by a line break: "<strong>Question ?</strong><br>Answer…",
    # the question itself over one line or more
    asked = next((i + 1 for i in range(bold) if ends_with_question_mark(texts[i])), 0)
    if bold == len(lines) and asked in (0, len(lines)):
        return [Block(" ".join(texts), apart=True)]  # a wholly bold paragraph
    blocks = []
    if asked:
        blocks.append(Block(" ".join(texts[:asked]), apart=True))
        del texts[:asked]
    # the closing line after a line break: "…<br><em>Propos recueillis par X</em>"
    closing = texts.pop() if len(texts) > 1 and is_closing_line(texts[-1]) else None
    blocks.append(Block(" ".join(texts)))
    if closing:
        blocks.append(Block(closing))
    return blocks


_SKIP_AND_LINKS = _SKIP_TAGS | {"a"}


def _outside_links(el) -> str:
    """The visible text of *el* that no link holds."""
    return element_text(el, _SKIP_AND_LINKS)


def _has_links(el) -> bool:
    return el is not None and next(el.iter("a"), None) is not None


def _mostly_links(el) -> bool:
    """Links, and no more text besides than in them: a list of articles, share buttons."""
    outside = len(clean_text(_outside_links(el)) or "")
    return outside <= len(clean_text(element_text(el)) or "") - outside


def _opens_links_block(el) -> bool:
    """*el* reads "Vous aimerez aussi" or "Restez avec nous :", alone or before links."""
    opening = el.text if el.text and not el.text.isspace() else next((t for t in el.itertext() if t.strip()), "")
    return (opening.lstrip()[:20].casefold().startswith(_END_WORDS)
            and _END_OF_BODY.fullmatch(clean_text(_outside_links(el)) or "") is not None)


def _next_element(el):
    return next((n for n in el.itersiblings() if isinstance(n.tag, str)), None)


_RELATED_WORDS = etree.XPath('//body//*[text()[contains(translate(., "VOUSAIMERZ", "vousaimerz"), '
                             '"vous aimerez aussi")]]')
_RELATED_TITLE = re.compile(r"vous aimerez aussi\s*[:!.…]*", re.IGNORECASE)
# a heading's looser title, when no element has the strict one: "Vous aimerez aussi ces articles"
_RELATED_HEADING = re.compile(r"vous aimerez aussi (?:ces|nos|les|ceux-ci|celui-ci|lire|sur)\b.{0,20}", re.IGNORECASE)


def related_heading(root, page_text: str):
    """The element that titles the "Vous aimerez aussi" block, whatever its tag or case:
    the outermost one that holds those words alone (``<header><h3><em>…``), or None.
    A heading first (lxml's walk); any element (an XPath over every text, ~10× dearer)
    only on a page whose *page_text* has the words at all."""
    def candidates():
        yield from root.iter("h2", "h3", "h4", "h5", "h6")
        if "imerez" in page_text or "IMEREZ" in page_text:
            yield from _RELATED_WORDS(root)

    ranked: dict[int, list] = {0: [], 1: [], 2: []}  # a heading's strict title, a heading's looser one, others
    for el in candidates():
        words = clean_text(element_text(el)) or ""
        if in_sidebar(el):
            continue
        heading = el.tag in HEADINGS
        if _RELATED_TITLE.fullmatch(words):
            if heading:
                return _outermost(el)
            ranked[2].append(el)
        elif heading and _RELATED_HEADING.fullmatch(words):
            ranked[1].append(el)
    best = ranked[1] or ranked[2]
    return _outermost(best[0]) if best else None


def _outermost(el):
    """*el*, or the wrapper it stands alone in (``<header><span class=icon></span><h3>…``):
    the other children hold no text and no link."""
    while (parent := el.getparent()) is not None and parent.tag != "body" and not clean_text(parent.text) \
            and not clean_text(el.tail) and all(child is el or not isinstance(child.tag, str)
                                                or (not _has_links(child) and not clean_text(element_text(child))
                                                    and not clean_text(child.tail)) for child in parent):
        el = parent
    return el


_SIDEBAR_CLASSES = {"widget", "widget-area", "sidebar"}


def in_sidebar(el) -> bool:
    """In the page's sidebar (a widget, an <aside> outside the article): a list under that
    title there is no article's."""
    ancestors = []
    for ancestor in el.iterancestors():
        if ancestor.tag == "body":  # the body's classes tell the theme's layout, not this block's place
            break
        ancestors.append(ancestor)
    if any(_SIDEBAR_CLASSES & set((a.get("class") or "").split()) or a.get("id") in ("secondary", "sidebar")
           for a in ancestors):
        return True
    tags = {a.tag for a in ancestors}
    return "aside" in tags and not tags & {"article", "main"}


def body_blocks(container, skip_classes: frozenset[str] = frozenset(), skip=()) -> list[Block]:
    """Paragraphs and headings of a body element in reading order. Left out: ads (a block
    around a script with hardly any text), captions, spacers, labelled lists ("Tags :"), a
    related or share block left inside it ("Vous aimerez aussi" or "Restez avec nous :" then
    links only), the elements in *skip* (the lead, the image box, the byline: what other
    fields read) and blocks of the layout's *skip_classes*; WordPress shortcodes are no text."""
    walk = _BodyWalk(WORDPRESS_SKIPS | skip_classes, {id(el) for el in skip})
    walk.container(container)
    return [b for b in map(_without_shortcodes, walk.blocks) if b.text]


def _is_block(el) -> bool:
    """A block-level element, or an inline one wrapped around blocks (``<font><p>…``)."""
    tag = el.tag
    return isinstance(tag, str) and (tag in BLOCK_TAGS or next(el.iter(*BLOCK_TAGS), None) is not None)


_BR = "\x00"  # a <br> in a run of loose text
_AD_MARKERS = ("script", "amp-ad", "amp-embed", "amp-sticky-ad", "ins")
_AD_TEXT = 40  # an ad slot's label ("Publicité") is short; a paragraph with an embedded script is not
_LABEL = re.compile(r"^\s*(?:Tags?|Cat[ée]gories?|Mots[- ]cl[ée]s)\s*:", re.IGNORECASE)
# "[nrm_embed]<iframe …>[/nrm_embed]", "[caption id=…]…[/caption]", "[gallery ids=…]": no reader's text
_SHORTCODE_PAIR = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?\].*?\[/\1\]", re.DOTALL)
_SHORTCODE_ALONE = re.compile(r"\[/?[a-z][\w-]*(?:\s+[\w-]+=[^\]]*)?\]")


def _without_shortcodes(block: Block) -> Block:
    if "[" not in block.text:
        return block
    text = _SHORTCODE_ALONE.sub(" ", _SHORTCODE_PAIR.sub(" ", block.text))
    return Block(clean_text(text) or "", block.apart)


class _BodyWalk:
    """The blocks of a body element, read child by child (``container()``): paragraphs and
    headings, inner blocks walked in turn, and each run of loose text (text and inline
    elements between blocks) as one paragraph."""

    def __init__(self, skip_classes: frozenset[str], skip_ids: set[int]):
        self.skip_classes, self.skip_ids = skip_classes, skip_ids
        self.blocks: list[Block] = []

    def container(self, container) -> None:
        self.run = [container.text or ""]
        # after "Vous aimerez aussi" or "Restez avec nous :" alone: the element of links after it
        self.skipping = None
        for el in container.iterchildren():
            tag = el.tag
            if not isinstance(tag, str) or tag in _INLINE_SKIPS:  # a comment, a script …
                pass
            elif tag == "br":  # a line break; two in a row end a paragraph of loose text
                if next((piece for piece in reversed(self.run) if piece.strip()), None) == _BR:
                    self.flush()
                else:
                    self.run.append(_BR)
            elif self.left_out(el):
                self.flush()  # an ad, a caption box …: what follows it is another paragraph
            elif not _is_block(el):  # inline: <em>, <a>, <span> …
                self.run.append(element_text(el))
            else:
                self.flush()
                if not self.in_links_block(el):
                    self.block(el)
            self.run.append(el.tail or "")
        self.flush()

    def flush(self) -> None:
        if text := clean_text("".join(self.run).replace(_BR, " ")):
            self.blocks.append(Block(text))
            self.skipping = None  # text of the article again
        self.run.clear()

    def left_out(self, el) -> bool:
        """What no reader takes for the article's text."""
        if el.tag in _SKIP_TAGS or id(el) in self.skip_ids:
            return True
        if self.skip_classes.intersection((el.get("class") or "").split()):
            return True
        if next(el.iter(*_AD_MARKERS), None) is not None and len(clean_text(element_text(el)) or "") <= _AD_TEXT:
            return True  # an ad slot: a script (an <amp-ad> on AMP pages, an <ins> of AdSense) and its label
        opening = el.text if el.text and el.text.strip() else next((t for t in el.itertext() if t.strip()), "")
        return _LABEL.match(opening) is not None  # "Tags : <a>…</a>", "Catégories : Culture"

    def in_links_block(self, el) -> bool:
        """Whether *el* belongs to a related or share block: its title ("Vous aimerez aussi"
        alone, then the element with links after it, a list or cards with excerpts, and its
        like: same tag and class, cards side by side, or other lists of links), or a line
        with its own links ("Restez avec nous : <a>…")."""
        tag = el.tag
        if self.skipping is not None and _has_links(el) and (
                self.skipping is True or _mostly_links(el) or self.skipping == (tag, el.get("class"))):
            if self.skipping is True:
                self.skipping = (tag, el.get("class")) if el.get("class") else (tag, "\x00")
            return True
        opens = _opens_links_block(el)
        self.skipping = True if opens and not _has_links(el) and _has_links(_next_element(el)) else None
        return opens and bool(self.skipping or _has_links(el))

    def block(self, el) -> None:
        """A paragraph, a heading, a block of blocks (walked in turn) or of inline content
        (read as a paragraph: a <div> for a <p>)."""
        tag = el.tag
        if tag == "p":
            self.blocks.extend(paragraph_blocks(el))
        elif tag in HEADINGS:
            if text := clean_text(element_text(el)):
                self.blocks.append(Block(text, apart=tag in _QUESTION_HEADINGS))
        elif any(map(_is_block, el)):
            skipping, run = self.skipping, self.run
            self.container(el)
            self.skipping, self.run = skipping, run
        else:
            self.blocks.extend(paragraph_blocks(el))
