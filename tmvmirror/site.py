"""Build a synthetic tmv site: `build_site(n)` -> `Site` (pages by path, expected items, truth).

How a site is made:
1. a skeleton per article (`_skeleton`): date, layout (`_layout`: legacy before 2014-09, current
   after; with "amp" in `layouts`, a third of the unforced ones amp), title, where it is listed;
   articles are spread over 2013-01 .. 2016-07, one per time slot, so index order
   is chronological; slugs and post ids follow;
2. content per article (`_fill_content`): byline, lead, image, tags, body, related;
3. `modified=m` rewrites m articles (`_modify`);
   amp pages also get what only they vary in (`_fill_amp`: JSON-LD kind, shortcodes, URL spellings,
   markup shape), from their own "amp" stream, so legacy/current articles stay as they were;
4. `_take_away` applies `without`; `assemble` renders every page (with "amp": the aliases, the
   www category listings and pagers) and computes the expected items (from the model).

Every random choice comes from a `random.Random` seeded with a string naming the
site seed, the article index and the purpose, so article i does not depend on the
number of articles generated after it (`extra_articles`).

Some indices are forced so that every site of >= 50 articles shows every variation
of the live site: see `_forced_specs` and `PROFILES`.
"""

from __future__ import annotations

import json
import random
import string
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from . import render
from .content import (AUTHORS, CAPTIONS, CATEGORIES, CREDIT_FORMS, FEATURE_SENTENCES, HEADINGS,
                      INTERVIEWERS, MONTHS_FR, PHOTO_CREDITS, QUESTION_HEADINGS, QUESTIONS, SEED, SENTENCES,
                      TAGS, TITLE_PREDICATES, TITLE_PREFIXES, TITLE_SUBJECTS, UPDATE_NOTES)
from .model import (AMP, CURRENT, EVERYWHERE, LAYOUTS, LEGACY, ONLY_ARCHIVES, ONLY_SITEMAP, PARIS, PLAIN, ROOT,
                    Article, Block, Deco, Image, TagLink, Term, expected_item, slugify)

__all__ = ["ROOT", "Page", "Site", "build_site", "assemble", "SITEMAP_STYLES", "WITHOUT"]

SITEMAP_STYLES = ("index", "robots", "unnamed", "none")
WITHOUT = frozenset({"tags", "categories", "author", "lead", "image", "articles", "dates"})

# --- the calendar -------------------------------------------------------------------------
# Instants are kept in UTC: adding a timedelta to a Paris datetime would count wall-clock
# time and could land in the hour that does not exist when summer time starts.

def _paris(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=PARIS).astimezone(timezone.utc)


START = _paris(2013, 1, 1)
END = _paris(2016, 7, 1)
SPAN = int((END - START).total_seconds())
LEGACY_UNTIL = _paris(2014, 9, 1)             # older articles use the legacy theme
MODIFIED_FROM = _paris(2017, 1, 10, 9, 0)     # when build_site(modified=m) edits

SEED_TIME = datetime.fromisoformat(SEED["published"]).astimezone(timezone.utc)
SEED_POST_ID = SEED["post_id"]
# 2014-10-26 02:30 happens twice in Paris; this is the first (+02:00), shown without JSON-LD.
DST_TIME = datetime(2014, 10, 26, 0, 30, tzinfo=timezone.utc)
FIRST_OF_MONTH_TIME = _paris(2014, 3, 1, 8, 5, 37)   # legacy "1er mars 2014 à 8h05"
CP1252_TIME = _paris(2013, 11, 20, 18, 42, 9)        # legacy page in windows-1252
# 2015-10-25 02:30 happens twice too: the first (+02:00), on an amp page without JSON-LD.
AMP_DST_TIME = datetime(2015, 10, 25, 0, 30, tzinfo=timezone.utc)

PER_PAGE = 10          # listing pages
PER_SITEMAP = 100      # urls per post-sitemapN.xml
MIN_ARTICLES = 3       # the seed and the two articles its related block links to

# Content profiles forced at indices 3 + j (oldest, legacy) and n - 4 - j (newest, current),
# so that any site of >= 50 articles shows each of them in both layouts.  Keys (all optional;
# what is missing is drawn at random):
#   kind         "interview" | "question_heading" (one h2 ending with "?") | "ordinary"
#   qstyle       interview questions: "strong", "b" (wholly bold <p>), "strong_br", "b_br"
#                (bold run, <br>, first answer), "h3";  intro: paragraphs before the first question
#   closing      "Propos recueillis par X" at the end
#   image        "none" | index into CREDIT_FORMS | "no_credit" | "credit_only"
#   tags         "none" | "dup_case" | "whitespace" | "special" (tour(s) plus, Tours, été 2023)
#   decorations  "all": every paragraph carries every entity / no-break space / <em> / line break
#   lead, author, modified  False: absent;  json_ld, og_times: forced value
#   visibility, flaky, dead_link, tracking_link: the completeness traps
PROFILES = [
    dict(kind="interview", qstyle="strong", closing=True, intro=1, image=0, tags="dup_case", decorations="all"),
    dict(kind="interview", qstyle="b", closing=False, intro=0, image=1, tags="whitespace"),
    dict(kind="interview", qstyle="strong_br", closing=True, intro=0, image=2, tags="special"),
    dict(kind="interview", qstyle="h3", closing=True, intro=2, image=3, tags="none"),
    dict(kind="interview", qstyle="b_br", closing=False, intro=1, image="no_credit"),
    dict(kind="question_heading", image="no_credit", lead=False),
    dict(kind="ordinary", image="credit_only", author=False, modified=False, dead_link=True),
    dict(kind="ordinary", image="none", visibility=ONLY_SITEMAP),
    dict(kind="ordinary", visibility=ONLY_ARCHIVES, tracking_link="fbclid"),
    dict(kind="ordinary", flaky=True, decorations="all", json_ld=False, og_times=True, lead=False),
]

