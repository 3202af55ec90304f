"""The content model of the mirror: one `Article` per article page, the URL spellings of an
article, and the random streams every choice is drawn from.  The item a correct crawler must
export for an article is computed from this model in truth.py.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

ROOT = "https://www.tmvtours.fr"
PARIS = ZoneInfo("Europe/Paris")

LEGACY = "legacy"
CURRENT = "current"
AMP = "amp"  # the www front-end: AMP markup, class names drawn per build, canonical without a slash
LAYOUTS = (LEGACY, CURRENT, AMP)

# Where an article is listed (the completeness traps of the live site).
EVERYWHERE = "everywhere"
ONLY_SITEMAP = "only_sitemap"  # absent from home pagination, archives and every listing
ONLY_ARCHIVES = "only_archives"  # absent from the sitemaps


# --- text helpers -------------------------------------------------------------------


def fold(text: str) -> str:
    """the item contract's text normalisation: NFC, every run of white space (str.split() knows U+00A0
    and U+202F too) folded to one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold_or_none(text: str | None) -> str | None:
    folded = fold(text) if text is not None else ""
    return folded or None


def dedupe(names: list[str]) -> list[str]:
    """Fold names, drop empty ones and case-insensitive duplicates (the first spelling wins)."""
    seen, kept = set(), []
    for name in map(fold, names):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def slugify(text: str) -> str:
    """WordPress-like slug: ASCII, lower case, words joined by '-' ("tour(s) plus" -> "tour-s-plus")."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def iso(moment: datetime | None) -> str | None:
    """An instant as Paris local time with its offset, to the second: 2015-01-29T10:50:11+01:00."""
    return moment.astimezone(PARIS).isoformat(timespec="seconds") if moment else None


def article_path(slug: str, layout: str | None = None) -> str:
    """'/article/<slug>/' (WordPress pages), '/article/<slug>' for the AMP front-end."""
    return f"/article/{slug}" if layout == AMP else f"/article/{slug}/"


def article_url(slug: str, layout: str | None = None) -> str:
    return ROOT + article_path(slug, layout)


def detail_path(slug: str, encodings: int = 2) -> str:
    """'/detail-article/article%252F<slug>' (the path encoded twice) or, once, 'article%2F<slug>'."""
    return f"/detail-article/article%{'25' * (encodings - 1)}2F{slug}"


def random_stream(seed: int, *names: object) -> random.Random:
    """The stream of one purpose (site seed, article index, what for): article i does not depend on the
    number of articles generated after it."""
    return random.Random(":".join(map(str, (seed, *names))))


# --- the model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A category, an author or a tag page: display name and slug."""

    name: str
    slug: str


@dataclass(frozen=True)
class TagLink:
    """A tag link as printed on the page: its text may differ from the tag's name by case or
    stray white space (the expected tags fold and dedupe these)."""

    text: str
    slug: str


@dataclass(frozen=True)
class Deco:
    """How a run of text is dressed in HTML; none of it changes the folded text."""

    entities: bool = False  # ' as &#39; / &#x27;, é as &eacute;
    nbsp: bool = False  # &nbsp; before ? : !
    narrow_nbsp: bool = False  # &#8239; before ; and inside numbers (8&#8239;000)
    linebreak: bool = False  # a newline + indentation between two sentences
    em_word: int | None = None  # index of a word wrapped in <em>
    link: tuple[int, str] | None = None  # (index of a word, href) wrapped in <a>


PLAIN = Deco()


