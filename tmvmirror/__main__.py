"""Command line of the mirror.

    python -m tmvmirror serve [--articles N] [--seed S] [--host H] [--port P] [--port-file FILE]
    python -m tmvmirror serve --from DIR     # a site written by `generate`, or the reference mirror
    python -m tmvmirror serve --faults SEED  # fault mode: plan_faults(site, SEED, sitemaps=True)
    python -m tmvmirror generate --articles N --seed S --out DIR

`serve` prints "serving N articles at http://HOST:PORT" and serves until SIGINT or
SIGTERM (exit 0); `--port-file` receives the root URL once the server listens.  With
`--faults`, one line per faulty path follows: "PATH: DESCRIPTION" (see faults.py).
`generate` writes the site in the layout of the reference mirror (files/, manifest.json,
expected.jsonl, truth.json; api.json with --api).  Both take --extra-articles, --modified, --layouts
legacy,current,amp, --sitemaps index|robots|unnamed|none|gzip, --without a,b, --api wp/v2,ampize/v1 and
--users-closed (see build_site).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from .api import NAMESPACES
from .faults import plan_faults
from .model import LAYOUTS
from .server import MirrorServer
from .site import MIN_ARTICLES, SITEMAP_STYLES, WITHOUT, Site, build_site
from .themes import THEMES


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _port(text: str) -> int:
    value = _count(0)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return value


def _names(known, allow_empty: bool):
    def parse(text: str) -> tuple[str, ...]:
        names = tuple(name.strip() for name in text.split(",") if name.strip())
        unknown = [name for name in names if name not in known]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        if not names and not allow_empty:
            raise argparse.ArgumentTypeError("at least one name is needed")
        return names

    return parse


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles", type=_count(MIN_ARTICLES), default=300, metavar="N", help="number of articles (default 300)"
    )
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument(
        "--extra-articles", type=_count(0), default=0, metavar="K", help="newer articles added to the site (default 0)"
    )
    parser.add_argument(
        "--modified",
        type=_count(0),
        default=0,
        metavar="M",
        help="articles given a later modification and a changed paragraph (default 0)",
    )
    parser.add_argument(
        "--layouts",
        type=_names(LAYOUTS + THEMES, False),
        default=LAYOUTS,
        metavar="L,L",
        help=f"article layouts, some of {','.join(LAYOUTS + THEMES)} (default the first three; "
        "the themes alone: a site held out in them)",
    )
    parser.add_argument(
        "--sitemaps",
        choices=SITEMAP_STYLES,
        default="robots",
        help="sitemap style (default robots: robots.txt names /sitemap.xml, the www style; "
        "index: /sitemap_index.xml, WordPress's)",
    )
    parser.add_argument(
        "--without",
        type=_names(WITHOUT, True),
        default=(),
        metavar="A,B",
        help=f"taken away from every article: {','.join(sorted(WITHOUT))}",
    )
    parser.add_argument(
        "--api",
        type=_names(NAMESPACES, True),
        default=(),
        metavar="NS,NS",
        help=f"JSON APIs served under /wp-json/, some of {','.join(NAMESPACES)} (default none)",
    )
    parser.add_argument(
        "--users-closed", action="store_true", help="wp/v2: the users route is closed (embedded authors are its 401)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tmvmirror", description="A local mirror of the tmv site (www.tmvtours.fr)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a synthetic site over HTTP")
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, metavar="P", help="port (default 0: a free one)")
    serve.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="serve a site written by 'generate' (or the reference mirror) instead",
    )
    serve.add_argument("--port-file", type=Path, metavar="FILE", help="write the root URL here once listening")
    serve.add_argument(
        "--faults",
        type=int,
        metavar="SEED",
        help="fault mode: serve the faults of plan_faults(site, SEED, sitemaps=True)",
    )
    serve.set_defaults(run=_serve)
    generate = commands.add_parser("generate", help="write a synthetic site to a directory")
    _site_options(generate)
    generate.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    generate.set_defaults(run=_generate)
    return parser


def _site(args):
    return build_site(
        args.articles,
        args.seed,
        extra_articles=args.extra_articles,
        modified=args.modified,
        layouts=args.layouts,
        sitemaps=args.sitemaps,
        without=frozenset(args.without),
        api=args.api,
        users_closed=args.users_closed,
    )


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _serve(args) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        site = Site.load(args.source) if args.source else _site(args)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: cannot load a site from {args.source}: {error}", file=sys.stderr)
        return 2
    try:
        faults = {} if args.faults is None else plan_faults(site, args.faults, sitemaps=True)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        server = MirrorServer(site, args.host, args.port, faults=faults)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    server.start()
    if args.port_file:  # before the message: a reader of either may rely on the other
        _write_atomically(args.port_file, server.root + "\n")
    print(f"serving {len(site.expected)} articles at {server.root}")
    for path, fault in faults.items():
        print(f"{path}: {fault.describe()}")
    sys.stdout.flush()
    while not stop.wait(0.2):
        pass
    server.stop()
    return 0


def _generate(args) -> int:
    site = _site(args)
    site.write(args.out)
    print(f"wrote {len(site.expected)} articles ({len(site.pages)} pages) to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
