"""The model's articles of a site, oldest first (`generate_articles`):

1. a skeleton per article (`_skeleton`): date, layout (`_layout`: legacy before 2014-09, current
   after; with "amp" in `layouts`, a third of the unforced ones amp), title, where it is listed;
   articles are spread over 2013-01 .. 2016-07, one per time slot, so index order
   is chronological; slugs and post ids follow;
2. content per article (article_content.py): byline, lead, image, tags, body, related; amp pages
   also get what only they vary in, from their own "amp" stream, so legacy/current articles stay
   as they were;
3. `modify_articles` (build_site's `modified=m`) rewrites m articles.

Some indices are forced so that every site of >= 50 articles shows every variation
of the live site: see `_forced_specs` and `PROFILES`.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from .article_content import fill_content
from .content import SEED, TITLE_PREDICATES, TITLE_PREFIXES, TITLE_SUBJECTS, UPDATE_NOTES
from .model import (
    AMP,
    CURRENT,
    EVERYWHERE,
    LEGACY,
    ONLY_ARCHIVES,
    ONLY_SITEMAP,
    PARIS,
    PLAIN,
    ROOT,
    Article,
    Block,
    Image,
    TagLink,
    Term,
    random_stream,
    slugify,
)
from .themes import THEMES, dress

# --- the calendar -------------------------------------------------------------------------
# Instants are kept in UTC: adding a timedelta to a Paris datetime would count wall-clock
# time and could land in the hour that does not exist when summer time starts.


def _paris(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=PARIS).astimezone(UTC)


START = _paris(2013, 1, 1)
END = _paris(2016, 7, 1)
SPAN = int((END - START).total_seconds())
LEGACY_UNTIL = _paris(2014, 9, 1)  # older articles use the legacy theme
MODIFIED_FROM = _paris(2017, 1, 10, 9, 0)  # when build_site(modified=m) edits
SEED_TIME = datetime.fromisoformat(SEED["published"]).astimezone(UTC)
SEED_POST_ID = SEED["post_id"]
# 2014-10-26 02:30 happens twice in Paris; this is the first (+02:00), shown without JSON-LD.
DST_TIME = datetime(2014, 10, 26, 0, 30, tzinfo=UTC)
FIRST_OF_MONTH_TIME = _paris(2014, 3, 1, 8, 5, 37)  # legacy "1er mars 2014 à 8h05"
CP1252_TIME = _paris(2013, 11, 20, 18, 42, 9)  # legacy page in windows-1252
# 2015-10-25 02:30 happens twice too: the first (+02:00), on an amp page without JSON-LD.
AMP_DST_TIME = datetime(2015, 10, 25, 0, 30, tzinfo=UTC)


# --- variations forced on chosen indices ----------------------------------------------------

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


# --- skeletons ----------------------------------------------------------------------------


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
    for moment, extra in (
        (CP1252_TIME, {"charset": "windows-1252"}),
        (FIRST_OF_MONTH_TIME, {}),
        (DST_TIME, {"json_ld": False}),
    ):
        index = _slot_of(moment, slot)
        if 0 <= index < n:
            specs.setdefault(index, {}).update(time=moment, **extra)
    # the seed's related articles: the nearest older indices, else the nearest newer ones
    near_seed = sorted((i for i in range(n) if i != seed_index), key=lambda i: (i > seed_index, abs(i - seed_index)))
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
        if moved is not None:  # to the nearest free index on the same side of LEGACY_UNTIL
            side = _slot_of(LEGACY_UNTIL, slot)
            spots = sorted(
                (i for i in range(n) if free(i) and i != dst and (i >= side) == (dst >= side)),
                key=lambda i: abs(i - dst),
            )
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
    any period are amp; forced articles keep the layout of their date unless the spec names one.
    With themes (themes.THEMES), each takes its share of the articles no spec puts in amp, drawn
    from a stream of their own (a site without them is as before); alone, they take them all."""
    by_date = LEGACY if published < LEGACY_UNTIL else CURRENT
    layout = spec.get("layout")
    themes = [name for name in layouts if name in THEMES]
    if themes and layout is None:
        draw = random_stream(seed, index, "theme").random()
        if draw < len(themes) / len(layouts):
            return themes[int(draw * len(layouts))]
    if layout is None:
        amp = AMP in layouts and not spec and random_stream(seed, index, "layout").random() < 1 / 3
        layout = AMP if amp else by_date
    if layout not in layouts:
        layout = next(lay for lay in (by_date, CURRENT, LEGACY, AMP, *themes) if lay in layouts)
    return layout


