"""Fault mode of the mirror: the answers a robust crawler must survive.

    faults = plan_faults(site, seed=1, sitemaps=True)     # {path: Fault}, reproducible
    with MirrorServer(site, faults=faults) as server:
        server.faults["/article/x/"] = Fault("status", times=1, status=502)   # changeable while running
    fault_truth(site, faults)   # {"exported": [...], "lost": [...], "unreachable": [...]} article paths

A fault applies to the requests for its path (query string ignored): the first `times`
of them (0: all of them), then the path answers normally.  `reply()` says what to send;
the server does the sending (see server.py).  One function per kind, in `RESPONSES`.
On an API path of a site with an API (`/wp-json/…`), a 401 or 403 `status` fault is WordPress's
JSON `rest_cannot_access` (a security plugin closing the API) and a 500 its `internal_server_error`.
"""

from __future__ import annotations

import functools
import random
import re
import zlib
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs

from .api import error
from .content import SEED
from .model import ROOT
from .site import Page, Site

KINDS = (
    "status",
    "reset",
    "stall",
    "truncated",
    "gzip_bomb",
    "entity_bomb",
    "not_xml",
    "redirect_loop",
    "offsite_redirect",
    "huge",
    "mislabeled_encoding",
    "malformed",
    "empty",
    "endless_pagination",
)
STATUSES = (500, 502, 503, 504, 429)
STALL_SECONDS = 30  # a stalled request waits this long (or until server.stop())
TRUNCATED_BY = 1000  # a truncated body is this many bytes shorter than its Content-Length
BOMB_SIZE = 64 * 1024 * 1024  # zeros behind the gzip bomb (~64 KB compressed)
HUGE_SIZE = 3 * 1024 * 1024  # a huge page is padded to about this size
OFFSITE = "http://offsite.invalid"
SEED_PATH = f"/article/{SEED['slug']}/"
TRANSIENT = 2  # plan_faults: a transient fault fails this many times, then the page comes


@dataclass(frozen=True)
class Fault:
    kind: str  # one of KINDS
    times: int = 0  # serve the fault this many times for the path, then normally; 0 = always
    status: int | None = None  # for kind "status"
    retry_after: str | None = None  # Retry-After header of a "status" fault

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if (self.kind == "status") != (self.status is not None):
            raise ValueError("a status (and only a status fault) needs a status code")
        if self.times < 0:
            raise ValueError("times must not be negative")

    def describe(self) -> str:
        """'status 503 (Retry-After: 1), 2 times', 'reset, always' …"""
        text = self.kind if self.status is None else f"status {self.status}"
        if self.retry_after is not None:
            text += f" (Retry-After: {self.retry_after})"
        return text + (f", {self.times} times" if self.times else ", always")


@dataclass
class Reply:
    """What to send for a fault.  `page`: status, Content-Type and body (the live ROOT in the
    body and in `headers` values becomes the server's root).  `extra_length`: Content-Length
    claims that many more bytes than sent, then the connection closes.  `action` "reset" or
    "stall": nothing is sent at all."""

    page: Page | None = None
    headers: dict[str, str] = field(default_factory=dict)
    extra_length: int = 0
    action: str | None = None


# --- which fault applies ----------------------------------------------------------------------

_PAGED = re.compile(r"(?P<base>/(?:.+/)?)page/(?P<number>\d+)/")


def _paged(path: str) -> tuple[str, int]:
    """'/page/7/' -> ('/', 7); '/category/x/page/2/' -> ('/category/x/', 2); '/' -> ('/', 1)."""
    match = _PAGED.fullmatch(path)
    return (match["base"], int(match["number"])) if match else (path, 1)


def _last_page(site: Site, base: str) -> int:
    return max((number for b, number in map(_paged, site.pages) if b == base), default=1)


