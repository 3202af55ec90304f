"""What an article's text holds that is no text, told by its words and marks whatever the theme:
the labels of its tags and categories ("Tags :", "Dans <a>…"), cross-links ("À lire aussi :"),
``#tag`` chips, embeds (tweets, Instagram posts), file names.

Plain tests on strings and elements; blocks.py and labels.py decide where they apply.
"""

from __future__ import annotations

import re

TAGS = r"(?:tags?|tagged(?: with)?|mots[- ]cl[ée]s|[ée]tiquettes?|sujets?|th[èe]mes?)"
CATEGORIES = (
    r"(?:cat[ée]gories?|categorized as|cat[ée]goris[ée]e? dans|rubriques?|dans|class[ée]e? dans|"
    r"publi[ée]e? dans|filed under|posted in)"
)
# a label with its colon: "Tags :", "Catégories : Culture"
COLON_LABEL = re.compile(rf"^\s*(?:{TAGS}|{CATEGORIES})\b\s*:", re.IGNORECASE)
# a label alone in its text, then links only: "Tagged <a>…", "Dans <a>Culture</a>"
LABEL = re.compile(rf"^\s*(?:{TAGS}|{CATEGORIES})\b\s*:?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;·•|/]*")
# the titles of a related block, which open a cross-link in the text too ("À lire aussi : <a>…</a>")
RELATED = (
    r"(?:vous aimerez aussi|(?:[àa] )?lire (?:aussi|également)|voir aussi|sur le m[êe]me sujet|"
    r"dans la m[êe]me rubrique)"
)
RELATED_WORDS = (
    "vous aimerez aussi",
    "à lire",
    "a lire",
    "lire aussi",
    "lire également",
    "voir aussi",
    "sur le m",
    "dans la m",
)
# the embed codes of the social networks and WordPress's embed block: their own class on the
# quoted post or its box (its text is the embed's fallback)
EMBED_CLASSES = frozenset(
    {
        "twitter-tweet",
        "twitter-video",
        "instagram-media",
        "tiktok-embed",
        "bluesky-embed",
        "reddit-embed-bq",
        "fb-post",
        "wp-block-embed",
        "embed-container",
    }
)
_FILE_NAME = re.compile(r"^[\w.()-]+\.(?:jpe?g|png|gif|webp|avif|svg|tiff?|bmp|heic)$", re.IGNORECASE)


def names_links_only(text_outside_links: str) -> bool:
    """A label's element holding links and nothing else but separators: "Dans <a>Culture</a>",
    not "Dans <a>son livre</a>, l'auteur raconte …" (*text_outside_links*: the text no link holds)."""
    return _SEPARATORS.fullmatch(LABEL.sub("", text_outside_links, count=1)) is not None


def is_list_label(opening: str, text_outside_links) -> bool:
    """An element opening with a label ("Tags :" and its like, or a label without colon before
    links only), or holding ``#tag`` chips only: a list of tags or categories.
    *text_outside_links*: a function giving the text no link holds."""
    if not (found := LABEL.match(opening)) and not opening.lstrip().startswith("#"):
        return False  # most paragraphs: one look
    if found and COLON_LABEL.match(opening):
        return True
    if not found:  # #tag chips: links only, each a hashtag
        return HASHTAG.fullmatch(opening.strip()) is not None and names_links_only(text_outside_links())
    return LABEL.fullmatch(opening) is not None and names_links_only(text_outside_links())


HASHTAG = re.compile(r"#(\w[\w'’-]*)")


def is_file_name(text: str) -> bool:
    """ "IMG_2024.jpg", "chalets-1024x768.png": a picture's file name, no reader's text."""
    return _FILE_NAME.match(text) is not None
