"""The probe's look at the CMS's API (``tmvspider probe``): where it is, its namespaces, how many
posts it lists, whether its ``users`` route is open, and 3 posts read from it beside their pages,
field by field.

It asks what the crawl asks (spiders.api: ``wp/v2/posts``, else the Ampize plugin's site and
items) where the crawl asks it (its root; when no namespace serves there, the one the home page
names), and reads the answers with the crawl's readers; a disagreement is what
crosscheck.combine calls one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from math import ceil
from os.path import commonprefix
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from .. import urls
from ..crosscheck import combine, given, same
from ..discovery import ampize, wordpress
from ..items import FIELDS
from ..outcome import failure_reason
from ..parsers import read_article
from .api import AMPIZE, ANSWERS, WP, json_body, no_api, response_said

SAMPLES = 3  # posts read from the API and from their pages
INDEX, USERS = "index", "wp/v2/users"
WIDTH = 36  # of a value in a sample's table
SPENT = "not asked: TMV_PROBE_REQUESTS spent"


@dataclass
class ApiFindings:
    root: str | None  # where the API is asked (None: TMV_API off)
    announced: str | None = None  # the root the home page names (rel="https://api.w.org/")
    home_read: bool = False
    first: tuple[str, list[str]] | None = None  # the root asked first and its answers, when none served there
    closed: bool = False  # every namespace answered at root, none serves
    index: str = ""  # what the index answered when it listed no namespace
    namespaces: list[str] = field(default_factory=list)
    used: str = ""  # the namespace that serves, as the crawl would use it
    answers: list[str] = field(default_factory=list)  # "<namespace>: <what it said>" of those that do not
    listing: str = ""  # how many posts it lists
    total: int | None = None
    users: str = ""  # whether wp/v2/users is open
    samples: list[dict] = field(default_factory=list)  # {"record", "url", "page", "parser", "error"}


class ApiProbe(scrapy.Spider):
    """The part of ProbeSpider that asks the API; what it uses of the rest:"""

    root: str
    hosts: frozenset[str]
    ask: Callable[..., scrapy.Request | None]
    api: ApiFindings

    def api_ask(self, url: str, callback, what: str, **meta) -> scrapy.Request | None:
        """A request to the API for *what* (the index, users, a namespace), its errors read as its word."""
        return self.ask(url, callback, "API", errback=self.api_failed, api=what, handle_httpstatus_list=ANSWERS, **meta)

    def api_requests(self) -> Iterator[scrapy.Request]:
        """The index and the first posts, as the crawl asks for them (3 instead of 100)."""
        if self.api.root is None:
            return
        if request := self.api_ask(self.api.root, self.parse_api_index, INDEX, root=self.api.root):
            yield request
        yield from self.ask_namespace(WP, wordpress.posts_url(self.api.root, per_page=SAMPLES), self.parse_wp_posts)

    def ask_namespace(self, namespace: str, url: str, callback, **meta) -> Iterator[scrapy.Request]:
        if request := self.api_ask(url, callback, namespace, **meta):
            yield request
        else:
            self.api.answers.append(f"{namespace}: {SPENT}")

    def note_announced(self, response) -> Iterator[scrapy.Request]:
        """The API root the home page names, in a ``Link`` header or a ``<link>``."""
        self.api.home_read = True
        self.api.announced = wordpress.api_root(response.headers, response.selector.root, response.url)
        yield from self.ask_announced()

    def ask_announced(self) -> Iterator[scrapy.Request]:
        """As the crawl: when no namespace serves at the first root and the home page names
        another, that one is asked too, once."""
        api = self.api
        if not api.closed or api.first or not api.announced or api.announced == api.root:
            return
        assert api.root is not None  # closed: it was asked
        api.first, api.root, api.answers, api.closed = (api.root, api.answers), api.announced, [], False
        yield from self.api_requests()

    def parse_api_index(self, response):
        if response.meta["root"] != self.api.root:  # the first root's, come after the home page named another
            return
        found = wordpress.namespaces(response.body) if response.status == 200 else []
        self.api.namespaces = found
        self.api.index = "" if found else response_said(response, json_body(response))

    def api_failed(self, failure):
        what, reason = failure.request.meta["api"], failure_reason(failure.value)
        if what == INDEX:
            self.api.index = reason
        elif what == USERS:
            self.api.users = f"not known ({reason})"
        else:
            yield from self.unusable(what, reason)

    def unusable(self, namespace: str, said: str) -> Iterator[scrapy.Request]:
        """As the crawl: WordPress's own namespace first, then the plugin's."""
        self.api.answers.append(f"{namespace}: {said}")
        if namespace == WP:
            yield from self.ask_namespace(AMPIZE, ampize.site_url(self.asked_root), self.parse_ampize_site)
        else:
            self.api.closed = True
            yield from self.ask_announced()

    @property
    def asked_root(self) -> str:
        """The API's root, once it is being asked for (TMV_API on); never raises, as the crawl's."""
        return self.api.root or ""

    # ------------------------------------------------------------ what each namespace answers

    def parse_wp_posts(self, response):
        posts = json_body(response)
        if response.status != 200 or not isinstance(posts, list):
            yield from self.unusable(WP, response_said(response, posts))
            return
        self.api.used = WP
        total, pages = (response.headers.get(name, b"").decode("latin-1") for name in ("X-WP-Total", "X-WP-TotalPages"))
        self.api.total = int(total) if total.isdigit() else None
        self.api.listing = f"wp/v2/posts: X-WP-Total {total or '-'}, X-WP-TotalPages {pages or '-'} at {SAMPLES} a page"
        if self.api.total is not None:  # what a full walk costs
            walk = max(1, ceil(self.api.total / wordpress.PER_PAGE_MAX))
            self.api.listing += f"; a full walk asks {wordpress.PER_PAGE_MAX} a page: {walk} request(s)"
        if request := self.api_ask(
            wordpress.route_url(self.asked_root, USERS, {"per_page": 1}), self.parse_users, USERS
        ):
            yield request
        else:
            self.api.users = SPENT
        yield from self.sample_requests(record for post in posts if (record := wordpress.read_post(post)))

    def parse_users(self, response):
        body = json_body(response)
        if response.status == 200 and isinstance(body, list):
            self.api.users = "open: the authors come from the API"
        else:
            self.api.users = f"closed ({response_said(response, body)}): the authors come from the pages"

    def parse_ampize_site(self, response):
        zone = ampize.site_zone(response.body) if response.status == 200 else None
        if zone is None:
            yield from self.unusable(AMPIZE, response_said(response, json_body(response)))
            return
        yield from self.ask_namespace(
            AMPIZE, ampize.items_url(self.asked_root, 0, SAMPLES), self.parse_ampize_items, zone=zone
        )

    def parse_ampize_items(self, response):
        listing = ampize.read_items(response.body) if response.status == 200 else None
        if listing is None:
            yield from self.unusable(AMPIZE, response_said(response, json_body(response)))
            return
        self.api.used = AMPIZE
        items, self.api.total = listing
        zone = response.meta["zone"]
        self.api.listing = f"ampize/v1/items: numItems {self.api.total}, time zone {zone.key}"
        yield from self.sample_requests(record for item in items if (record := ampize.read_item(item, zone)))

    # ------------------------------------------------------------ the samples' pages

    def sample_requests(self, records) -> Iterator[scrapy.Request]:
        for record in list(records)[:SAMPLES]:
            url = urls.canonical(record["url"]) or record["url"]
            sample = {"record": record, "url": url, "page": None, "parser": None, "error": None}
            self.api.samples.append(sample)
            if urls.host_of(url) not in self.hosts:
                sample["error"] = "on another host: not asked"
            elif request := self.ask(url, self.parse_sample, "API sample", errback=self.sample_failed, sample=sample):
                yield request
            else:
                sample["error"] = SPENT

    def parse_sample(self, response):
        sample = response.meta["sample"]
        if not isinstance(response, TextResponse):
            sample["error"] = f"{response.status}, not a page"
            return
        parser, item = read_article(response, hosts=self.hosts)
        sample["parser"] = parser.name if parser else None
        if item is None:
            sample["error"] = "not read as an article"
        else:
            sample["page"] = dict(item)

    def sample_failed(self, failure):
        failure.request.meta["sample"]["error"] = failure_reason(failure.value)


# ---------------------------------------------------------------- the report


def api_lines(api: ApiFindings) -> list[str]:
    """What the API gave: its root, namespaces, size, users, and each sample's table."""
    if api.root is None:
        return ["no API asked (TMV_API off): discovery through sitemaps, feed and listings"]
    if not api.used:
        return [no_api(api.root, api.answers) + f" ({named(api)})"]
    lines = [
        f"API at {api.root} ({named(api)})",
        f"  namespaces  {', '.join(api.namespaces) if api.namespaces else 'none listed (index: ' + api.index + ')'}",
        f"  listing     {api.listing}",
    ]
    if api.used == WP:
        lines.append(f"  users       {api.users or 'no answer'}")
    if api.answers:  # WordPress's own namespace, when the plugin's serves
        lines.append(f"  not served  {'; '.join(api.answers)}")
    lines.append(f"  discovery   through {api.used}")
    for number, sample in enumerate(api.samples, 1):
        lines += ["", *sample_table(sample, f"sample {number} of {len(api.samples)}")]
    return lines


