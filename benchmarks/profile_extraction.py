"""Extraction alone, per layout, on fresh responses: the time of each phase of read_article (the HTML parse, parser_for, ArticleParser.__init__, the field methods, ArticleLoader, is_article), ArticleLoader against its processors called directly (items checked identical), then a cProfile of read_article on every page (``python benchmarks/profile_extraction.py [OUT.prof]``)."""

import cProfile
import pstats
import sys
import time
from collections import defaultdict

from itemloaders.utils import arg_to_iter
from mirror_pages import fresh as mirror_fresh, pages_by_layout

from tmvmirror.site import ROOT
from tmvspider import processors as P, urls
from tmvspider.items import FIELDS, ArticleItem, empty
from tmvspider.loaders import ArticleLoader
from tmvspider.parsers import base, parser_for, read_article

hosts = urls.hosts_of(ROOT)
rows = pages_by_layout(2000, seed=1)


def fresh(layout):
    return mirror_fresh(rows[layout])


class Recorder:
    """Stands for ArticleLoader in ArticleParser.parse: keeps the raw values."""

    def __init__(self):
        self.values = []

    def add_value(self, field, value):
        self.values.append((field, value))

    def load_item(self):
        return self.values


def mapc(f, value):
    out = []
    for v in arg_to_iter(value):
        r = f(v)
        if r is not None:
            out.extend(arg_to_iter(r))
    return out


def first_of(values):
    for v in values:
        if v is not None and v != "":
            return v
    return None


IN = {
    "url": None,
    "post_id": P.to_int,
    "published_at": P.parse_timestamp,
    "modified_at": P.parse_timestamp,
    "related": None,
    "image": None,
    "body": None,
    "interview": None,
    "crawled_at": None,
}
OUT = {
    "published_at": P.pick_instant,
    "modified_at": P.pick_instant,
    "categories": P.unique_casefold,
    "tags": P.unique_casefold,
    "related": P.unique,
    "body": P.join_blocks,
    "interview": P.build_interview,
}


def plain_load(raw):
    """ArticleLoader's processors called directly: the same values, no itemloaders machinery."""
    collected = {}
    for field, value in raw:
        f = IN.get(field, P.clean_text)
        values = list(arg_to_iter(value)) if f is None else mapc(f, value)
        if values:
            collected.setdefault(field, []).extend(values)
    item = ArticleItem()
    for field in FIELDS:
        if field in collected:
            out = OUT.get(field)
            value = out(collected[field]) if out else first_of(collected[field])
            item[field] = value if value is not None else empty(field)
        else:
            item[field] = empty(field)
    return item


def loader_load(raw):
    loader = ArticleLoader()
    for field, value in raw:
        loader.add_value(field, value)
    return loader.load_item()


def clock(f, *a):
    t = time.process_time()
    r = f(*a)
    return r, 1000 * (time.process_time() - t)


report = {}
for layout in ("legacy", "current", "amp"):
    best = defaultdict(lambda: 1e9)
    for rep in range(4):
        resp = fresh(layout)
        n = len(resp)
        _, t_sel = clock(lambda: [r.selector.root for r in resp])
        classes, t_for = clock(lambda: [parser_for(r) for r in resp])
        ps, t_init = clock(
            lambda: [c(r, hosts=hosts, crawled_at="2026-12-02T00:00:00Z") for c, r in zip(classes, resp)]
        )
        orig = base.ArticleLoader
        base.ArticleLoader = Recorder
        raws, t_fields = clock(lambda: [p.parse() for p in ps])
        base.ArticleLoader = orig
        items, t_loader = clock(lambda: [loader_load(r) for r in raws])
        plain, t_plain = clock(lambda: [plain_load(r) for r in raws])
        _, t_isart = clock(lambda: [p.is_article(i) for p, i in zip(ps, items)])
        assert [dict(a) for a in items] == [dict(b) for b in plain], "plain loader differs"
        for k, v in (
            ("HTML parse (response.selector)", t_sel),
            ("parser_for", t_for),
            ("ArticleParser.__init__", t_init),
            ("field methods", t_fields),
            ("ArticleLoader (itemloaders)", t_loader),
            ("loader as plain calls", t_plain),
            ("is_article", t_isart),
        ):
            best[k] = min(best[k], v / n)
    report[layout] = dict(best)
for layout, b in report.items():
    total = sum(v for k, v in b.items() if k != "loader as plain calls")
    print(f"{layout}: total {total:.3f} ms/page")
    for k, v in b.items():
        print(f"   {k:<34} {v:.3f}")

# cProfile of read_article on every page (fresh responses)
allresp = [r for layout in ("legacy", "current", "amp") for r in fresh(layout)]
pr = cProfile.Profile()
pr.enable()
for r in allresp:
    read_article(r, hosts=hosts)
pr.disable()
pr.dump_stats(sys.argv[1]) if len(sys.argv) > 1 else None
st = pstats.Stats(pr)
st.sort_stats("cumulative").print_stats(45)