@dataclass
class Block:
    """One block of an article body.

    kind:
      "p"        paragraph (text)
      "h2"       heading (text)
      "question" interview question alone: style "strong" / "b" (wholly bold paragraph) or "h3"
      "qa_br"    bold question (style "strong" / "b"), <br>, then the first answer (answer) in one <p>
      "closing"  "Propos recueillis par <text>", right-aligned italic
      "spacer"   <p>&nbsp;</p>          (not text: excluded from the body)
      "ad"       div.pub with a script  (not text: excluded from the body)
      "shortcode" a paragraph that is only a raw shortcode, printed as text (excluded from the body)
    A "p" block may carry a raw `shortcode` printed as text before or after its text
    (`shortcode_first`); the shortcode is not article text either.
    """

    kind: str
    text: str = ""
    answer: str = ""
    style: str = ""
    deco: Deco = PLAIN
    answer_deco: Deco = PLAIN
    shortcode: str = ""
    shortcode_first: bool = False

    def texts(self) -> list[str]:
        """The body blocks this block contributes to the expected item, folded."""
        if self.kind in ("p", "h2", "question"):
            return [fold(self.text)]
        if self.kind == "qa_br":
            return [fold(self.text), fold(self.answer)]
        if self.kind == "closing":
            return [fold(f"Propos recueillis par {self.text}")]
        return []

    def is_question(self) -> bool:
        """A block set apart from the text whose text ends with '?' (the item contract)."""
        if self.kind in ("question", "qa_br"):
            return True
        return self.kind == "h2" and fold(self.text).endswith("?")


@dataclass
class Image:
    url: str
    caption: str | None  # without the credit
    credit: str | None
    credit_form: str = "(Photo {})"

    def printed_caption(self) -> str:
        """The caption as the page prints it: caption, then the credit in its form."""
        credit = self.credit_form.format(self.credit) if self.credit else ""
        return " ".join(part for part in (self.caption, credit) if part)


@dataclass
class Article:
    index: int  # chronological rank: 0 is the oldest
    slug: str
    post_id: int
    title: str
    layout: str  # LEGACY, CURRENT or AMP
    published: datetime  # aware (UTC in generated sites; iso() shows Paris time)
    modified: datetime | None = None
    author: Term | None = None
    lead: str | None = None
    categories: list[Term] = field(default_factory=list)
    tag_links: list[TagLink] = field(default_factory=list)
    image: Image | None = None
    blocks: list[Block] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # slugs, in page order
    json_ld: bool = True  # current layout: JSON-LD NewsArticle in <head>
    og_times: bool = False  # legacy layout: article:published_time / modified_time metas (UTC)
    charset: str = "utf-8"  # legacy pages may be windows-1252
    visibility: str = EVERYWHERE
    flaky: bool = False  # answers 503 on its first request
    is_seed: bool = False
    # amp layout only (drawn from the article's "amp" stream; nothing here changes the item but
    # `ld_author`, which never does either: the byline's name wins)
    ld_type: str = "NewsArticle"  # JSON-LD: NewsArticle | Article | BlogPosting | graph (@graph of 3 nodes)
    ld_author: str = "byline"  # "byline": the byline's name; "publisher": the account {"name": "tmv"}
    og_title: bool = True
    p_redirect: bool = True  # /?p=<id>: 301 to the canonical URL, else 200 with the page itself
    link_spelling: str = "canonical"  # how listings link it: canonical | detail (%252F) | p (/?p=N)
    sitemap_spelling: str = "canonical"  # how the sitemaps list it: canonical | slash | detail
    shape: dict = field(default_factory=dict)  # markup choices of the amp page (article_pages.amp_article)

    @property
    def path(self) -> str:
        return article_path(self.slug, self.layout)

    @property
    def url(self) -> str:
        return article_url(self.slug, self.layout)

    @property
    def month(self) -> tuple[int, int]:
        """(year, month) of publication, Paris time: the monthly archive it belongs to."""
        local = self.published.astimezone(PARIS)
        return local.year, local.month

    @property
    def last_change(self) -> datetime:
        """The later of publication and modification (an amp page's modification can be earlier)."""
        return max(self.published, self.modified) if self.modified else self.published

    def tags(self) -> list[str]:
        return dedupe([link.text for link in self.tag_links])

    def links(self) -> list[str]:
        """Every in-body link (href as written, under ROOT)."""
        links = []
        for block in self.blocks:
            for deco in (block.deco, block.answer_deco):
                if deco.link:
                    links.append(deco.link[1])
        return links

    def summary(self) -> str:
        """The excerpt of listing pages and of the feed: the lead, else the first paragraph."""
        if self.lead:
            return self.lead
        first = next((b.text for b in self.blocks if b.kind == "p"), "")
        return first if len(first) <= 160 else first[:160].rsplit(" ", 1)[0] + "…"
