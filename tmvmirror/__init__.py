"""A local mirror of the tmv site for tests and demos: synthetic articles in the legacy and
current page layouts (and, with ``layouts=(..., "amp")``, the www front-end's amp layout),
with every variation of the live site, served over HTTP.

    from tmvmirror import build_site, MirrorServer
    with MirrorServer(build_site(120)) as server:
        ...  # crawl server.root

Command line: ``python -m tmvmirror serve|generate --help``.
"""

from .server import MirrorServer
from .site import ROOT, Page, Site, build_site

__all__ = ["ROOT", "MirrorServer", "Page", "Site", "build_site"]
