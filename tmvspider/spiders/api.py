"""The ``tmv`` spider's first source: the CMS's own JSON (README, "The CMS's API").

WordPress's ``wp/v2/posts`` lists every published post, 100 at a time with its author, terms
and image embedded; an incremental run asks only for the posts changed since the newest it
exported (``modified_after``). Without it, the Ampize plugin's ``ampize/v1/items`` (newest
first). When neither answers (closed, missing, not WordPress's JSON), discovery falls back
to the pages (sitemaps, feed, listings), said once. Each new or changed post's page is read
too unless ``TMV_ARTICLE_PAGES`` is off: the record and the page are combined
(crosscheck.combine). Reading the JSON is tmvspider.discovery.wordpress's and .ampize's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import cached_property, partial
from typing import Any
from zoneinfo import ZoneInfo

import scrapy

from .. import LIVE_API_ROOT, statkeys, urls
from ..crosscheck import combine
from ..discovery import Page, ampize, wordpress
from ..items import ArticleItem
from ..keeper import NoState, StateKeeper
from ..outcome import failure_reason
from ..processors import now, utc_now

WP, AMPIZE = wordpress.NAMESPACE, ampize.NAMESPACE
PARIS = ZoneInfo("Europe/Paris")


# what the API may answer that its callbacks read (a closed route, a missing one): not dropped as errors
ANSWERS = [400, 401, 403, 404, 405, 410]


def api_root_for(settings, root: str) -> str | None:
    """Where the API is asked for: TMV_API_ROOT, else the live site's WordPress host, else
    ``<root>/wp-json/``; None with TMV_API off."""
    if not settings.getbool("TMV_API"):
        return None
    if given := (settings.get("TMV_API_ROOT") or "").strip():
        return given
    return LIVE_API_ROOT if urls.host_of(root) in urls.SITE_HOSTS else root + "/wp-json/"


def no_api(root: str, answers: list[str]) -> str:
    """The one line a crawl logs, and the probe prints, when no namespace serves."""
    return f"no API at {root} ({'; '.join(answers)}): discovery through sitemaps, feed and listings"


class ApiSource(scrapy.Spider):
    """The part of TmvSpider that reads the CMS's API; what it uses of the rest:"""

    root: str
    hosts: frozenset[str]
    full: bool
    seen: set[str]
    keeper: StateKeeper | NoState
    walk_archives: bool
    follow: Callable[..., scrapy.Request | None]
    is_known: Callable[[str, str | None], bool]
    page_walk: Callable[[], Iterator[scrapy.Request]]
    walking_pages: bool

    api_used = ""  # the namespace discovery goes through, once one answered
    api_announced = False  # a home page named another root, asked for too
    api_answers: list[str]  # what each namespace tried answered, for the one line of a fallback

    @cached_property
    def api_root(self) -> str | None:
        return api_root_for(self.settings, self.root)

    @property
    def asked_root(self) -> str:
        """The API's root, once it is being asked for (TMV_API on), as text for the URL builders."""
        return self.api_root or ""

    @property
    def article_pages(self) -> bool:
        return self.settings.getbool("TMV_ARTICLE_PAGES")

    def api_request(self, url: str, callback, count: bool = True, **meta: Any) -> scrapy.Request:
        """A request to the API (*count*: one more asked of the site; not a replayed one)."""
        if count:
            self.crawler.stats.inc_value(statkeys.key(statkeys.REQUESTS, Page.API.value))
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.api_failed,
            priority=Page.API.priority,
            dont_filter=True,
            meta={
                **meta,
                "handle_httpstatus_list": ANSWERS,
                "download_maxsize": self.settings.getint("TMV_API_MAXSIZE"),
            },
        )

    def first_api_request(self) -> scrapy.Request:
        """Page 1 of the posts: every one in a full walk; else those changed since the newest
        the state holds, less TMV_API_OVERLAP_HOURS (a clock set apart, a slow save)."""
        self.api_answers = []
        since = None if self.walk_archives else self.keeper.newest_change()
        if since is not None:  # never after now: one page's mistyped future date must not hide changes
            since = min(since, now()) - timedelta(hours=self.settings.getfloat("TMV_API_OVERLAP_HOURS"))
            self.logger.info("asking the API for the posts changed since %s", since.isoformat())
        return self.wp_posts(1, since)

    def wp_posts(self, page: int, since) -> scrapy.Request:
        url = wordpress.posts_url(self.asked_root, page, modified_after=since)
        return self.api_request(url, self.parse_wp_posts, api=(WP, page), first=page == 1, since=since)

    # ------------------------------------------------------------ WordPress's own API

    def parse_wp_posts(self, response):
        namespace, page = response.meta["api"]
        if wordpress.past_last_page(response.status, response.body):
            return  # fewer posts than when the last page was counted: the end
        posts = json_body(response)
        if response.status != 200 or not isinstance(posts, list):
            yield from self.api_unusable(response.request, response_said(response, posts))
            return
        if page == 1 and response.meta["since"] is None and not any(map(wordpress.is_public_post, posts)):
            # a full walk that lists no post: a plugin hiding them from visitors, not an empty site
            yield from self.api_unusable(response.request, "lists no public post")
            return
        self.use_api(namespace)
        yield from self.articles_of(posts, wordpress.read_post, response)
        if wordpress.next_page(response.headers, page) and posts and "replay" not in response.meta:
            yield self.wp_posts(page + 1, response.meta["since"])

    # ------------------------------------------------------------ the Ampize plugin's API

    def ask_ampize(self) -> scrapy.Request:
        """The plugin's site first: its time zone is how its dates are to be read."""
        return self.api_request(ampize.site_url(self.asked_root), self.parse_ampize_site, api=(AMPIZE, 0), first=True)

    def parse_ampize_site(self, response):
        zone = ampize.site_zone(response.body) if response.status == 200 else None
        if zone is None:
            yield from self.api_unusable(response.request, response_said(response, json_body(response)))
            return
        yield self.ampize_items(0, zone)

    def ampize_items(self, start: int, zone: ZoneInfo) -> scrapy.Request:
        url = ampize.items_url(self.asked_root, start)
        return self.api_request(url, self.parse_ampize_items, api=(AMPIZE, start), first=start == 0, zone=zone)

    def parse_ampize_items(self, response):
        namespace, start = response.meta["api"]
        listing = ampize.read_items(response.body) if response.status == 200 else None
        if listing is None:
            yield from self.api_unusable(response.request, response_said(response, json_body(response)))
            return
        self.use_api(namespace)
        items, total = listing
        news = 0
        for output in self.articles_of(items, partial(ampize.read_item, zone=response.meta["zone"]), response):
            news += 1
            yield output
        # newest first, by date only: an incremental run stops at a page of articles all known
        following = ampize.next_start(start, len(items), total)
        if following is not None and (news or self.walk_archives) and "replay" not in response.meta:
            yield self.ampize_items(following, response.meta["zone"])

    # ------------------------------------------------------------ records to articles

    def use_api(self, namespace: str) -> None:
        """*namespace* serves: discovery goes through it, and a page walk begun while none
        served (the root a home page announced) stops following its links."""
        if not self.api_used:
            self.api_used = namespace
            self.crawler.stats.set_value(statkeys.API_USED, namespace)
            self.crawler.stats.set_value(statkeys.API_CLOSED, None)
            self.walking_pages = False
            self.logger.info("discovery through the API: %s at %s", namespace, self.api_root)

    def articles_of(self, entries: list, read: Callable[[dict], dict | None], response):
        """What each entry of a listing page gives (article_from_record), *read* making its record.
        Re-extracting (meta ``replay``: post id -> its archived page, replay.py), only the entries
        whose newest archived record this page holds, each with its page as archived."""
        replay = response.meta.get("replay")
        for entry in entries:
            post = str(entry.get("id")) if isinstance(entry, dict) else None
            if replay is not None and post not in replay:
                continue  # an older record: another archived listing has the newest
            record = read(entry)
            if not record:
                self.not_post()
                continue
            yield from self.article_from_record(record, record["url"] if replay is None else replay[post])

    def replayed_listing(self, listing) -> scrapy.Request:
        """An archived page of the API's listing read again (replay.ApiListing) by its callback,
        which then asks for no next page: each archived one is replayed on its own."""
        callback = self.parse_wp_posts if listing.namespace == WP else self.parse_ampize_items
        return self.api_request(
            listing.url,
            callback,
            count=False,
            api=(listing.namespace, listing.position),
            first=False,
            since=None,
            zone=listing.zone,
            replay=listing.posts,
        )

    def not_post(self) -> None:
        self.crawler.stats.inc_value(statkeys.API_NOT_POST)

    def article_from_record(self, record: dict, page: str | None):
        """A new or changed post: its *page*, to be read with the record (parse_article), or with
        TMV_ARTICLE_PAGES off, no page, or a page that cannot be asked for (robots.txt, another
        host), the record alone. Nothing for a post exported already in this version, or seen
        this run."""
        self.crawler.stats.inc_value(statkeys.API_RECORDS)
        url = urls.canonical(record["url"]) or record["url"]
        changed = record.get("modified_at") or record.get("published_at")
        key = urls.identity(url)
        if key in self.seen or self.is_known(url, changed):
            return
        if self.article_pages and page:
            request = self.follow(page, Page.ARTICLE, lastmod=changed, meta={"api_record": record})
            if request is not None:
                yield request
                return
        self.seen.add(key)
        yield self.article_item(record, None, changed)

    def article_item(self, record: dict, page: ArticleItem | None, changed: str | None) -> ArticleItem:
        """The item of a post from its record and its page's item (None: the record alone)."""
        values, disagreements = combine(record, dict(page) if page is not None else None)
        values["crawled_at"] = page["crawled_at"] if page is not None else utc_now()
        item = ArticleItem(**{field: value for field, value in values.items() if field in ArticleItem.fields})
        if changed:
            item["lastmod"] = changed  # not exported: for DedupPipeline
        if disagreements:
            item["disagreements"] = disagreements
        if page is None and self.article_pages:
            self.crawler.stats.inc_value(statkeys.API_PAGE_LEFT_OUT)
        return item

    # ------------------------------------------------------------ when the API does not serve

    def api_failed(self, failure):
        """A request to the API that failed after its retries (or robots.txt forbids)."""
        return self.api_unusable(failure.request, failure_reason(failure.value))

    def api_unusable(self, request, said: str):
        """The namespace *request* asked does not serve: the next one is tried, then the pages.
        A page after the first that fails leaves the walk incomplete: a failure (the next run
        walks again)."""
        namespace = request.meta["api"][0]
        if not request.meta["first"]:  # the posts of this page and the next are in no record: a hole
            self.crawler.stats.inc_value(statkeys.key(statkeys.FAILED, "api_unusable"))
            self.crawler.stats.set_value(statkeys.API_INCOMPLETE, True)
            self.logger.warning("failed %s: %s; the next run walks the whole listing", request.url, said)
            return
        if self.api_used:  # another namespace serves already
            return
        self.api_answers.append(f"{namespace}: {said}")
        if namespace == WP:
            yield self.ask_ampize()
            return
        self.crawler.stats.set_value(statkeys.API_CLOSED, "; ".join(self.api_answers))
        self.logger.info("%s", no_api(self.asked_root, self.api_answers))
        if not self.walking_pages:
            yield from self.page_walk()

    def announced_api(self, response, doc) -> scrapy.Request | None:
        """A home page read while no API serves that announces one elsewhere (WordPress's
        ``Link: <…>; rel="https://api.w.org/"`` header or ``<link>``): asked for there, once."""
        if self.api_used or self.api_root is None or self.api_announced:
            return None
        root = wordpress.api_root(response.headers, doc, response.url)
        if root is None or root == self.api_root:
            return None
        self.api_announced = True
        self.api_root = root
        self.logger.info("the home page announces the API at %s", root)
        return self.first_api_request()


def json_body(response) -> Any:
    return wordpress.json_of(response.body)


def response_said(response, body: Any) -> str:
    """What an answer that is no listing said, in a few words: its status and WordPress's error code."""
    code = body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), str) else None
    if response.status == 200:
        return "not WordPress's JSON" if code is None else f"200 {code}"
    return f"{response.status}" + (f" {code}" if code else "")