def find_fault(faults: dict[str, Fault], site: Site, path: str) -> Fault | None:
    """The fault of *path*, or the endless pagination that continues a listing past its last page."""
    fault = faults.get(path)
    if fault is not None or path in site.pages:
        return fault
    base, number = _paged(path)
    for key, candidate in list(faults.items()):  # list(): the dict may change meanwhile
        if candidate.kind == "endless_pagination" and _paged(key)[0] == base and _paged(key)[1] < number:
            return candidate
    return None


# --- one function per kind: (fault, site, path, query) -> Reply ----------------------------------


def _small_html(status: int, text: str) -> Page:
    return Page(status, "text/html", "utf-8", f"<html><body><p>{text}</p></body></html>".encode())


def _real(site: Site, path: str) -> Page:
    """The page the path normally serves (as a 200)."""
    page = site.pages.get(path) or site.not_found or _small_html(200, "")
    return replace(page, status=200)


# what WordPress itself answers on an API path: a security plugin closing the API, a PHP fatal error
# (other statuses come from a proxy in front of it: HTML)
API_ERRORS = {
    401: ("rest_cannot_access", "Seuls les utilisateurs authentifiés peuvent accéder à l’API REST."),
    403: ("rest_cannot_access", "Seuls les utilisateurs authentifiés peuvent accéder à l’API REST."),
    500: ("internal_server_error", "<p>Il y a eu une erreur critique sur ce site.</p>"),
}


def _status(fault: Fault, site: Site, path: str, query: str) -> Reply:
    headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
    api_path = path.startswith("/wp-json") or "rest_route=" in query
    if api_path and site.api is not None and fault.status in API_ERRORS:
        answer = error(fault.status, *API_ERRORS[fault.status])
        return Reply(answer.page(ROOT), {**answer.headers, **headers})
    return Reply(_small_html(fault.status, f"Erreur {fault.status}, réessayez plus tard."), headers)


