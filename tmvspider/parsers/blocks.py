"""The visible text of elements and the body's blocks (paragraphs and headings in reading
order, an interview's questions told by their bold or their heading), whatever the layout.

They take lxml elements (a response's ``selector.root``) and return plain values.
"""

from __future__ import annotations

import re

from ..processors import Block, clean_text, ends_with_question_mark, is_closing_line
from . import left_out

# video/audio: what they hold is the player's fallback (a link to the file), never shown
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "figure",
    "img",
    "amp-img",
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "button",
    "svg",
    "hr",
    "video",
    "audio",
    "object",
}
UNSEEN = {"script", "style", "noscript", "template"}  # elements whose text no reader sees
# WordPress's own classes of blocks that are no text, whatever the theme: captions (its [gallery]
# without html5 puts them in <dd class="wp-caption-text gallery-caption">), Jetpack's share and
# related blocks. A layout adds its own (ArticleParser.skip_classes).
WORDPRESS_SKIPS = frozenset(
    {"wp-caption", "wp-caption-text", "gallery", "gallery-caption", "sharedaddy", "jp-relatedposts"}
)
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_QUESTION_HEADINGS = {"h2", "h3", "h4"}  # the headings an interview's questions take
_BOLD = {"strong", "b"}
# block-level elements the body walk goes into; anything else is inline text
_CONTAINERS = {
    "div",
    "section",
    "article",
    "blockquote",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "center",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "li",
    "pre",
    "address",
    "details",
    "summary",
    "figcaption",
}
# skipped inline, within loose text: they do not end a paragraph
_INLINE_SKIPS = {"script", "style", "noscript", "img", "amp-img", "svg", "button", "video", "audio", "object"}
# elements that start a new line: their text never runs into their neighbours'
BLOCK_TAGS = {"p", *HEADINGS, *_CONTAINERS}
# what may stand outside the bold runs of a wholly bold paragraph: "<b>Pourquoi</b> ?"
_PUNCTUATION = re.compile(r"[\s?!:.…]*")
# what opens a related or share block: the words alone, or before links only
# ("Restez avec nous : <a>Facebook</a> …")
_END_OF_BODY = re.compile(rf"(?:{left_out.RELATED}|Restez avec nous)\s*:?", re.IGNORECASE)
_END_WORDS = (*left_out.RELATED_WORDS, "restez avec nous")


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


def owner(text_node):
    """The element a text node belongs to: its parent, or for a tail the tail's parent."""
    el = text_node.getparent()
    return el.getparent() if text_node.is_tail else el


def text(el) -> str | None:
    """The folded visible text of an element (None for no element)."""
    return None if el is None else clean_text(element_text(el))


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
                yield from _runs(child, bold or _is_bold(child))
                yield " " if child.tag in BLOCK_TAGS else "", bold
        if child.tail:
            yield child.tail, bold


_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)


def _is_bold(el) -> bool:
    """Bold by its tag, or by its inline style ("font-weight: bold", "font-weight:700")."""
    return el.tag in _BOLD or ((style := el.get("style")) is not None and _BOLD_STYLE.search(style) is not None)


def _lines(p) -> list[list[tuple[str, bool]]]:
    """The runs of a paragraph cut at its line breaks; lines with no text left out."""
    lines: list[list[tuple[str, bool]]] = [[]]
    for run in _runs(p, _is_bold(p)):
        if run is None:
            lines.append([])
        else:
            lines[-1].append(run)
    return [line for line in lines if clean_text("".join(t for t, _ in line))]


def _bold(line) -> bool:
    """Every word of the line is bold, in one run or several, however nested."""
    return (
        any(b and t.strip() for t, b in line)
        and _PUNCTUATION.fullmatch("".join(t for t, b in line if not b)) is not None
    )


# an interview's question marked by its first characters, not by bold: "— Pourquoi ?", "Q : Pourquoi ?"
_MARKED_QUESTION = re.compile(r"^(?:[—–]|Q\s?[:.]|Question\s?:)\s*(?P<question>[^—–].*\?)$")


def paragraph_blocks(p) -> list[Block]:
    """The blocks of a paragraph: itself, or its bold question and its answer split at a line
    break, or its closing line; a question told by a marker is set apart, the marker dropped."""
    blocks = _paragraph_blocks(p)
    if len(blocks) == 1 and not blocks[0].emphasized and (marked := _MARKED_QUESTION.match(blocks[0].text)):
        return [Block(marked["question"], emphasized=True)]
    return blocks