# With the amp layout on, PROFILES are also forced on amp pages (10 free indices from n//2 - 12 on),
# each with these amp-only extras (keys as above, plus):
#   modified     "earlier": "Modifié le" before "Publié le"
#   shortcode    "alone" (a paragraph that is only [nrm_embed]…), "inline" (text then a shortcode),
#                "inline_first" (a shortcode then text), "caption" ([caption …]…[/caption] alone)
#   ld_type      NewsArticle | Article | BlogPosting | graph
#   ld_author    "publisher": JSON-LD says "tmv" (the byline then names someone else)
#   p_redirect   /?p=N answers 301 (True) or the page itself (False)
#   link_spelling     listings link it as canonical | detail (/detail-article/article%252F…) | p (/?p=N)
#   sitemap_spelling  the sitemaps list it as canonical | slash (/article/<slug>/) | detail
AMP_EXTRAS = [
    dict(ld_type="graph", ld_author="publisher", modified="earlier", json_ld=True),
    dict(shortcode="alone", ld_type="Article", p_redirect=False, json_ld=True),
    dict(shortcode="alone", ld_type="BlogPosting", link_spelling="detail", sitemap_spelling="slash", json_ld=True),
    dict(shortcode="caption", json_ld=False, link_spelling="p", sitemap_spelling="detail"),
    dict(ld_type="graph", p_redirect=False, modified="earlier", json_ld=True, ld_author="publisher"),
    dict(shortcode="alone", ld_type="NewsArticle", json_ld=True, link_spelling="detail"),
    dict(json_ld=False, p_redirect=True, sitemap_spelling="slash"),
    dict(sitemap_spelling="detail", shortcode="inline"),
    dict(link_spelling="p"),
    dict(shortcode="inline_first"),
]


# --- the site -----------------------------------------------------------------------------

@dataclass
class Page:
    """One response body, as the live site would send it (root: ROOT)."""
    status: int
    content_type: str
    charset: str
    body: bytes
    last_modified: datetime | None = None
    location: str | None = None     # redirects (status 301): where to (an absolute URL under ROOT)