def _reset(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(action="reset")


def _stall(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(action="stall")


def _truncated(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(_real(site, path), extra_length=TRUNCATED_BY)


@functools.cache
def gzip_bomb() -> bytes:
    """gzip of BOMB_SIZE zeros, built once (about half a second)."""
    packer, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(BOMB_SIZE >> 20)) + packer.flush()


def _gzip_bomb(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(Page(200, "text/html", "utf-8", gzip_bomb()), {"Content-Encoding": "gzip"})


def _billion_laughs(levels: int = 10, width: int = 10) -> bytes:
    """Nested entities: &lol9; expands to 10**9 'lol's."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * width}">' for i in range(1, levels)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE urlset [\n ' + "\n ".join(entities) + "\n]>\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{ROOT}/&lol{levels - 1};</loc></url></urlset>\n"
    ).encode()


ENTITY_BOMB = _billion_laughs()
NOT_XML = (
    b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>\n"
    b"<h1>Site en maintenance</h1><p>Revenez plus tard&nbsp;!<br>\n<p>Merci & \xe0 bient\xf4t\n"
)


def _entity_bomb(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(Page(200, "application/xml", "utf-8", ENTITY_BOMB))


def _not_xml(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(Page(200, "application/xml", "utf-8", NOT_XML))


def _redirect_loop(fault: Fault, site: Site, path: str, query: str) -> Reply:
    try:
        number = int(parse_qs(query).get("loop", ["0"])[0])
    except ValueError:
        number = 0
    return Reply(_small_html(302, "Redirection"), {"Location": f"{ROOT}{path}?loop={number + 1}"})


def _offsite_redirect(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(_small_html(301, "Redirection"), {"Location": OFFSITE + path})


_BODY_OPENINGS = (b'<div class="article-body">\n', b'<div class="entry-content">\n')
_FILLER = b"<p>Paragraphe de remplissage : la page grossit encore et encore sans rien dire de neuf.</p>\n"


def _huge(fault: Fault, site: Site, path: str, query: str) -> Reply:
    page = _real(site, path)
    opening = next((o for o in _BODY_OPENINGS if o in page.body), b"")
    before, _, after = page.body.partition(opening) if opening else (page.body, b"", b"")
    count = max(0, HUGE_SIZE - len(page.body)) // len(_FILLER) + 1
    return Reply(replace(page, body=before + opening + _FILLER * count + after))


def _mislabeled_encoding(fault: Fault, site: Site, path: str, query: str) -> Reply:
    page = _real(site, path)
    body = page.body
    if page.charset.lower() != "windows-1252":
        text = body.decode(page.charset).replace('<meta charset="UTF-8">', '<meta charset="windows-1252">', 1)
        body = text.encode("windows-1252", errors="xmlcharrefreplace")
    return Reply(replace(page, charset="utf-8", body=body))


def _malformed(fault: Fault, site: Site, path: str, query: str) -> Reply:
    page = _real(site, path)
    body = page.body
    for tag in (b"</p>", b"</li>", b"</body>", b"</html>"):
        body = body.replace(tag, b"")
    return Reply(replace(page, body=body))


def _empty(fault: Fault, site: Site, path: str, query: str) -> Reply:
    return Reply(Page(200, "text/html", "utf-8", b""))


def _endless_pagination(fault: Fault, site: Site, path: str, query: str) -> Reply:
    """The last real page of the listing, with a next link to the page after the one asked for."""
    base, number = _paged(path)
    last = _last_page(site, base)
    page = _real(site, base if last == 1 else f"{base}page/{last}/")
    link = f'<a class="next page-numbers" href="{ROOT}{base}page/{number + 1}/">Suivant &raquo;</a>'.encode()
    # in the WordPress pagination, else (the www listings) at the end of the main content
    anchor = b"</div></nav>" if b"</div></nav>" in page.body else b"</main>"
    return Reply(replace(page, body=page.body.replace(anchor, link + anchor, 1)))


RESPONSES = {
    "status": _status,
    "reset": _reset,
    "stall": _stall,
    "truncated": _truncated,
    "gzip_bomb": _gzip_bomb,
    "entity_bomb": _entity_bomb,
    "not_xml": _not_xml,
    "redirect_loop": _redirect_loop,
    "offsite_redirect": _offsite_redirect,
    "huge": _huge,
    "mislabeled_encoding": _mislabeled_encoding,
    "malformed": _malformed,
    "empty": _empty,
    "endless_pagination": _endless_pagination,
}


def reply(fault: Fault, site: Site, path: str, query: str = "") -> Reply:
    return RESPONSES[fault.kind](fault, site, path, query)


# --- the plan and what a correct crawl ends with --------------------------------------------

ARTICLE_FAULTS = (
    *(Fault("status", TRANSIENT, code, "1" if code in (503, 429) else None) for code in STATUSES),
    Fault("status", 0, 500),
    Fault("reset", TRANSIENT),
    Fault("reset", 0),
    Fault("stall", TRANSIENT),
    Fault("truncated", TRANSIENT),
    Fault("gzip_bomb"),
    Fault("redirect_loop"),
    Fault("offsite_redirect"),
    Fault("huge"),
    Fault("malformed"),
    Fault("empty"),
)
SITEMAP_FAULTS = {"/post-sitemap1.xml": Fault("entity_bomb"), "/post-sitemap2.xml": Fault("not_xml")}


def article_paths(site: Site) -> list[str]:
    """Every article path, oldest first (from the truth; for a bare site, from the page paths)."""
    slugs = site.truth.get("articles")
    if slugs is not None:
        return [_article_path(site, slug) for slug in slugs]
    return sorted(p for p in site.pages if re.fullmatch(r"/article/[^/]+/", p) and site.pages[p].status == 200)


def _article_path(site: Site, slug: str) -> str:
    """The canonical path: no trailing slash for the amp layout."""
    return f"/article/{slug}" if site.truth.get("layouts", {}).get(slug) == "amp" else f"/article/{slug}/"


def _plain_articles(site: Site) -> list[str]:
    """Articles fit for a fault: listed everywhere, not flaky, not the seed."""
    hidden = {
        _article_path(site, slug) for key in ("only_sitemap", "only_archives") for slug in site.truth.get(key, ())
    }
    skipped = hidden | set(site.truth.get("flaky", ())) | {SEED_PATH}
    return [path for path in article_paths(site) if path not in skipped and path in site.pages]


def plan_faults(site: Site, seed: int = 1, *, sitemaps: bool = False) -> dict[str, Fault]:
    """A reproducible plan: ARTICLE_FAULTS and a mislabeled_encoding (on a windows-1252 page if
    any) on distinct articles, an endless pagination after the last home page, and with
    `sitemaps` an entity bomb on /post-sitemap1.xml and not-XML on /post-sitemap2.xml."""
    rng = random.Random(seed)
    candidates = _plain_articles(site)
    if len(candidates) < len(ARTICLE_FAULTS) + 1:
        raise ValueError(f"a fault plan needs {len(ARTICLE_FAULTS) + 1} plain articles, the site has {len(candidates)}")
    legacy_encoded = [p for p in candidates if site.pages[p].charset.lower() == "windows-1252"]
    mislabeled = rng.choice(legacy_encoded or [p for p in candidates if not site.pages[p].body.isascii()] or candidates)
    others = rng.sample([p for p in candidates if p != mislabeled], len(ARTICLE_FAULTS))
    plan = dict(zip(others, ARTICLE_FAULTS))
    plan[mislabeled] = Fault("mislabeled_encoding")
    if "/" in site.pages:
        last = _last_page(site, "/")
        plan["/" if last == 1 else f"/page/{last}/"] = Fault("endless_pagination")
    if sitemaps:
        plan.update({path: fault for path, fault in SITEMAP_FAULTS.items() if path in site.pages})
    return plan


_LENIENT = {"malformed", "mislabeled_encoding"}  # the item can still be read from the page
_RETRIED = {"status", "reset", "stall", "truncated"}


def survives(fault: Fault) -> bool:
    """Does a correct crawler still get the page?  After retries for a transient fault
    (times >= 1 of a retried kind), by reading leniently a malformed or mislabeled page."""
    return fault.kind in _LENIENT or (fault.kind in _RETRIED and fault.times >= 1)


def fault_truth(site: Site, faults: dict[str, Fault]) -> dict[str, list[str]]:
    """Article paths, oldest first, split in three:
    exported     the crawl must export their item, equal to the site's expected one;
    lost         a fault that does not survive (see survives()) is on the article: no item;
    unreachable  only-sitemap articles whose every post-sitemap (or the sitemap index) has
                 such a fault: no link leads to them, so no item either."""
    articles = article_paths(site)
    lost = [path for path in articles if path in faults and not survives(faults[path])]
    dead = {path for path, fault in faults.items() if path.endswith(".xml") and not survives(fault)}
    listed_in: dict[str, set[str]] = {}
    aliases = site.truth.get("aliases", {})
    indexes = set()
    for path, page in site.pages.items():
        if path.endswith(".xml") and b"<sitemapindex" in page.body[:300]:
            indexes.add(path)
        elif re.fullmatch(r"/(?:post-sitemap|wp-sitemap-posts-post-)\d+\.xml", path):
            for loc in re.findall(rb"<loc>([^<]+)</loc>", page.body):
                loc_path = loc.decode().removeprefix(ROOT)
                listed_in.setdefault(aliases.get(loc_path, loc_path), set()).add(path)
    only_sitemap = {_article_path(site, slug) for slug in site.truth.get("only_sitemap", ())}
    unreachable = [
        path
        for path in articles
        if path in only_sitemap
        and path not in lost
        and listed_in.get(path)
        and (bool(indexes & dead) or listed_in[path] <= dead)
    ]
    gone = set(lost) | set(unreachable)
    return {"exported": [path for path in articles if path not in gone], "lost": lost, "unreachable": unreachable}