def _paragraph_blocks(p) -> list[Block]:
    # plain text, most paragraphs: the quick way (a <span> may be bold by its style)
    if next(p.iter("strong", "b", "br", "span"), None) is None and not p.get("style"):
        text = clean_text(element_text(p))
        return [Block(text)] if text else []
    lines = _lines(p)
    if not lines:
        return []  # <p>&nbsp;</p> spacers
    texts = [clean_text("".join(t for t, _ in line)) or "" for line in lines]  # never "": _lines keeps lines with text
    bold = 0  # how many lines the paragraph opens with are bold
    while bold < len(lines) and _bold(lines[bold]):
        bold += 1
    # a bold question closed by a line break: "<strong>Question ?</strong><br>Answer…",
    # the question itself over one line or more
    asked = next((i + 1 for i in range(bold) if ends_with_question_mark(texts[i])), 0)
    if bold == len(lines) and asked in (0, len(lines)):
        return [Block(" ".join(texts), emphasized=True)]  # a wholly bold paragraph
    blocks = []
    if asked:
        blocks.append(Block(" ".join(texts[:asked]), emphasized=True))
        del texts[:asked]
    # the closing line after a line break: "…<br><em>Propos recueillis par X</em>"
    closing = texts.pop() if len(texts) > 1 and is_closing_line(texts[-1]) else None
    blocks.append(Block(" ".join(texts)))
    if closing:
        blocks.append(Block(closing))
    return blocks


SKIP_AND_LINKS = _SKIP_TAGS | {"a"}


def _outside_links(el) -> str:
    """The visible text of *el* that no link holds."""
    return element_text(el, SKIP_AND_LINKS)


def has_links(el) -> bool:
    return el is not None and next(el.iter("a"), None) is not None


def _mostly_links(el) -> bool:
    """Links, and no more text besides than in them: a list of articles, share buttons."""
    outside = len(clean_text(_outside_links(el)) or "")
    return outside <= len(clean_text(element_text(el)) or "") - outside


def _opens_links_block(el) -> bool:
    """*el* reads "Vous aimerez aussi" or "Restez avec nous :", alone or before links."""
    opening = el.text if el.text and not el.text.isspace() else next((t for t in el.itertext() if t.strip()), "")
    return (
        opening.lstrip()[:20].casefold().startswith(_END_WORDS)
        and _END_OF_BODY.fullmatch(clean_text(_outside_links(el)) or "") is not None
    )


def _next_element(el):
    return next((n for n in el.itersiblings() if isinstance(n.tag, str)), None)


_SIDEBAR_CLASSES = {"widget", "widget-area", "sidebar"}


def in_sidebar(el) -> bool:
    """In the page's sidebar (a widget, an <aside> outside the article): a list under that
    title there is no article's."""
    ancestors = []
    for ancestor in el.iterancestors():
        if ancestor.tag == "body":  # the body's classes tell the theme's layout, not this block's place
            break
        ancestors.append(ancestor)
    if any(
        _SIDEBAR_CLASSES & set((a.get("class") or "").split()) or a.get("id") in ("secondary", "sidebar")
        for a in ancestors
    ):
        return True
    tags = {a.tag for a in ancestors}
    return "aside" in tags and not tags & {"article", "main"}


def body_blocks(container, skip_classes: frozenset[str] = frozenset(), skip=(), article_link=None) -> list[Block]:
    """Paragraphs and headings of a body element in reading order. Left out: ads (a block
    around a script with hardly any text), captions, spacers, labelled lists ("Tags :"), a
    related or share block left inside it ("Vous aimerez aussi" or "Restez avec nous :" then
    links only), a cross-link to other articles (*article_link* tells their addresses: a short
    label, "À lire aussi :", and their titles), an embedded post (a tweet's blockquote),
    the elements in *skip* (the lead, the image box, the byline: what other fields read) and
    blocks of the layout's *skip_classes*; WordPress shortcodes are no text."""
    walk = _BodyWalk(WORDPRESS_SKIPS | skip_classes, {id(el) for el in skip}, article_link)
    walk.container(container)
    return [b for b in map(_without_shortcodes, walk.blocks) if b.text and not left_out.is_file_name(b.text)]


def _embedded(quote) -> bool:
    """A post of another site quoted by its embed code, no text of the article's."""
    following = _next_element(quote)
    script = following is not None and following.tag == "script" and following.get("src")
    return bool(script) or bool(left_out.EMBED_CLASSES & set((quote.get("class") or "").split()))


_CROSS_LABEL = 30  # "À lire aussi :", "LIRE AUSSI >", "Sur le même sujet :"


def _cross_link(el, article_link) -> bool:
    """A line linking other articles by their titles, with at most a short label besides."""
    links = [a for a in el.iter("a") if a.get("href")]
    return (
        bool(links)
        and all(article_link(a.get("href")) for a in links)
        and len(clean_text(_outside_links(el)) or "") <= _CROSS_LABEL
        and _mostly_links(el)
    )