@dataclass
class Site:
    """A generated site.

    pages      URL path -> Page ('/', '/page/2/', '/article/<slug>/', '/robots.txt' …); the raw path as
               sent (percent escapes kept: '/detail-article/article%252F<slug>'), with the routed
               query for '/?p=N' and '/category/<slug>?page=N'; redirects are pages too (301, location)
    expected   the items a correct crawl exports, one per article, oldest first (no crawled_at)
    truth      articles, layouts, only_sitemap, only_archives, dead_links, flaky, disallowed,
               aliases (alias path -> canonical path), post_ids (slug -> id), sitemaps, without
    articles   the content model the pages and items were made from
    not_found  the page served for unknown paths
    """
    pages: dict[str, Page]
    expected: list[dict]
    truth: dict
    articles: list[Article] = field(default_factory=list, repr=False)
    not_found: Page | None = field(default=None, repr=False)

    @property
    def flaky_paths(self) -> frozenset[str]:
        return frozenset(self.truth.get("flaky", ()))

    def write(self, directory: str | Path) -> None:
        """Write files/…, manifest.json, expected.jsonl and truth.json like the reference mirror."""
        root = Path(directory)
        files = root / "files"
        files.mkdir(parents=True, exist_ok=True)
        manifest = {}
        for path, page in sorted(self.pages.items()):
            name = file_name(path, page.content_type)
            (files / name).write_bytes(page.body)
            manifest[path] = {"charset": page.charset, "file": name, "status": page.status,
                              "type": page.content_type}
            if page.location:
                manifest[path]["location"] = page.location
        (root / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
        lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in sorted(self.expected, key=lambda i: i["url"])]
        (root / "expected.jsonl").write_text("".join(lines), encoding="utf-8")
        (root / "truth.json").write_text(json.dumps(self.truth, indent=1, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> "Site":
        """The site a ``write()`` (or the reference mirror) left in *directory*."""
        root = Path(directory)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        pages = {path: Page(entry["status"], entry["type"], entry["charset"],
                            (root / "files" / entry["file"]).read_bytes(), location=entry.get("location"))
                 for path, entry in manifest.items()}
        expected_file, truth_file = root / "expected.jsonl", root / "truth.json"
        expected = ([json.loads(line) for line in expected_file.read_text(encoding="utf-8").splitlines()]
                    if expected_file.exists() else [])
        truth = json.loads(truth_file.read_text(encoding="utf-8")) if truth_file.exists() else {}
        return cls(pages, expected, truth)


def file_name(path: str, content_type: str) -> str:
    """'/' -> index.html, '/article/x/amp/' -> article__x__amp.html, '/robots.txt' -> robots.txt.txt;
    an HTML path without its final slash gets an '@' ('/article/x' -> article__x@.html), and
    '%', '?' are escaped ('/?p=7' -> %3Fp=7@.html)."""
    stem = quote(path.strip("/").replace("/", "__"), safe="_-.=@+~,") or "index"
    extension = {"text/html": ".html", "text/plain": ".txt"}.get(content_type, ".xml")
    if content_type == "text/html" and not path.endswith("/"):
        stem += "@"
    return stem + extension


def build_site(n_articles: int = 300, seed: int = 1, *, extra_articles: int = 0, modified: int = 0,
               layouts: tuple[str, ...] | list[str] = (LEGACY, CURRENT, AMP), sitemaps: str = "robots",
               without: frozenset[str] | set[str] | tuple[str, ...] = frozenset()) -> Site:
    """A deterministic site of `n_articles` (+ `extra_articles` newer ones), `modified` of them edited.

    layouts   the article layouts drawn ("legacy", "current", "amp"); with "amp", the site also has
              the www front-end's URL shapes (aliases, /?p=N, /category/<slug>, other paginations)
    sitemaps  "index" (robots names /sitemap_index.xml), "robots" (robots names /sitemap.xml, an index
              with lastmods), "unnamed" (robots names none; /wp-sitemap.xml only), "none"
    without   taken away from every article: "tags", "categories", "author", "lead", "image";
              "articles" (every article URL answers 404), "dates" (no date anywhere on article pages);
              with "articles" or "dates" nothing is an article: `expected` is empty"""
    if n_articles < MIN_ARTICLES:
        raise ValueError(f"n_articles must be at least {MIN_ARTICLES}")
    if extra_articles < 0 or modified < 0:
        raise ValueError("extra_articles and modified must not be negative")
    layouts = tuple(layouts)
    if not layouts or set(layouts) - set(LAYOUTS):
        raise ValueError(f"layouts must be some of {', '.join(LAYOUTS)}, got {layouts!r}")
    if sitemaps not in SITEMAP_STYLES:
        raise ValueError(f"sitemaps must be one of {', '.join(SITEMAP_STYLES)}, got {sitemaps!r}")
    without = frozenset(without)
    if without - WITHOUT:
        raise ValueError(f"without: unknown {', '.join(sorted(without - WITHOUT))} "
                         f"(known: {', '.join(sorted(WITHOUT))})")
    articles = generate_articles(n_articles, seed, extra_articles, layouts)
    _modify(articles[:n_articles], seed, modified)
    _take_away(articles, without)
    return assemble(articles, seed=seed, www=AMP in layouts, sitemaps=sitemaps, without=without)


def _take_away(articles: list[Article], without: frozenset[str]) -> None:
    for article in articles:
        if "tags" in without:
            article.tag_links = []
        if "categories" in without:
            article.categories = []
        if "author" in without:
            article.author = None
        if "lead" in without:
            article.lead = None
        if "image" in without:
            article.image = None


# --- step 1: skeletons ----------------------------------------------------------------------

def _rng(seed: int, *names: object) -> random.Random:
    return random.Random(":".join(map(str, (seed, *names))))


def _slot_of(moment: datetime, slot: int) -> int:
    return int((moment - START).total_seconds()) // slot


def _forced_specs(n: int, slot: int, amp: bool = False) -> tuple[int, dict[int, dict]]:
    """The seed's index and the specs forced on other indices (merged in this order:
    profiles, then dates, then the seed's related articles; with `amp`, then the amp DST
    night and the amp block of profiles, on indices left free)."""
    seed_index = _slot_of(SEED_TIME, slot)
    specs: dict[int, dict] = {}
    for j, profile in enumerate(PROFILES):
        for index in (3 + j, n - 4 - j):
            if 0 <= index < n:
                specs[index] = dict(profile)
    for moment, extra in ((CP1252_TIME, {"charset": "windows-1252"}), (FIRST_OF_MONTH_TIME, {}),
                          (DST_TIME, {"json_ld": False})):
        index = _slot_of(moment, slot)
        if 0 <= index < n:
            specs.setdefault(index, {}).update(time=moment, **extra)
    # the seed's related articles: the nearest older indices, else the nearest newer ones
    near_seed = sorted((i for i in range(n) if i != seed_index),
                       key=lambda i: (i > seed_index, abs(i - seed_index)))
    for index, (slug, title) in zip(near_seed, SEED["related"]):
        spec = specs.setdefault(index, {})
        spec.update(slug=slug, title=title, visibility=EVERYWHERE, flaky=False)
    specs.pop(seed_index, None)
    if amp:
        _force_amp(n, slot, seed_index, specs)
    return seed_index, specs


def _force_amp(n: int, slot: int, seed_index: int, specs: dict[int, dict]) -> None:
    """The amp DST page (moving a profile out of its slot if needed) and PROFILES + AMP_EXTRAS
    on the first free indices from n//2 - 12 on."""
    def free(i: int) -> bool:
        return 0 <= i < n and i != seed_index and i not in specs

    dst = _slot_of(AMP_DST_TIME, slot)
    if 0 <= dst < n and dst != seed_index and not {"time", "slug"} & set(specs.get(dst, {})):
        moved = specs.pop(dst, None)
        if moved is not None:   # to the nearest free index on the same side of LEGACY_UNTIL
            side = _slot_of(LEGACY_UNTIL, slot)
            spots = sorted((i for i in range(n) if free(i) and i != dst and (i >= side) == (dst >= side)),
                           key=lambda i: abs(i - dst))
            if spots:
                specs[spots[0]] = moved
        specs[dst] = dict(time=AMP_DST_TIME, layout=AMP, json_ld=False)
    start = max(0, n // 2 - 12)
    spots = [i for i in [*range(start, n), *range(start - 1, -1, -1)] if free(i)]
    for index, profile, extra in zip(spots, PROFILES, AMP_EXTRAS):
        specs[index] = {**profile, **extra, "layout": AMP}


def _publication_time(index: int, slot: int, rng: random.Random, spec: dict) -> datetime:
    if "time" in spec:
        return spec["time"]
    slot_start = START + timedelta(seconds=index * slot)
    moment = slot_start + timedelta(seconds=rng.randrange(slot))
    return _first_occurrence(moment, slot_start, slot_start + timedelta(seconds=slot))


def _first_occurrence(moment: datetime, low: datetime, high: datetime) -> datetime:
    """Keep random instants out of the second 02:xx hour of the night summer time ends: a
    local time shown without offset there would read as the first occurrence (the item contract)."""
    if moment.astimezone(PARIS).fold == 0:
        return moment
    for shift in (timedelta(hours=-1), timedelta(hours=1)):
        if low <= moment + shift < high:
            return moment + shift
    return moment + timedelta(hours=1)


def _title(rng: random.Random) -> str:
    subject, predicate = rng.choice(TITLE_SUBJECTS), rng.choice(TITLE_PREDICATES)
    if rng.random() < 0.3:
        return f"{rng.choice(TITLE_PREFIXES)} : {subject[0].lower()}{subject[1:]} {predicate}"
    return f"{subject} {predicate}"


def _layout(index: int, seed: int, spec: dict, published: datetime, layouts: tuple[str, ...]) -> str:
    """legacy before LEGACY_UNTIL, current after; with "amp", a third of the unforced articles of
    any period are amp; forced articles keep the layout of their date unless the spec names one."""
    by_date = LEGACY if published < LEGACY_UNTIL else CURRENT
    layout = spec.get("layout")
    if layout is None:
        amp = AMP in layouts and not spec and _rng(seed, index, "layout").random() < 1 / 3
        layout = AMP if amp else by_date
    if layout not in layouts:
        layout = next((lay for lay in (by_date, CURRENT, LEGACY, AMP) if lay in layouts))
    return layout


def _skeleton(index: int, slot: int, seed: int, spec: dict, layouts: tuple[str, ...] = (LEGACY, CURRENT)) -> Article:
    """Date, layout, title and listing of one (non-seed) article; slug and post id come later."""
    rng = _rng(seed, index, "skeleton")
    published = _publication_time(index, slot, rng, spec)
    trap = rng.random()
    visibility = ONLY_SITEMAP if trap < 0.03 else ONLY_ARCHIVES if trap < 0.06 else EVERYWHERE
    flaky = rng.random() < 0.01
    title = spec.get("title") or _title(rng)
    return Article(index=index, slug=spec.get("slug", ""), post_id=0, title=title,
                   layout=_layout(index, seed, spec, published, layouts), published=published,
                   visibility=spec.get("visibility", visibility), flaky=spec.get("flaky", flaky))


def _assign_slugs(articles: list[Article]) -> None:
    """Slugs from titles, made unique WordPress-style (-2, -3 …) in index order."""
    taken = {a.slug for a in articles if a.slug}
    for article in articles:
        if article.slug:
            continue
        base = slugify(article.title)
        slug, k = base, 2
        while slug in taken:
            slug, k = f"{base}-{k}", k + 1
        taken.add(slug)
        article.slug = slug


def _assign_post_ids(articles: list[Article], seed: int, seed_index: int) -> None:
    """Post ids increase with the date: from 1000 up to below the seed's real id (20417), then on."""
    rng = _rng(seed, "post-ids")
    widest = min(40, (SEED_POST_ID - 1000 - 1) // max(seed_index, 1))   # step that still fits below the seed
    post_id = 1000 if widest >= 1 else SEED_POST_ID - seed_index - 1
    for article in articles:
        if article.index == seed_index:
            post_id = SEED_POST_ID
        elif article.index > seed_index:
            post_id += rng.randint(2, 40)
        elif article.index > 0:
            post_id += rng.randint(1, max(1, widest))
        article.post_id = post_id


# --- step 2: content ------------------------------------------------------------------------

def _sentences(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _eligible_words(text: str) -> list[int]:
    """Indices of words fit for <em> or a link: letters only, not too short."""
    return [i for i, word in enumerate(text.split(" ")) if len(word) >= 4 and word.isalpha()]


def _deco(rng: random.Random, text: str, everything: bool = False) -> Deco:
    """How a paragraph is dressed in HTML (text-preserving); `everything` turns every trick on."""
    words = _eligible_words(text)
    if everything:
        return Deco(entities=True, nbsp=True, narrow_nbsp=True, linebreak=True,
                    em_word=words[len(words) // 2] if words else None)
    em_word = rng.choice(words) if words and rng.random() < 0.2 else None
    return Deco(entities=rng.random() < 0.25, nbsp=rng.random() < 0.3, narrow_nbsp=rng.random() < 0.15,
                linebreak=rng.random() < 0.2, em_word=em_word)


def _with_spacer_and_ad(blocks: list[Block], position: int) -> list[Block]:
    return blocks[:position] + [Block("spacer"), Block("ad")] + blocks[position:]


def _interview_blocks(rng: random.Random, spec: dict) -> list[Block]:
    style = spec.get("qstyle") or rng.choice(["strong", "b", "strong_br", "b_br", "h3"])
    intro = spec.get("intro", rng.choice([0, 0, 1, 2]))
    closing = spec.get("closing", rng.random() < 0.7)
    blocks = [Block("p", _sentences(rng, 1, 3)) for _ in range(intro)]
    for question in rng.sample(QUESTIONS, rng.randint(2, 5)):
        answers = [_sentences(rng, 1, 3) for _ in range(rng.choice([1, 1, 2, 3]))]
        if style.endswith("_br"):
            blocks.append(Block("qa_br", text=question, answer=answers.pop(0), style=style[:-3]))
        else:
            blocks.append(Block("question", text=question, style=style))
        blocks.extend(Block("p", answer) for answer in answers)
    if rng.random() < 0.4:
        blocks = _with_spacer_and_ad(blocks, rng.randint(1, 2))
    if closing:
        blocks.append(Block("closing", rng.choice(INTERVIEWERS)))
    return blocks


def _ordinary_blocks(rng: random.Random, spec: dict) -> list[Block]:
    blocks = [Block("p", _sentences(rng, 1, 4)) for _ in range(rng.randint(3, 7))]
    if spec.get("kind") == "question_heading":
        blocks.insert(2, Block("h2", rng.choice(QUESTION_HEADINGS)))
    elif rng.random() < 0.35:
        for heading in rng.sample(HEADINGS, rng.randint(1, 2)):
            blocks.insert(rng.randint(1, len(blocks) - 1), Block("h2", heading))
    if rng.random() < 0.45:
        blocks = _with_spacer_and_ad(blocks, rng.randint(1, 2))
    return blocks


def _body(rng: random.Random, spec: dict) -> list[Block]:
    kind = spec.get("kind")
    if kind is None:
        draw = rng.random()
        kind = "interview" if draw < 0.33 else "question_heading" if draw < 0.4 else "ordinary"
    blocks = _interview_blocks(rng, spec) if kind == "interview" else _ordinary_blocks(rng, {**spec, "kind": kind})
    everything = spec.get("decorations") == "all"
    if everything:  # make sure the dressed text has ' é : ! ? « » and a number to dress
        first = next((b for b in blocks if b.kind == "p"), None)
        if first:
            first.text = " ".join([first.text, *FEATURE_SENTENCES])
    for block in blocks:
        if block.kind in ("p", "h2", "question", "qa_br"):
            block.deco = _deco(rng, block.text, everything)
        if block.kind == "qa_br":
            block.answer_deco = _deco(rng, block.answer, everything)
    return blocks


def _add_link(rng: random.Random, blocks: list[Block], href: str) -> None:
    """Wrap one word of a paragraph in a link (the folded text does not change)."""
    for block in rng.sample(blocks, len(blocks)):
        words = [i for i in _eligible_words(block.text) if i != block.deco.em_word]
        if block.kind == "p" and block.deco.link is None and words:
            block.deco = replace(block.deco, link=(rng.choice(words), href))
            return


def _tag_links(rng: random.Random, spec: dict) -> list[TagLink]:
    mode = spec.get("tags") or rng.choices(["none", "plain", "dup_case", "whitespace"], [8, 72, 10, 10])[0]
    if mode == "none":
        return []
    names = rng.sample(TAGS, rng.randint(1, 6))
    if mode == "special":
        special = ["tour(s) plus", "Tours", "été 2023"]
        names = special + [name for name in names if name not in special][:2]
    links = [TagLink(name, slugify(name)) for name in names]
    if mode == "dup_case":
        name = rng.choice(names)
        links.append(TagLink(name.upper() if name != name.upper() else name.lower(), slugify(name)))
    if mode == "whitespace":
        for i in rng.sample(range(len(links)), min(2, len(links))):
            links[i] = TagLink(f"\n   {links[i].text} ", links[i].slug)
    return links


def _image(rng: random.Random, spec: dict, article: Article) -> Image | None:
    mode = spec.get("image")
    if mode is None:
        mode = rng.choices(["none", "credit", "no_credit", "credit_only"], [25, 50, 17, 8])[0]
    if mode == "none":
        return None
    form = CREDIT_FORMS[mode] if isinstance(mode, int) else rng.choice(CREDIT_FORMS)
    caption = None if mode == "credit_only" else rng.choice(CAPTIONS)
    credit = None if mode == "no_credit" else rng.choice(PHOTO_CREDITS)
    url = f"{ROOT}/wp-content/uploads/sites/tours/{article.slug[:20]}-{article.index}.jpg"
    return Image(url=url, caption=caption, credit=credit, credit_form=form)


def _author(rng: random.Random, spec: dict) -> Term | None:
    if spec.get("author") is False or rng.random() < 0.12:
        return None
    name, slug = AUTHORS[0] if rng.random() < 0.4 else rng.choice(AUTHORS)
    return Term(name, slug)


def _modified(rng: random.Random, spec: dict, published: datetime) -> datetime | None:
    if spec.get("modified") is False or rng.random() < 0.4:
        return None
    moment = published + timedelta(seconds=rng.randint(600, 20 * 86400))
    return moment + timedelta(hours=1) if moment.astimezone(PARIS).fold else moment


def _fill_content(article: Article, spec: dict, seed: int, older: list[Article]) -> None:
    """Everything but the skeleton, drawn from the article's own random stream; related
    articles and in-body links point at the `older` ones (the 15 before it)."""
    rng = _rng(seed, article.index, "content")
    article.author = _author(rng, spec)
    article.modified = _modified(rng, spec, article.published)
    article.lead = None if spec.get("lead") is False or rng.random() < 0.08 else _sentences(rng, 1, 2)
    picked = rng.sample(CATEGORIES, 2 if rng.random() < 0.15 else 1)
    article.categories = [Term(name, slug) for name, slug in picked]
    article.tag_links = _tag_links(rng, spec)
    article.image = _image(rng, spec, article)
    article.blocks = _body(rng, spec)
    listed = [a for a in older if a.visibility != ONLY_SITEMAP]
    if listed and rng.random() < 0.75:
        article.related = [a.slug for a in rng.sample(listed, min(len(listed), rng.randint(1, 3)))]
    if spec.get("dead_link") or rng.random() < 0.02:
        _add_link(rng, article.blocks, f"{ROOT}/article/{article.slug}-ancienne-version/")
    tracking = spec.get("tracking_link") or (rng.random() < 0.08 and rng.choice(["fbclid", "utm", "respond"]))
    if tracking and listed:
        target = rng.choice(listed).url
        suffix = {"fbclid": f"?fbclid=IwAR{rng.getrandbits(64):016x}",
                  "utm": "?utm_source=facebook&utm_medium=social", "respond": "#respond"}[tracking]
        _add_link(rng, article.blocks, target + suffix)
    article.json_ld = spec.get("json_ld", rng.random() < 0.8)
    article.og_times = spec.get("og_times", rng.random() < 0.5)
    article.charset = spec.get("charset", "windows-1252" if article.layout == LEGACY and rng.random() < 0.05
                               else "utf-8")
    if article.layout == AMP:
        _fill_amp(article, spec, seed)


def _nrm_embed(rng: random.Random) -> str:
    video = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(11))
    return (f'[nrm_embed]<iframe src="https://www.youtube.com/embed/{video}" width="560" height="315" '
            f'frameborder="0" allowfullscreen></iframe>[/nrm_embed]')


def _add_shortcode(rng: random.Random, article: Article, mode: str) -> None:
    blocks = article.blocks
    if mode in ("inline", "inline_first"):
        paragraphs = [b for b in blocks if b.kind == "p"]
        if paragraphs:
            block = rng.choice(paragraphs)
            block.shortcode, block.shortcode_first = _nrm_embed(rng), mode == "inline_first"
        return
    if mode == "caption":
        attachment = article.post_id + 2
        code = (f'[caption id="attachment_{attachment}" align="aligncenter" width="640"]<img class="size-large '
                f'wp-image-{attachment}" src="{ROOT}/wp-content/uploads/sites/tours/{article.slug[:12]}-2.jpg" '
                f'alt="" width="640" height="427"> {rng.choice(CAPTIONS)}[/caption]')
    else:
        code = _nrm_embed(rng)
    blocks.insert(rng.randint(1, max(1, len(blocks) - 1)), Block("shortcode", shortcode=code))


def _fill_amp(article: Article, spec: dict, seed: int) -> None:
    """What only the amp layout varies in, from the article's own "amp" stream."""
    rng = _rng(seed, article.index, "amp")
    article.json_ld = spec.get("json_ld", rng.random() < 0.5)
    article.ld_type = spec.get("ld_type") or rng.choice(["NewsArticle", "NewsArticle", "Article", "BlogPosting",
                                                          "graph"])
    article.ld_author = spec.get("ld_author") or ("publisher" if rng.random() < 0.3 else "byline")
    article.og_title = rng.random() < 0.6
    article.og_times = spec.get("og_times", rng.random() < 0.3)
    article.p_redirect = spec.get("p_redirect", rng.random() < 0.6)
    article.link_spelling = spec.get("link_spelling") or rng.choices(["canonical", "detail", "p"], [70, 15, 15])[0]
    article.sitemap_spelling = (spec.get("sitemap_spelling")
                                or rng.choices(["canonical", "slash", "detail"], [80, 10, 10])[0])
    earlier = rng.random() < 0.12
    if spec.get("modified") == "earlier" or (article.modified and earlier):
        moment = article.published - timedelta(seconds=rng.randint(3600, 3 * 86400))
        article.modified = moment - timedelta(hours=1) if moment.astimezone(PARIS).fold else moment
    if spec.get("ld_author") == "publisher" and (article.author is None or article.author.name == "tmv"):
        article.author = Term(*AUTHORS[1])
    shortcode = (spec.get("shortcode")
                 or rng.choices(["", "alone", "inline", "inline_first", "caption"], [70, 12, 7, 3, 8])[0])
    if shortcode:
        _add_shortcode(rng, article, shortcode)
    if article.image:   # newer uploads live under /wp-content/uploads/YYYY/MM/
        local = article.published.astimezone(PARIS)
        article.image.url = f"{ROOT}/wp-content/uploads/{local.year}/{local.month:02d}/{article.slug[:20]}.jpg"
    article.shape = dict(
        container=rng.choice(["article", "div"]), amp_attr=rng.choice(["⚡", "amp"]),
        byline=rng.choice(["one", "spans"]), author_link=rng.random() < 0.4, lead=rng.choice(["div", "p"]),
        figure=rng.choice(["figure", "div"]), caption_tag=rng.choice(["p", "span", "div"]),
        tags=rng.choice(["p", "ul", "div"]), cats=rng.choice(["p", "ul", "div"]),
        related=rng.choice(["h2", "h3", "div"]), related_list=rng.choice(["ul", "div"]),
        term_slash=rng.random() < 0.7, ld_utc=rng.random() < 0.3, crumbs=rng.random() < 0.5)
    # themes the readers must not rely on (a review's cases): the site's name as an h1, a reading
    # time after the author, related cards with bylines of their own, tags named without links
    article.shape.update(logo_h1=rng.random() < 0.25, reading_time=rng.random() < 0.3,
                         related_cards=rng.random() < 0.3, tags_plain=rng.random() < 0.2)


def seed_article(index: int) -> Article:
    """The real seed article (content.SEED), rendered exactly like the reference page."""
    qa = [Block("qa_br", text=q, answer=a, style="strong") for q, a in SEED["qa"]]
    return Article(
        index=index, slug=SEED["slug"], post_id=SEED_POST_ID, title=SEED["title"], layout=CURRENT,
        published=SEED_TIME, modified=datetime.fromisoformat(SEED["modified"]).astimezone(timezone.utc),
        author=Term(*SEED["author"]), lead=SEED["lead"], categories=[Term(*c) for c in SEED["categories"]],
        tag_links=[TagLink(name, slugify(name)) for name in SEED["tags"]],
        image=Image(url=ROOT + SEED["image"], caption=SEED["caption"], credit=SEED["credit"],
                    credit_form=SEED["credit_form"]),
        blocks=qa + [Block("closing", SEED["interviewer"])],
        related=[slug for slug, _ in SEED["related"]], json_ld=True, is_seed=True)


def generate_articles(n: int, seed: int, extra: int = 0,
                      layouts: tuple[str, ...] = (LEGACY, CURRENT)) -> list[Article]:
    """The n + extra articles of a site, oldest first (the extras are the newest)."""
    slot = SPAN // n
    seed_index, specs = _forced_specs(n, slot, AMP in layouts)
    articles = [seed_article(i) if i == seed_index else _skeleton(i, slot, seed, specs.get(i, {}), layouts)
                for i in range(n + extra)]
    _assign_slugs(articles)
    _assign_post_ids(articles, seed, seed_index)
    for article in articles:
        if not article.is_seed:
            older = articles[max(0, article.index - 15):article.index]
            _fill_content(article, specs.get(article.index, {}), seed, older)
    return articles


# --- step 3: modifications -------------------------------------------------------------------

def _modify(articles: list[Article], seed: int, count: int) -> None:
    """Give `count` articles a later modified_at and one changed paragraph.

    Only articles listed in the sitemaps change: their moved ``<lastmod>`` is the
    signal an incremental crawl follows (one absent from every sitemap can only
    be seen changed by a full walk)."""
    rng = _rng(seed, "modified")
    candidates = [a for a in articles if not a.is_seed and a.visibility != ONLY_ARCHIVES]
    chosen = sorted(rng.sample(candidates, min(count, len(candidates))), key=lambda a: a.index)
    for rank, article in enumerate(chosen):
        article.modified = MODIFIED_FROM + timedelta(minutes=37 * rank)
        note = UPDATE_NOTES[rank % len(UPDATE_NOTES)]
        block = next(b for b in reversed(article.blocks) if b.kind in ("p", "qa_br"))
        if block.kind == "p":
            block.text, block.deco = f"{note} {block.text}", PLAIN
        else:
            block.answer, block.answer_deco = f"{note} {block.answer}", PLAIN


# --- step 4: pages ---------------------------------------------------------------------------

def _html(text: str, charset: str = "utf-8", last_modified: datetime | None = None, status: int = 200) -> Page:
    return Page(status, "text/html", charset, text.encode(charset, errors="xmlcharrefreplace"), last_modified)


def _months(articles: list[Article]) -> list[tuple[int, int]]:
    """(year, month) of these articles, newest first."""
    return sorted({a.month for a in articles}, reverse=True)


def class_names(seed: int) -> dict[str, str]:
    """The amp layout's class names, one per role (render.AMP_ROLES), drawn anew per site seed:
    tokens like 'x7f3k-b' that no rule can know in advance."""
    rng = random.Random(f"{seed}:classes")
    letters, names = string.ascii_lowercase, {}
    for role in render.AMP_ROLES:
        token = ""
        while not token or token in names.values():
            token = (rng.choice(letters) + "".join(rng.choice(letters + string.digits) for _ in range(4))
                     + "-" + rng.choice(letters))
        names[role] = token
    return names


def detail_path(slug: str, encodings: int = 2) -> str:
    """'/detail-article/article%252F<slug>' (the path encoded twice) or, once, 'article%2F<slug>'."""
    return f"/detail-article/article%{'25' * (encodings - 1)}2F{slug}"


@dataclass
class _Www:
    """The www front-end's knobs, on when the site has the amp layout."""
    seed: int
    classes: dict[str, str]
    amp_aside: str

    def pager_style(self, base: str, choices: tuple[str, ...] = render.PAGER_STYLES) -> str:
        return _rng(self.seed, "pager", base).choice(choices)


def _link_href(a: Article, www: _Www | None) -> str:
    """How listings link an article: its canonical URL, or (amp, www) the spelling it was given."""
    if www is None or a.layout != AMP or a.link_spelling == "canonical":
        return a.url
    return ROOT + (detail_path(a.slug) if a.link_spelling == "detail" else f"/?p={a.post_id}")


class _Listings:
    """Adds the paginated listing pages (home, archives, tags, authors, categories)."""

    def __init__(self, pages: dict[str, Page], aside: str, entries: dict[str, str], www: _Www | None = None):
        self.pages, self.aside, self.entries, self.www = pages, aside, entries, www

    def add(self, base: str, title: str, articles: list[Article]) -> None:
        chunks = [articles[i:i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
        style = self.www.pager_style(base) if self.www else "wp"
        for number, chunk in enumerate(chunks, 1):
            path = base if number == 1 else f"{base}page/{number}/"
            page_title = title if number == 1 else f"{title} – Page {number}"
            if self.www:
                nav, extra = render.pager(style, base, number, len(chunks), self.www.classes)
            else:
                nav, extra = render.pagination(base, number, len(chunks)), ""
            html = render.listing_page(page_title, title, [self.entries[a.slug] for a in chunk], nav, self.aside,
                                       extra)
            self.pages[path] = _html(html)

    def add_www(self, base: str, title: str, articles: list[Article]) -> None:
        """A www category listing: /category/<slug>, then ?page=N; amp markup, no WordPress classes."""
        www = self.www
        chunks = [articles[i:i + PER_PAGE] for i in range(0, len(articles), PER_PAGE)] or [[]]
        style = www.pager_style(base + "?", ("rel", "text", "arrow"))
        for number, chunk in enumerate(chunks, 1):
            path = base if number == 1 else f"{base}?page={number}"
            page_title = title if number == 1 else f"{title} – Page {number}"
            nav, extra = render.pager(style, base, number, len(chunks), www.classes, query=True)
            entries = [render.amp_listing_entry(a, _link_href(a, www), www.classes) for a in chunk]
            self.pages[path] = _html(render.amp_listing_page(page_title, title, entries, nav, www.classes,
                                                             www.amp_aside, extra))


def _listing_pages(pages: dict[str, Page], articles: list[Article], aside: str, www: _Www | None = None) -> None:
    listed = [a for a in reversed(articles) if a.visibility != ONLY_SITEMAP]   # newest first
    by_month, by_tag, by_author, by_category = (defaultdict(list) for _ in range(4))
    for a in listed:
        by_month[a.month].append(a)
        for slug in dict.fromkeys(t.slug for t in a.tag_links):
            by_tag[slug].append(a)
        if a.author:
            by_author[a.author.slug].append(a)
        for category in a.categories:
            by_category[category.slug].append(a)
    entries = {a.slug: render.listing_entry(a, _link_href(a, www)) for a in listed}
    listings = _Listings(pages, aside, entries, www)
    listings.add("/", "tmv Tours", listed)
    for (year, month), in_month in by_month.items():
        listings.add(f"/article/{year}/{month:02d}/", f"Archives : {MONTHS_FR[month - 1]} {year}", in_month)
    for tag in _tag_terms(articles):
        listings.add(f"/article/tag/{tag.slug}/", f"Tag : {tag.name}", by_tag[tag.slug])
    for author in sorted({a.author for a in articles if a.author}, key=lambda term: term.slug):
        listings.add(f"/article/author/{author.slug}/", f"Auteur : {author.name}", by_author[author.slug])
    for name, slug in CATEGORIES:
        listings.add(f"/category/{slug}/", name, by_category[slug])
        if www:
            listings.add_www(f"/category/{slug}", name, by_category[slug])
    search = render.listing_page("Recherche", "Recherche", [listings.entries[a.slug] for a in listed[:3]],
                                 render.pagination("/recherche/", 1, 1), aside)
    pages["/recherche/"] = _html(search)


def _tag_terms(articles: list[Article]) -> list[Term]:
    """Every tag used, under its canonical spelling, in the order of the tag cloud."""
    canonical = {slugify(name): name for name in TAGS}
    used = {}
    for article in articles:
        for link in article.tag_links:
            used.setdefault(link.slug, canonical.get(link.slug) or link.text.strip())
    return sorted((Term(name, slug) for slug, name in used.items()), key=lambda t: t.name)


def _sitemap_loc(a: Article, www: _Www | None) -> str:
    if www is None or a.layout != AMP or a.sitemap_spelling == "canonical":
        return a.url
    return ROOT + (f"/article/{a.slug}/" if a.sitemap_spelling == "slash" else detail_path(a.slug))


def _sitemap_pages(pages: dict[str, Page], articles: list[Article], style: str = "index",
                   www: _Www | None = None) -> None:
    """index: /sitemap_index.xml -> /post-sitemapN.xml; robots: /sitemap.xml (lastmods) -> the same;
    unnamed: /wp-sitemap.xml -> /wp-sitemap-posts-post-N.xml; none: no sitemap."""
    if style == "none":
        return
    mapped = [a for a in articles if a.visibility != ONLY_ARCHIVES]
    children = []
    for start in range(0, len(mapped), PER_SITEMAP):
        chunk = mapped[start:start + PER_SITEMAP]
        number = len(children) + 1
        path = f"/wp-sitemap-posts-post-{number}.xml" if style == "unnamed" else f"/post-sitemap{number}.xml"
        newest = max(a.last_change for a in chunk)
        children.append((path, newest))
        body = render.sitemap_at([(_sitemap_loc(a, www), a.last_change) for a in chunk])
        pages[path] = Page(200, "application/xml", "utf-8", body.encode(), newest)
    newest = max((a.last_change for a in mapped), default=None)
    if style == "robots":
        pages["/sitemap.xml"] = Page(200, "application/xml", "utf-8",
                                     render.dated_sitemap_index(children).encode(), newest)
    else:
        index = render.sitemap_index([path for path, _ in children]).encode()
        pages["/wp-sitemap.xml" if style == "unnamed" else "/sitemap_index.xml"] = Page(
            200, "application/xml", "utf-8", index, newest)


def _truth(articles: list[Article], pages: dict[str, Page], aliases: dict[str, str] | None = None,
           sitemaps: str = "index", without: frozenset[str] = frozenset()) -> dict:
    linked = {href.removeprefix(ROOT).split("#")[0].split("?")[0] for a in articles for href in a.links()}
    disallowed = [render.SEARCH_PATH] + [f"{a.path}?replytocom=1" for a in articles if a.layout == LEGACY]
    return {
        "only_sitemap": [a.slug for a in articles if a.visibility == ONLY_SITEMAP],
        "only_archives": [a.slug for a in articles if a.visibility == ONLY_ARCHIVES],
        "articles": [a.slug for a in articles],
        "layouts": {a.slug: a.layout for a in articles},
        "dead_links": sorted(path for path in linked if path not in pages),
        "flaky": [a.path for a in articles if a.flaky],
        "disallowed": disallowed,
        "aliases": dict(aliases or {}),
        "post_ids": {a.slug: a.post_id for a in articles},
        "sitemaps": sitemaps,
        "without": sorted(without),
    }


def _redirect(location: str) -> Page:
    body = f'<html><body><a href="{location}">Moved Permanently</a></body></html>'
    return Page(301, "text/html", "utf-8", body.encode(), location=location)


def _aliases(pages: dict[str, Page], article: Article, page: Page, aliases: dict[str, str]) -> None:
    """The www spellings of an article: for amp, /article/<slug>/ (301), /detail-article/… (200, the
    page itself) and /?p=N (301 or 200); for the WordPress layouts /?p=N (301)."""
    canonical = article.path
    if article.layout == AMP:
        spellings = {f"/article/{article.slug}/": _redirect(article.url),
                     detail_path(article.slug, 2): page, detail_path(article.slug, 1): page,
                     f"/?p={article.post_id}": _redirect(article.url) if article.p_redirect else page}
    else:
        spellings = {f"/?p={article.post_id}": _redirect(article.url)}
    for path, alias_page in spellings.items():
        pages[path] = alias_page
        aliases[path] = canonical


def _card_byline(a: Article, dates: bool) -> str:
    """An article's byline as a related card shows it ("Publié le … Par …"), what the page allows."""
    parts = [f"Publié le {render.current_date(a.published)}"] if dates else []
    if a.author:
        parts.append(f"Par {render.escape(a.author.name)}")
    return " ".join(parts)


def assemble(articles: list[Article], *, seed: int = 1, www: bool = False, sitemaps: str = "index",
             without: frozenset[str] = frozenset()) -> Site:
    """Render every page of a site made of these articles (oldest first); `www`: the www front-end's
    URL shapes and listings too (on when the site has the amp layout)."""
    listed = [a for a in reversed(articles) if a.visibility != ONLY_SITEMAP]
    aside = render.sidebar(listed[:5], _tag_terms(articles), _months(listed))
    titles = {a.slug: a.title for a in articles}
    classes = class_names(seed) if www or any(a.layout == AMP for a in articles) else {}
    amp_aside = render.amp_sidebar(listed[:5], classes, _months(listed), "dates" not in without) if classes else ""
    context = render.Context(titles, aside, {a.slug: a.url for a in articles}, classes, amp_aside,
                             dates="dates" not in without, bylines={a.slug: _card_byline(a, "dates" not in without)
                                                                    for a in articles})
    not_found = _html(render.not_found_page(aside), status=404)
    pages: dict[str, Page] = {}
    aliases: dict[str, str] = {}
    for article in articles:
        page = _html(render.article_page(article, context), article.charset, article.last_change)
        if "articles" in without:
            page = not_found
        pages[article.path] = page
        if article.layout == CURRENT:
            pages[article.path + "amp/"] = page
        if www:
            _aliases(pages, article, page, aliases)
    knobs = _Www(seed, classes, amp_aside) if www else None
    _listing_pages(pages, articles, aside, knobs)
    _sitemap_pages(pages, articles, sitemaps, knobs)
    pages["/feed/"] = Page(200, "application/rss+xml", "utf-8", render.feed(listed[:PER_PAGE]).encode(),
                           max((a.published for a in listed), default=None))
    pages["/robots.txt"] = Page(200, "text/plain", "utf-8", render.robots(sitemaps).encode())
    pages["/wp-admin/"] = _html(render.WP_ADMIN)
    nothing = {"articles", "dates"} & without
    urls = {a.slug: a.url for a in articles}
    expected = [] if nothing else [expected_item(a, urls) for a in articles]
    return Site(pages=pages, expected=expected, truth=_truth(articles, pages, aliases, sitemaps, without),
                articles=articles, not_found=not_found)
