"""The CMS's JSON APIs on the mirror, as WordPress serves them under `/wp-json/` (and
`/?rest_route=`): the index, the core's `wp/v2` posts and the Ampize plugin's `ampize/v1`.

    site = build_site(40, api=("wp/v2", "ampize/v1"))
    site.api.answer("/wp-json/wp/v2/posts", "per_page=5&page=2", root)  # -> Answer or None

`Api` holds the records (api_records.py) as plain JSON, so a site written and loaded back
(`api.json`) serves the same; what a request asks for (filters, order, pages, embeds) is
decided here, per request. Bodies are WordPress's JSON: no spaces, `\\/` for `/`, `\\uXXXX`
for what is not ASCII; errors are `{"code", "message", "data": {"status"}}`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote, urlencode

from .api_records import API_ROOT, SITE_DESCRIPTION, SITE_NAME, item_record, post_record
from .model import PARIS, ROOT, Article
from .page import Page

WP = "wp/v2"
AMPIZE = "ampize/v1"
NAMESPACES = (WP, AMPIZE)
API_REL = "https://api.w.org/"
PER_PAGE_MAX = 100
EMBEDDABLE = ("author", "wp:featuredmedia", "wp:term")
ORDERBY = {"date": "date_gmt", "modified": "modified_gmt", "id": "id", "slug": "slug", "title": "title"}
DATE_FILTERS = {
    "after": "date_gmt",
    "before": "date_gmt",
    "modified_after": "modified_gmt",
    "modified_before": "modified_gmt",
}
RELATED_MAX = 5  # the plugin's relatedPosts
# WordPress's rest_parse_date: an offset is optional (then the site's time zone)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?")
ANNOUNCE = {"Link": f'<{API_ROOT}>; rel="{API_REL}"'}  # on every page, and on API answers without a pager
_HEADERS = {
    **ANNOUNCE,
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
}
# the embedded author when a security plugin closes the users route
USERS_CLOSED = {
    "code": "rest_forbidden",
    "message": "Désolé, vous n’avez pas l’autorisation de faire cela.",
    "data": {"status": 401},
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    data: object  # the JSON value

    def page(self, root: str) -> Page:
        """The JSON as WordPress encodes it, the live root made the server's *root*."""
        text = json.dumps(self.data, separators=(",", ":")).replace(ROOT, root).replace("/", "\\/")
        return Page(self.status, "application/json", "UTF-8", text.encode("ascii"))


def error(status: int, code: str, message: str, **data) -> Answer:
    return Answer(status, dict(_HEADERS), {"code": code, "message": message, "data": {"status": status, **data}})


def head_links(html: str, article: Article, namespaces: tuple[str, ...]) -> str:
    """An article page with the `<link>`s WordPress puts in its head: the API's root, and the
    post's own JSON when wp/v2 is served."""
    links = f'<link rel="{API_REL}" href="{API_ROOT}">\n'
    if WP in namespaces:
        links += f'<link rel="alternate" type="application/json" href="{API_ROOT}{WP}/posts/{article.post_id}">\n'
    return html.replace("</head>", links + "</head>", 1)