def _is_block(el) -> bool:
    """A block-level element, or an inline one wrapped around blocks (``<font><p>…``)."""
    tag = el.tag
    return isinstance(tag, str) and (tag in BLOCK_TAGS or next(el.iter(*BLOCK_TAGS), None) is not None)


_BR = "\x00"  # a <br> in a run of loose text
_AD_MARKERS = ("script", "amp-ad", "amp-embed", "amp-sticky-ad", "ins")
_AD_TEXT = 40  # an ad slot's label ("Publicité") is short; a paragraph with an embedded script is not
# "[nrm_embed]<iframe …>[/nrm_embed]", "[caption id=…]…[/caption]", "[gallery ids=…]": no reader's text
_SHORTCODE_PAIR = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?\].*?\[/\1\]", re.DOTALL)
_SHORTCODE_ALONE = re.compile(r"\[/?[a-z][\w-]*(?:\s+[\w-]+=[^\]]*)?\]")


def _without_shortcodes(block: Block) -> Block:
    if "[" not in block.text:
        return block
    text = _SHORTCODE_ALONE.sub(" ", _SHORTCODE_PAIR.sub(" ", block.text))
    return Block(clean_text(text) or "", block.emphasized)


def _pull_quote(el) -> bool:
    """A figure around a quotation (WordPress's pull quote block): the article's own words."""
    return el.tag == "figure" and next(el.iter("blockquote"), None) is not None


class _BodyWalk:
    """The blocks of a body element, read child by child (``container()``): paragraphs and
    headings, inner blocks walked in turn, and each run of loose text (text and inline
    elements between blocks) as one paragraph."""

    def __init__(self, skip_classes: frozenset[str], skip_ids: set[int], article_link=None):
        self.skip_classes, self.skip_ids, self.article_link = skip_classes, skip_ids, article_link
        self.blocks: list[Block] = []

    def container(self, container) -> None:
        self.run = [container.text or ""]
        # after "Vous aimerez aussi" or "Restez avec nous :" alone: the element of links after it
        self.skipping: bool | tuple[str, str] | None = None
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
        if id(el) in self.skip_ids or (el.tag in _SKIP_TAGS and not _pull_quote(el)):
            return True
        classes = (el.get("class") or "").split()
        if self.skip_classes.intersection(classes):
            return True
        if left_out.EMBED_CLASSES.intersection(classes):
            return True  # a tweet, an Instagram post: their text is the embed's fallback
        if next(el.iter(*_AD_MARKERS), None) is not None and len(clean_text(element_text(el)) or "") <= _AD_TEXT:
            return True  # an ad slot: a script (an <amp-ad> on AMP pages, an <ins> of AdSense) and its label
        if el.tag == "blockquote" and _embedded(el):
            return True
        if self.article_link is not None and _cross_link(el, self.article_link):
            return True
        opening = el.text if el.text and el.text.strip() else next((t for t in el.itertext() if t.strip()), "")
        # "Tags : <a>…</a>", "Catégories : Culture", "Dans <a>Culture</a>"
        return left_out.is_list_label(opening, lambda: _outside_links(el))

    def in_links_block(self, el) -> bool:
        """Whether *el* belongs to a related or share block: its title ("Vous aimerez aussi"
        alone, then the element with links after it, a list or cards with excerpts, and its
        like: same tag and class, cards side by side, or other lists of links), or a line
        with its own links ("Restez avec nous : <a>…")."""
        tag = el.tag
        if (
            self.skipping is not None
            and has_links(el)
            and (self.skipping is True or _mostly_links(el) or self.skipping == (tag, el.get("class")))
        ):
            if self.skipping is True:
                self.skipping = (tag, el.get("class")) if el.get("class") else (tag, "\x00")
            return True
        opens = _opens_links_block(el)
        self.skipping = True if opens and not has_links(el) and has_links(_next_element(el)) else None
        return opens and bool(self.skipping or has_links(el))

    def block(self, el) -> None:
        """A paragraph, a heading, a block of blocks (walked in turn) or of inline content
        (read as a paragraph: a <div> for a <p>)."""
        tag = el.tag
        if tag == "p":
            self.blocks.extend(paragraph_blocks(el))
        elif tag in HEADINGS:
            if text := clean_text(element_text(el)):
                self.blocks.append(Block(text, emphasized=tag in _QUESTION_HEADINGS))
        elif any(map(_is_block, el)):
            skipping, run = self.skipping, self.run
            self.container(el)
            self.skipping, self.run = skipping, run
        else:
            self.blocks.extend(paragraph_blocks(el))
