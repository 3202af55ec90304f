"""``python benchmarks/profile_queries.py``: (1) time spent in the layouts' compiled CSS queries (metadata.css) per page;
(2) the same extraction on a tree parsed by lxml.etree.HTMLParser (no lxml.html element class lookup);
(3) parsel's HTML parse vs lxml.etree.fromstring on the bytes."""

import time
from collections import defaultdict

import parsel.selector as ps
from lxml import etree, html as lhtml
from mirror_pages import fresh as mirror_fresh, pages_by_layout

from tmvmirror.site import ROOT
from tmvspider import urls
from tmvspider.parsers import base, metadata, read_article

hosts = urls.hosts_of(ROOT)
rows = pages_by_layout(2000, seed=1)


def fresh(layout):
    return mirror_fresh(rows[layout])


# (1) CSS query time
spent = defaultdict(float)
calls = defaultdict(int)
orig_css = metadata.css


class Timed:
    def __init__(self, sel):
        self.sel, self.x = sel, orig_css(sel)

    def __call__(self, root):
        t = time.perf_counter()
        r = self.x(root)
        spent[self.sel] += time.perf_counter() - t
        calls[self.sel] += 1
        return r


cache = {}


def timed_css(sel):
    if sel not in cache:
        cache[sel] = Timed(sel)
    return cache[sel]


metadata.css = timed_css
base.css = timed_css
for layout in ("legacy", "current", "amp"):
    spent.clear()
    calls.clear()
    resp = fresh(layout)
    for r in resp:
        r.selector
    t = time.perf_counter()
    for r in resp:
        read_article(r, hosts=hosts)
    total = (time.perf_counter() - t) / len(resp) * 1000
    q = sum(spent.values()) / len(resp) * 1000
    print(f"{layout}: read_article (tree parsed) {total:.3f} ms/page, of which CSS queries {q:.3f} ms/page")
    for sel, s in sorted(spent.items(), key=lambda kv: -kv[1])[:6]:
        print(f"    {1000 * s / len(resp):.3f}  {calls[sel] / len(resp):.1f}/page  {sel[:90]}")
metadata.css = orig_css
base.css = orig_css


# (2) etree.HTMLParser instead of lxml.html.HTMLParser under parsel
def run(parser_cls):
    ps._ctgroup["html"]["_parser"] = parser_cls
    out = {}
    for layout in ("legacy", "current", "amp"):
        best = 1e9
        items = None
        for _ in range(3):
            resp = fresh(layout)
            t = time.process_time()
            items = [read_article(r, hosts=hosts)[1] for r in resp]
            best = min(best, (time.process_time() - t) / len(resp) * 1000)
        out[layout] = (best, [dict(i) if i else None for i in items])
    return out


a = run(lhtml.HTMLParser)
try:
    b = run(etree.HTMLParser)
    for layout in a:
        same = [dict(x, crawled_at=None) if x else x for x in a[layout][1]] == [
            dict(x, crawled_at=None) if x else x for x in b[layout][1]
        ]
        print(
            f"{layout}: lxml.html tree {a[layout][0]:.3f} ms/page, lxml.etree tree {b[layout][0]:.3f} ms/page, same items: {same}"
        )
except Exception as e:
    print("etree.HTMLParser breaks extraction:", type(e).__name__, e)
ps._ctgroup["html"]["_parser"] = lhtml.HTMLParser

# (3) parse alone
for layout in ("legacy", "current", "amp"):
    resp = fresh(layout)
    t = time.process_time()
    [r.selector.root for r in resp]
    sel = (time.process_time() - t) / len(resp) * 1000
    t = time.process_time()
    [etree.fromstring(r.body, etree.HTMLParser(encoding="utf-8")) for r in resp]
    raw = (time.process_time() - t) / len(resp) * 1000
    t = time.process_time()
    [lhtml.fromstring(r.body, parser=lhtml.HTMLParser(encoding="utf-8")) for r in resp]
    rawh = (time.process_time() - t) / len(resp) * 1000
    print(
        f"{layout}: response.selector {sel:.3f}, lxml.html on bytes {rawh:.3f}, lxml.etree on bytes {raw:.3f} ms/page"
    )