@dataclass
class Api:
    """The served namespaces and their records: `posts` (wp/v2, every embed) and `items`
    (ampize/v1), newest first; `related`: post id -> the ids of its "Vous aimerez aussi";
    `users_closed`: an embedded author is the error of a closed users route."""

    namespaces: tuple[str, ...]
    posts: list[dict] = field(default_factory=list, repr=False)
    items: list[dict] = field(default_factory=list, repr=False)
    related: dict[int, list[int]] = field(default_factory=dict, repr=False)
    users_closed: bool = False

    @classmethod
    def build(cls, articles: list[Article], namespaces: tuple[str, ...], users_closed: bool = False) -> Api:
        newest = sorted(articles, key=lambda a: (a.published, a.post_id), reverse=True)
        ids = {a.slug: a.post_id for a in articles}
        return cls(
            namespaces,
            [post_record(a) for a in newest] if WP in namespaces else [],
            [item_record(a) for a in newest] if AMPIZE in namespaces else [],
            {a.post_id: [ids[slug] for slug in a.related if slug in ids] for a in articles},
            users_closed,
        )

    def to_json(self) -> dict:
        return {
            "namespaces": list(self.namespaces),
            "users_closed": self.users_closed,
            "posts": self.posts,
            "items": self.items,
            "related": {str(number): ids for number, ids in self.related.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> Api:
        related = {int(number): ids for number, ids in data.get("related", {}).items()}
        namespaces = tuple(data["namespaces"])
        return cls(namespaces, data.get("posts", []), data.get("items", []), related, data.get("users_closed", False))

    # --- requests ---

    def answer(self, path: str, query: str) -> Answer | None:
        """The answer to GET path?query, None when it is no API request (a page of the site)."""
        params = parse_qsl(query, keep_blank_values=True)
        if path in ("/wp-json", "/wp-json/") or path.startswith("/wp-json/"):
            route = unquote(path.removeprefix("/wp-json"))
        elif path == "/" and any(name == "rest_route" for name, _ in params):
            route = next(value for name, value in params if name == "rest_route")
            params = [(name, value) for name, value in params if name != "rest_route"]
        else:
            return None
        route = "/" + route.strip("/")
        for pattern, handler in self._routes():
            match = re.fullmatch(pattern, route)
            if match:
                return handler(params, *match.groups())
        return error(
            404, "rest_no_route", "Aucune route correspondante à l’URL et à la méthode de requête n’a été trouvée."
        )

    def _routes(self):
        routes = [("/", self._index)]
        if WP in self.namespaces:
            routes += [
                ("/wp/v2", lambda params: self._namespace(WP)),
                ("/wp/v2/posts", self._posts),
                (r"/wp/v2/posts/(\d+)", self._post),
                (r"/wp/v2/users/(\d+)", self._user),
            ]
        if AMPIZE in self.namespaces:
            routes += [
                ("/ampize/v1", lambda params: self._namespace(AMPIZE)),
                ("/ampize/v1/site", lambda params: _ok(self.site())),
                ("/ampize/v1/items", self._items),
                (r"/ampize/v1/item/(\d+)", self._item),
            ]
        return routes

    def route_names(self, namespace: str | None = None) -> list[str]:
        names = {
            WP: ["/wp/v2", "/wp/v2/posts", "/wp/v2/posts/(?P<id>[\\d]+)", "/wp/v2/users/(?P<id>[\\d]+)"],
            AMPIZE: ["/ampize/v1", "/ampize/v1/site", "/ampize/v1/items", "/ampize/v1/item/(?P<id>\\d+)"],
        }
        served = [namespace] if namespace else list(self.namespaces)
        return [name for ns in served for name in names[ns]]

    def _index(self, params) -> Answer:
        offset = datetime.now(PARIS).utcoffset()
        return _ok(
            {
                "name": SITE_NAME,
                "description": SITE_DESCRIPTION,
                "url": ROOT,
                "home": ROOT,
                "gmt_offset": int(offset.total_seconds() // 3600) if offset else 0,
                "timezone_string": "Europe/Paris",
                "namespaces": ["oembed/1.0", *self.namespaces],
                "authentication": [],
                "routes": {"/": _route("/"), **{name: _route(name) for name in self.route_names()}},
            }
        )

    def _namespace(self, namespace: str) -> Answer:
        return _ok({"namespace": namespace, "routes": {name: _route(name) for name in self.route_names(namespace)}})

    def site(self) -> dict:
        return {
            "id": "1",
            "name": SITE_NAME,
            "url": ROOT,
            "description": SITE_DESCRIPTION,
            "language": "fr-FR",
            "timeZone": "Europe/Paris",
            "dateFormat": "j F Y",
            "iconUrl": "",
        }

    # --- wp/v2 ---

    def _posts(self, params) -> Answer:
        values = dict(params)
        invalid: dict[str, str] = {}
        per_page = _integer(values, "per_page", 10, 1, PER_PAGE_MAX, invalid)
        page = _integer(values, "page", 1, 1, None, invalid)
        orderby, order = values.get("orderby", "date"), values.get("order", "desc")
        if orderby not in ORDERBY:
            invalid["orderby"] = f"orderby n’est pas l’un des {', '.join(ORDERBY)}."
        if order not in ("asc", "desc"):
            invalid["order"] = "order n’est pas l’un des asc, desc."
        bounds = {name: _instant(values[name], name, invalid) for name in DATE_FILTERS if name in values}
        if invalid:
            return error(
                400, "rest_invalid_param", f"Paramètre(s) non valide(s) : {', '.join(invalid)}", params=invalid
            )
        posts = [post for post in self.posts if all(_within(post, name, bound) for name, bound in bounds.items())]
        key = ORDERBY[orderby]
        posts.sort(key=lambda post: (_sort_value(post, key), post["id"]), reverse=order == "desc")
        total, pages = len(posts), math.ceil(len(posts) / per_page)
        if page > pages and total > 0:
            return error(
                400,
                "rest_post_invalid_page_number",
                "Le nombre de pages demandé est plus grand que le nombre de pages disponibles.",
            )
        shown = [self._shaped(post, values) for post in posts[(page - 1) * per_page : page * per_page]]
        answer = _ok(shown)
        answer.headers.update({"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})
        pager = []
        if page > 1:
            pager.append(f'<{_page_url(params, min(page - 1, pages))}>; rel="prev"')
        if pages > page:
            pager.append(f'<{_page_url(params, page + 1)}>; rel="next"')
        if pager:
            answer.headers["Link"] = ", ".join(pager)
        return answer

    def _post(self, params, number: str) -> Answer:
        post = next((post for post in self.posts if post["id"] == int(number)), None)
        if post is None:
            return error(404, "rest_post_invalid_id", "ID d’article non valide.")
        return _ok(self._shaped(post, dict(params)))

    def _user(self, params, number: str) -> Answer:
        if self.users_closed:
            return Answer(401, dict(_HEADERS), USERS_CLOSED)
        for post in self.posts:
            for user in post["_embedded"].get("author", []):
                if user["id"] == int(number):
                    return _ok(user)
        return error(404, "rest_user_invalid_id", "ID d’utilisateur non valide.")

    def _shaped(self, post: dict, values: dict[str, str]) -> dict:
        """The post as a request asks for it: `_embed` (all, or the relations it names) and `_fields`."""
        shaped = {name: value for name, value in post.items() if name != "_embedded"}
        if "_embed" in values:
            asked = values["_embed"]
            relations = EMBEDDABLE if asked in ("", "1", "true") else [r.strip() for r in asked.split(",")]
            embedded = {name: value for name, value in post["_embedded"].items() if name in relations}
            if self.users_closed and "author" in embedded:
                embedded["author"] = [USERS_CLOSED]
            if embedded:
                shaped["_embedded"] = embedded
        if values.get("_fields"):
            shaped = _only(shaped, [name.strip() for name in values["_fields"].split(",")])
        return shaped

    # --- ampize/v1 ---

    def _items(self, params) -> Answer:
        """The plugin's window: the smallest page size (>= limit) and page that hold start..start+limit,
        the items cut out of that page; ordered by date (it passes "orderBy", which WP_Query ignores)."""
        values = dict(params)
        start, limit = _number(values.get("start"), 0), max(1, _number(values.get("limit"), 10))
        offset = _number(values.get("offset"), 0)
        page, size, head, tail = _window(start, limit)
        items = self.items if values.get("order", "DESC").upper() != "ASC" else self.items[::-1]
        on_page = items[(page - 1) * size : page * size]
        length = len(on_page) - head - offset - tail
        cut = on_page[head + offset : head + offset + length] if length >= 0 else on_page[head + offset : length]
        return _ok(
            {
                "numItems": len(items),
                "numPages": math.ceil(len(items) / size),
                "pageSize": size,
                "currentPage": page,
                "items": cut if on_page else None,
            }
        )

    def _item(self, params, number: str) -> Answer:
        """The item and its relatedPosts; an unknown id is the plugin's `null`, status 200."""
        by_id = {item["id"]: item for item in self.items}
        item = by_id.get(int(number))
        if item is None:
            return _ok(None)
        related = [by_id[i] for i in self.related.get(item["id"], []) if i in by_id][:RELATED_MAX]
        return _ok({**item, "relatedPosts": related})


def _ok(data) -> Answer:
    return Answer(200, dict(_HEADERS), data)


def _route(name: str) -> dict:
    namespace = "/".join(name.strip("/").split("/")[:2])
    return {"namespace": namespace, "methods": ["GET"], "endpoints": [{"methods": ["GET"], "args": {}}]}


def _integer(values: dict, name: str, default: int, low: int, high: int | None, invalid: dict) -> int:
    text = values.get(name)
    if text is None:
        return default
    try:
        number = int(text)
    except ValueError:
        invalid[name] = f"{name} n’est pas de type integer."
        return default
    if number < low or (high is not None and number > high):
        bounds = f"entre {low} (inclus) et {high} (inclus)" if high else f"supérieur ou égal à {low}"
        invalid[name] = f"{name} doit être {bounds}"
    return number


def _instant(text: str, name: str, invalid: dict) -> datetime:
    """An ISO 8601 instant; without an offset, the site's wall clock (Paris)."""
    if not _DATE.fullmatch(text):
        invalid[name] = f"{name} n’est pas une date valide."
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text.replace(" ", "T").replace("t", "T").replace("z", "Z"))
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _within(post: dict, name: str, bound: datetime) -> bool:
    moment = datetime.fromisoformat(post[DATE_FILTERS[name]]).replace(tzinfo=UTC)
    return moment > bound if name.endswith("after") else moment < bound


def _sort_value(post: dict, key: str):
    value = post[key]
    return value["rendered"] if isinstance(value, dict) else value


def _page_url(params: list[tuple[str, str]], page: int) -> str:
    """The listing's address for *page*, the other parameters kept (WordPress's add_query_arg)."""
    pairs = [(name, str(page) if name == "page" else value) for name, value in params]
    if all(name != "page" for name, _ in params):
        pairs.append(("page", str(page)))
    return f"{API_ROOT}{WP}/posts?" + urlencode(pairs)


def _only(post: dict, fields: list[str]) -> dict:
    """`_fields`: the named fields, "a.b" naming one key of a nested object."""
    kept: dict = {}
    for name, value in post.items():
        inner = [f.partition(".")[2] for f in fields if f.partition(".")[0] == name]
        if "" in inner:
            kept[name] = value
        elif inner and isinstance(value, dict):
            kept[name] = {key: value[key] for key in inner if key in value}
    return kept


def _number(text: str | None, default: int) -> int:
    try:
        return max(0, int(text)) if text is not None else default
    except ValueError:
        return default


def _window(start: int, limit: int) -> tuple[int, int, int, int]:
    """(page, page size, items before start on that page, items after start+limit on it)."""
    for size in range(limit, start + limit + 1):
        for shift in range(size - limit + 1):
            if (start - shift) % size == 0:
                page = (start - shift) // size + 1
                return page, size, shift, page * size - (start + limit)
    return 1, limit, 0, 0
