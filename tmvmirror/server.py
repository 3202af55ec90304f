"""Serve a `Site` over HTTP/1.1 (keep-alive), the way the crawler meets the live site.

    server = MirrorServer(build_site(300)).start()
    ...                      # crawl server.root, read server.requests
    server.site = build_site(300, extra_articles=5)   # swap the site while running
    server.stop()

- pages are looked up by the RAW path as sent (percent escapes kept, so
  `/detail-article/article%252F<slug>` and `…%2F<slug>` are two keys); the query string is
  ignored (so `?utm_source=…`, `?fbclid=…`, `?replytocom=…` serve the article and
  `/recherche/?q=…` the search page) except the routed parameters: `p` on `/` (`/?p=N`: the
  site's page for it, 404 on a www site that has none) and `page` (`/category/<slug>?page=N`);
  a known path without its trailing slash is redirected (301) like WordPress does;
- redirect pages (a `Page` with `location`) answer their status with that `Location`;
- unknown paths answer the site's 404 page;
- the live root `https://www.tmvtours.fr` in bodies becomes the server's root;
- the site's flaky paths answer 503 (`Retry-After: 1`) on their first request to this
  server instance, then 200;  an alias that serves an article page itself
  (`/detail-article/…`, a 200 `/?p=N`) meets the faults and flakiness of its canonical path;
- `ETag` on every 200, `Last-Modified` where the page has a date (articles, sitemaps,
  feed); `If-None-Match` / `If-Modified-Since` get 304;
- every request is recorded in `requests` as
  (method, path_with_query, status, time.monotonic(), headers dict);
- a site with an API (`build_site(api=…)`, api.py) answers `/wp-json/…` (and `/?rest_route=…`)
  with JSON, and every HTML page it serves carries `Link: <ROOT/wp-json/>; rel="https://api.w.org/"`;
  the faults of such a path come first, as for a page (a 401/403 fault answers WordPress's JSON);
- fault mode: `MirrorServer(site, faults=plan_faults(site))` answers the paths of
  `server.faults` (a plain dict, changeable while running) with their `Fault` (faults.py),
  the first `times` requests of each path (0: all); they come before the flaky 503s.
  A reset or stalled request is recorded with status 0 (nothing was sent).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import socket
import struct
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from .api import ANNOUNCE
from .chrome import UNAVAILABLE
from .faults import STALL_SECONDS, Fault, Reply, find_fault, reply
from .model import ROOT
from .site import Page, Site

_ROOT_BYTES = ROOT.encode("ascii")


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0, faults: dict[str, Fault] | None = None):
        super().__init__((host, port), _Handler)
        self.site = site
        self.faults: dict[str, Fault] = dict(faults or {})  # URL path (no query) -> Fault
        self.fault_counts: Counter[str] = Counter()  # path -> faults served so far
        self.requests: list[tuple[str, str, int, float, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._recorded = threading.Condition(self._lock)
        self._open = threading.Event()  # cleared by hold(): requests wait before being answered
        self._open.set()
        self._failed_once: set[str] = set()
        self._connections: set[socket.socket] = set()
        self._resetting: set[socket.socket] = set()  # connections to close with a RST
        self._stopping = threading.Event()  # set by stop(): stalled requests give up
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        return f"http://{host}:{port}"

    # --- life cycle ---

    def start(self) -> MirrorServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="tmv-mirror", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the kept-alive connections and the listening socket."""
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- bookkeeping used by the handler ---

    def process_request(self, request, client_address):
        with self._lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._lock:
            self._connections.discard(request)
            resetting = request in self._resetting
            self._resetting.discard(request)
        if resetting:
            self.close_request(request)  # no shutdown() first: it would send a FIN before the RST
        else:
            super().shutdown_request(request)

    def reset_on_close(self, connection: socket.socket) -> None:
        """Make the closing of *connection* a TCP RST (SO_LINGER on, timeout 0)."""
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._lock:
            self._resetting.add(connection)

    def handle_error(self, request, client_address):
        """Stay quiet when a client hangs up; anything else is a bug worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def record(self, method: str, path: str, status: int, headers: dict[str, str]) -> None:
        with self._recorded:
            self.requests.append((method, path, status, time.monotonic(), headers))
            self._recorded.notify_all()

    # --- for tests: wait for the crawler, or make it wait ---

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until *count* requests have been answered in all (False on timeout)."""
        with self._recorded:
            return self._recorded.wait_for(lambda: len(self.requests) >= count, timeout)

    def hold(self) -> None:
        """Answer the next requests only after release() (each is recorded as it arrives)."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def take_fault(self, path: str, site: Site) -> Fault | None:
        """The fault to serve for *path* now, if any (each one served is counted)."""
        fault = find_fault(self.faults, site, path)
        if fault is None:
            return None
        with self._lock:
            if fault.times and self.fault_counts[path] >= fault.times:
                return None
            self.fault_counts[path] += 1
        return fault

    def fail_first_time(self, path: str, site: Site) -> bool:
        """True the first time a flaky path is asked for (per server instance)."""
        if path not in site.flaky_paths:
            return False
        with self._lock:
            if path in self._failed_once:
                return False
            self._failed_once.add(path)
            return True


_ROUTED = ("p", "page")  # the query parameters that name a page (all others are ignored)


def resolve(site: Site, path: str, query: str) -> str | None:
    """The key of `site.pages` a request for path?query asks for (None: 404 whatever the path).

    `/?p=N` -> '/?p=N' when the site has it; on a site with www aliases an unknown post id is a
    404 (elsewhere the query is ignored, as before).  `?page=N` -> 'path?page=N' when the site
    has it; past the last page of such a listing, a 404."""
    if not query:
        return path
    routed = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name in _ROUTED and not (name == "p" and path != "/")
    ]
    if not routed:
        return path
    key = path + "?" + "&".join(f"{name}={value}" for name, value in routed[:1])
    if key in site.pages:
        return key
    name, value = routed[0]
    if name == "p" and site.truth.get("aliases"):
        return None
    if name == "page" and value != "1" and f"{path}?page=2" in site.pages:
        return None
    return path


def page_of(site: Site, key: str) -> str:
    """The path whose faults and flakiness a request for `key` meets: the canonical path when `key`
    is an alias serving the article page itself (/detail-article/…, a 200 /?p=N), else `key`."""
    canonical = site.truth.get("aliases", {}).get(key)
    page = site.pages.get(key)
    return canonical if canonical and page is not None and page.location is None else key


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _not_modified(headers, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since and last_modified is not None:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "tmv-mirror/1.0"
    timeout = 60  # idle keep-alive connections are closed after this many seconds
    server: MirrorServer

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def log_message(self, format: str, *args) -> None:
        pass

    def _serve(self, send_body: bool) -> None:
        site = self.server.site  # read once: the site may be swapped meanwhile
        announce = ANNOUNCE if site.api is not None else None  # on the HTML pages of a site with an API
        not_found = site.not_found or _html_page("<html><body>Not found</body></html>", 404)
        path, _, query = self.path.split("#", 1)[0].partition("?")
        key = resolve(site, path, query)
        if key is None:
            self._respond(404, not_found, send_body, announce)
            return
        path, target = key, page_of(site, key)
        fault = self.server.take_fault(target, site)
        if fault is not None:
            self._serve_fault(reply(fault, site, target, query), send_body)
            return
        if self.server.fail_first_time(target, site):
            self._respond(503, _html_page(UNAVAILABLE, 503), send_body, {"Retry-After": "1"})
            return
        if site.api is not None and (answer := site.api.answer(path, query)) is not None:
            self._respond(answer.status, answer.page(self.server.root), send_body, answer.headers)
            return
        page = site.pages.get(path)
        if page is None and not path.endswith("/") and path + "/" in site.pages:
            location = self.server.root + path + "/" + self.path[len(path) :]
            self._respond(301, _html_page("", 301), send_body, {"Location": location})
            return
        if page is None:
            self._respond(404, not_found, send_body, announce)
            return
        if page.location:
            self._respond(page.status, page, send_body, {"Location": page.location})
            return
        html = page.content_type == "text/html"
        self._respond(page.status, page, send_body, announce if html else None, conditional=page.status == 200)

    def _serve_fault(self, answer: Reply, send_body: bool) -> None:
        if answer.action is None:
            self._respond(answer.page.status, answer.page, send_body, answer.headers, answer.extra_length)
            return
        self.server.record(self.command, self.path, 0, dict(self.headers.items()))  # nothing is sent
        self.server._open.wait()
        self.close_connection = True
        if answer.action == "reset":
            self.server.reset_on_close(self.connection)
        else:  # stall
            self.server._stopping.wait(STALL_SECONDS)

    def _respond(
        self,
        status: int,
        page: Page,
        send_body: bool,
        extra: dict[str, str] | None = None,
        extra_length: int = 0,
        conditional: bool = False,
    ) -> None:
        """Send *page*; with *extra_length*, claim that many more bytes than sent and close."""
        root = self.server.root
        body = page.body.replace(_ROOT_BYTES, root.encode("ascii"))
        if page.gzipped:
            body = gzip.compress(body, mtime=0)
        headers = {
            "Content-Type": f"{page.content_type}; charset={page.charset}",
            "Content-Length": str(len(body) + extra_length),
            **{name: value.replace(ROOT, root) for name, value in (extra or {}).items()},
        }
        if conditional:
            etag = '"' + hashlib.sha1(body).hexdigest()[:24] + '"'
            headers["ETag"] = etag
            if page.last_modified is not None:
                headers["Last-Modified"] = _http_date(page.last_modified)
            if _not_modified(self.headers, etag, page.last_modified):
                status, send_body = 304, False
                del headers["Content-Type"]
        self.server.record(self.command, self.path, status, dict(self.headers.items()))
        self.server._open.wait()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
        if extra_length:
            self.close_connection = True


def _html_page(text: str, status: int) -> Page:
    return Page(status, "text/html", "utf-8", text.encode("utf-8"))


def crawl_command(root: str, output, *extra: str, python: tuple[str, ...] = ()) -> list[str]:
    """``scrapy crawl tmv`` of the mirror at *root*, feeds and state under *output*, as a user types
    it, run by this interpreter (*python*: options for the interpreter itself)."""
    return [
        sys.executable,
        *python,
        "-m",
        "scrapy",
        "crawl",
        "tmv",
        "-a",
        f"base_url={root}",
        "-s",
        f"TMV_OUTPUT_DIR={output}",
        *extra,
    ]