def named(api: ApiFindings) -> str:
    """What the home page says of the API's root."""
    if api.first:
        first, answers = api.first
        return f"the home page names it; none at {first}: {'; '.join(answers)}"
    if not api.home_read:
        return "the home page was not read"
    if api.announced == api.root:
        return "the home page names it too"
    return f"the home page names {api.announced}" if api.announced else "the home page names none"


def sample_table(sample: dict, title: str) -> list[str]:
    """A post as the API and its page give it, field by field; a disagreement marked DIFFERS."""
    record, page = sample["record"], sample["page"]
    _, disagreements = combine(record, page)
    if page is None:
        verdict = f"page not read ({sample['error']}): the crawl keeps the API's record alone"
    else:
        differing = ", ".join(disagreements)
        verdict = f"{len(disagreements)} disagreement(s): {differing}" if disagreements else "no disagreement"
    by = f", page read by {sample['parser']}" if sample["parser"] else ""
    parts = urlsplit(sample["url"])
    site = f"{parts.scheme}://{parts.netloc}"
    lines = [
        f"{title}: post {record.get('post_id')}, {sample['url'].removeprefix(site)}{by}: {verdict}",
        f"  {'field':<13} {'the API':<{WIDTH}} the page",
    ]
    for name in FIELDS:
        if name == "crawled_at":  # the fetch's time: the page's alone
            continue
        said, shown = record.get(name), (page or {}).get(name)
        left, right = cell(name, said, site), cell(name, shown, site)
        start = len(commonprefix([left, right]))
        start = start - WIDTH // 2 if name in disagreements and start > WIDTH - 8 else 0  # where they part
        mark = "DIFFERS" if name in disagreements else agreement(name, said, shown) if page else ""
        lines.append(f"  {name:<13} {fitted(left, start):<{WIDTH}} {fitted(right, start):<{WIDTH}} {mark}".rstrip())
    return lines


def agreement(name: str, said, shown) -> str:
    """How two values that are no disagreement stand."""
    if not given(said):
        return "page only" if given(shown) else ""
    if not given(shown):
        return "API only"
    return "same" if same(name, said, shown) else "the page's"  # url: the page's canonical wins


def cell(name: str, value, site: str) -> str:
    """*value* in a line: text as is, a list joined, what is long counted; the sample's own
    scheme and host left out of a URL."""
    if not given(value):
        return "-"
    if name == "url":
        return str(value).removeprefix(site) or "/"
    if name == "image":
        return str(value.get("url") or "-")
    if name == "interview":
        return f"{len(value.get('qa', []))} question(s)"
    if name == "related":
        return f"{len(value)} link(s)"
    if name == "body":
        return f"{len(value.split())} words: {' '.join(value.split())}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return " ".join(str(value).split())


def fitted(text: str, start: int = 0) -> str:
    """*text* within WIDTH characters, from *start* on."""
    if start > 0:
        text = "…" + text[start:]
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


__all__ = ["ApiFindings", "ApiProbe", "api_lines", "sample_table"]