def _skeleton(index: int, slot: int, seed: int, spec: dict, layouts: tuple[str, ...] = (LEGACY, CURRENT)) -> Article:
    """Date, layout, title and listing of one (non-seed) article; slug and post id come later."""
    rng = random_stream(seed, index, "skeleton")
    published = _publication_time(index, slot, rng, spec)
    trap = rng.random()
    visibility = ONLY_SITEMAP if trap < 0.03 else ONLY_ARCHIVES if trap < 0.06 else EVERYWHERE
    flaky = rng.random() < 0.01
    title = spec.get("title") or _title(rng)
    return Article(
        index=index,
        slug=spec.get("slug", ""),
        post_id=0,
        title=title,
        layout=_layout(index, seed, spec, published, layouts),
        published=published,
        visibility=spec.get("visibility", visibility),
        flaky=spec.get("flaky", flaky),
    )


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
    rng = random_stream(seed, "post-ids")
    widest = min(40, (SEED_POST_ID - 1000 - 1) // max(seed_index, 1))  # step that still fits below the seed
    post_id = 1000 if widest >= 1 else SEED_POST_ID - seed_index - 1
    for article in articles:
        if article.index == seed_index:
            post_id = SEED_POST_ID
        elif article.index > seed_index:
            post_id += rng.randint(2, 40)
        elif article.index > 0:
            post_id += rng.randint(1, max(1, widest))
        article.post_id = post_id


def seed_article(index: int) -> Article:
    """The real seed article (content.SEED), rendered exactly like the reference page."""
    qa = [Block("qa_br", text=q, answer=a, style="strong") for q, a in SEED["qa"]]
    return Article(
        index=index,
        slug=SEED["slug"],
        post_id=SEED_POST_ID,
        title=SEED["title"],
        layout=CURRENT,
        published=SEED_TIME,
        modified=datetime.fromisoformat(SEED["modified"]).astimezone(UTC),
        author=Term(*SEED["author"]),
        lead=SEED["lead"],
        categories=[Term(*c) for c in SEED["categories"]],
        tag_links=[TagLink(name, slugify(name)) for name in SEED["tags"]],
        image=Image(
            url=ROOT + SEED["image"], caption=SEED["caption"], credit=SEED["credit"], credit_form=SEED["credit_form"]
        ),
        blocks=qa + [Block("closing", SEED["interviewer"])],
        related=[slug for slug, _ in SEED["related"]],
        json_ld=True,
        is_seed=True,
    )


def generate_articles(n: int, seed: int, extra: int = 0, layouts: tuple[str, ...] = (LEGACY, CURRENT)) -> list[Article]:
    """The n + extra articles of a site, oldest first (the extras are the newest)."""
    slot = SPAN // n
    seed_index, specs = _forced_specs(n, slot, AMP in layouts)
    articles = [
        seed_article(i) if i == seed_index else _skeleton(i, slot, seed, specs.get(i, {}), layouts)
        for i in range(n + extra)
    ]
    _assign_slugs(articles)
    _assign_post_ids(articles, seed, seed_index)
    themes_only = not set(layouts) - set(THEMES)
    for article in articles:
        if not article.is_seed:
            older = articles[max(0, article.index - 15) : article.index]
            fill_content(article, specs.get(article.index, {}), seed, older)
        elif themes_only:  # a site held out in its themes: the seed article too
            article.layout = layouts[0]
        if article.layout in THEMES:
            dress(article, seed)
    return articles


# --- modifications -------------------------------------------------------------------------


def modify_articles(articles: list[Article], seed: int, count: int) -> None:
    """Give `count` articles a later modified_at and one changed paragraph.

    Only articles listed in the sitemaps change: their moved ``<lastmod>`` is the
    signal an incremental crawl follows (one absent from every sitemap can only
    be seen changed by a full walk)."""
    rng = random_stream(seed, "modified")
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
