"""What each article says, drawn from its own random stream (`fill_content`): byline,
modification, lead, categories, tags, image, body (interviews, headings, dressed text, ads),
related articles and in-body links; for amp pages also what only they vary in (`_fill_amp`:
JSON-LD kind, shortcodes, URL spellings, markup shape).  The words come from content.py."""

from __future__ import annotations

import random
import string
from dataclasses import replace
from datetime import datetime, timedelta

from .content import (
    AUTHORS,
    CAPTIONS,
    CATEGORIES,
    CREDIT_FORMS,
    FEATURE_SENTENCES,
    HEADINGS,
    INTERVIEWERS,
    PHOTO_CREDITS,
    QUESTION_HEADINGS,
    QUESTIONS,
    SENTENCES,
    TAGS,
)
from .model import (
    AMP,
    LEGACY,
    ONLY_SITEMAP,
    PARIS,
    ROOT,
    Article,
    Block,
    Deco,
    Image,
    TagLink,
    Term,
    random_stream,
    slugify,
)


def _sentences(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _eligible_words(text: str) -> list[int]:
    """Indices of words fit for <em> or a link: letters only, not too short."""
    return [i for i, word in enumerate(text.split(" ")) if len(word) >= 4 and word.isalpha()]


def _deco(rng: random.Random, text: str, everything: bool = False) -> Deco:
    """How a paragraph is dressed in HTML (text-preserving); `everything` turns every trick on."""
    words = _eligible_words(text)
    if everything:
        return Deco(
            entities=True,
            nbsp=True,
            narrow_nbsp=True,
            linebreak=True,
            em_word=words[len(words) // 2] if words else None,
        )
    em_word = rng.choice(words) if words and rng.random() < 0.2 else None
    return Deco(
        entities=rng.random() < 0.25,
        nbsp=rng.random() < 0.3,
        narrow_nbsp=rng.random() < 0.15,
        linebreak=rng.random() < 0.2,
        em_word=em_word,
    )


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


def fill_content(article: Article, spec: dict, seed: int, older: list[Article]) -> None:
    """Everything but the skeleton, drawn from the article's own random stream; related
    articles and in-body links point at the `older` ones (the 15 before it)."""
    rng = random_stream(seed, article.index, "content")
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
        suffix = {
            "fbclid": f"?fbclid=IwAR{rng.getrandbits(64):016x}",
            "utm": "?utm_source=facebook&utm_medium=social",
            "respond": "#respond",
        }[tracking]
        _add_link(rng, article.blocks, target + suffix)
    article.json_ld = spec.get("json_ld", rng.random() < 0.8)
    article.og_times = spec.get("og_times", rng.random() < 0.5)
    article.charset = spec.get(
        "charset", "windows-1252" if article.layout == LEGACY and rng.random() < 0.05 else "utf-8"
    )
    if article.layout == AMP:
        _fill_amp(article, spec, seed)


# --- amp pages -------------------------------------------------------------------------------


def _nrm_embed(rng: random.Random) -> str:
    video = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(11))
    return (
        f'[nrm_embed]<iframe src="https://www.youtube.com/embed/{video}" width="560" height="315" '
        f'frameborder="0" allowfullscreen></iframe>[/nrm_embed]'
    )


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
        code = (
            f'[caption id="attachment_{attachment}" align="aligncenter" width="640"]<img class="size-large '
            f'wp-image-{attachment}" src="{ROOT}/wp-content/uploads/sites/tours/{article.slug[:12]}-2.jpg" '
            f'alt="" width="640" height="427"> {rng.choice(CAPTIONS)}[/caption]'
        )
    else:
        code = _nrm_embed(rng)
    blocks.insert(rng.randint(1, max(1, len(blocks) - 1)), Block("shortcode", shortcode=code))


def _ld_dates(draw: float) -> str:
    """How the JSON-LD writes its dates: mostly as www does, Paris time labelled UTC (one draw,
    as when it was a yes/no: the other choices of the page stay as they were)."""
    return "utc" if draw < 0.15 else "paris" if draw < 0.3 else "ampize"


def _fill_amp(article: Article, spec: dict, seed: int) -> None:
    """What only the amp layout varies in, from the article's own "amp" stream."""
    rng = random_stream(seed, article.index, "amp")
    article.json_ld = spec.get("json_ld", rng.random() < 0.5)
    article.ld_type = spec.get("ld_type") or rng.choice(
        ["NewsArticle", "NewsArticle", "Article", "BlogPosting", "graph"]
    )
    article.ld_author = spec.get("ld_author") or ("publisher" if rng.random() < 0.3 else "byline")
    article.og_title = rng.random() < 0.6
    article.og_times = spec.get("og_times", rng.random() < 0.3)
    article.p_redirect = spec.get("p_redirect", rng.random() < 0.6)
    article.link_spelling = spec.get("link_spelling") or rng.choices(["canonical", "detail", "p"], [70, 15, 15])[0]
    article.sitemap_spelling = (
        spec.get("sitemap_spelling") or rng.choices(["canonical", "slash", "detail"], [80, 10, 10])[0]
    )
    earlier = rng.random() < 0.12
    if spec.get("modified") == "earlier" or (article.modified and earlier):
        moment = article.published - timedelta(seconds=rng.randint(3600, 3 * 86400))
        article.modified = moment - timedelta(hours=1) if moment.astimezone(PARIS).fold else moment
    if spec.get("ld_author") == "publisher" and (article.author is None or article.author.name == "tmv"):
        article.author = Term(*AUTHORS[1])
    shortcode = (
        spec.get("shortcode") or rng.choices(["", "alone", "inline", "inline_first", "caption"], [70, 12, 7, 3, 8])[0]
    )
    if shortcode:
        _add_shortcode(rng, article, shortcode)
    if article.image:  # newer uploads live under /wp-content/uploads/YYYY/MM/
        local = article.published.astimezone(PARIS)
        article.image.url = f"{ROOT}/wp-content/uploads/{local.year}/{local.month:02d}/{article.slug[:20]}.jpg"
    article.shape = dict(
        container=rng.choice(["article", "div"]),
        amp_attr=rng.choice(["⚡", "amp"]),
        byline=rng.choice(["one", "spans"]),
        author_link=rng.random() < 0.4,
        lead=rng.choice(["div", "p"]),
        figure=rng.choice(["figure", "div"]),
        caption_tag=rng.choice(["p", "span", "div"]),
        tags=rng.choice(["p", "ul", "div"]),
        cats=rng.choice(["p", "ul", "div"]),
        related=rng.choice(["h2", "h3", "div"]),
        related_list=rng.choice(["ul", "div"]),
        term_slash=rng.random() < 0.7,
        ld_dates=_ld_dates(rng.random()),
        crumbs=rng.random() < 0.5,
    )
    # themes the readers must not rely on (a review's cases): the site's name as an h1, a reading
    # time after the author, related cards with bylines of their own, tags named without links
    article.shape.update(
        logo_h1=rng.random() < 0.25,
        reading_time=rng.random() < 0.3,
        related_cards=rng.random() < 0.3,
        tags_plain=rng.random() < 0.2,
    )
