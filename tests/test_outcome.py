"""The run's verdict, summary line and failure reasons (outcome.py), and the encoding fix."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, TimeoutError

from tmvspider.keeper import left_holes
from tmvspider.middlewares import DeclaredEncodingMiddleware
from tmvspider.outcome import exit_code, failure, failure_reason, summary

GOOD = {
    "finish_reason": "finished",
    "response_received_count": 10,
    "item_scraped_count": 8,
    "tmv/new": 8,
    "downloader/request_count": 11,
}


@pytest.mark.parametrize(
    "stats, verdict",
    [
        (GOOD, None),
        # Ctrl-C is a clean stop, but not the end of the run: cron must tell it from one
        ({**GOOD, "finish_reason": "shutdown"}, "the crawl was stopped before its end (shutdown)"),
        ({k: v for k, v in GOOD.items() if k != "finish_reason"}, "the crawl was stopped before its end (forced)"),
        ({**GOOD, "tmv/failed/http_404": 3}, None),  # a dead page is the site's problem, not the run's
        ({**GOOD, "spider_exceptions/ValueError": 2}, "2 spider error(s), see the log"),
        ({**GOOD, "log_count/ERROR": 1}, "1 error(s) in the log"),
        (
            {**GOOD, "response_received_count": 0},
            "nothing could be fetched (is the site reachable, are the pages there?)",
        ),
        ({**GOOD, "finish_reason": "closespider_errorcount"}, "the crawl stopped early (closespider_errorcount)"),
        ({**GOOD, "tmv/full_walk": True}, None),  # no article found: a coverage alarm (exit 3), not a failure
        ({**GOOD, "tmv/full_walk": True, "tmv/requests/article": 8}, None),
        ({**GOOD, "tmv/skipped/known": 8}, None),  # an incremental run may find nothing new
        # a failed write stopped the run (disk.DiskGuard), or only the stats file failed, at the very end
        (
            {
                **GOOD,
                "finish_reason": "disk_error",
                "tmv/disk_error": "cannot write to /o/tmv (No space left on device)",
            },
            "cannot write to /o/tmv (No space left on device)",
        ),
        (
            {**GOOD, "tmv/disk_error": "cannot write to /o/tmv (Read-only file system)"},
            "cannot write to /o/tmv (Read-only file system)",
        ),
    ],
)
def test_failure_verdict(stats, verdict):
    assert failure(stats) == verdict


@pytest.mark.parametrize(
    "stats, recorded, whole",
    [
        (GOOD, 8, True),
        ({**GOOD, "tmv/failed/timeout": 2}, 8, True),  # no hole: the state keeps those pages for the next run
        ({**GOOD, "finish_reason": "shutdown"}, 8, False),  # stopped: what it had not reached is nowhere
        ({**GOOD, "spider_exceptions/ValueError": 1}, 8, False),
        ({**GOOD, "feedexport/failed_count/AtomicFileFeedStorage": 1}, 8, False),
        (GOOD, 0, False),  # exported to a feed the state cannot read (-o x.json)
    ],
)
def test_a_run_left_no_hole_only_when_the_state_names_every_gap(stats, recorded, whole):
    assert left_holes(stats, exported=stats["item_scraped_count"], recorded=recorded) is not whole


def test_summary_line():
    line = summary({**GOOD, "tmv/failed/http_404": 2, "tmv/failed/timeout": 1, "tmv/missing/author": 4})
    assert line == (
        "8 articles exported, 8 new, 0 updated, 0 unchanged, 11 requests, "
        "failed: http_404 2, timeout 1, fields missing: author 4"
    )
    # exported: what reached a feed stored whole, not what was read
    assert summary({**GOOD, "tmv/items_in_feeds": 3}).startswith(
        "3 articles exported (5 read, in no finished feed), 8 new"
    )
    line = summary({**GOOD, "tmv/invalid/interview": 1, "tmv/invalid": 2})
    assert line.endswith(
        ", fields left out, whole or in part (they broke the schema): interview 1, "
        "articles dropped (their url, title or a date broke the schema): 2"
    )
    line = summary({**GOOD, "tmv/missing/tags": 3, "tmv/field_errors/tags": 2, "tmv/field_errors/lead": 1})
    assert line.endswith(
        ", fields missing: tags 3, fields whose reader raised (left empty, see the log): lead 1, tags 2"
    )
    assert exit_code({**GOOD, "tmv/field_errors/tags": 2}) == 0  # a field's loss is no failure of the run
    # which discovery served, and the sources' disagreements
    line = summary({**GOOD, "tmv/api/used": "wp/v2", "tmv/disagree/author": 2})
    assert line.endswith(", 11 requests, through the API (wp/v2), sources disagree (see the log): author 2")
    line = summary({**GOOD, "tmv/api/closed": "wp/v2: 401 rest_cannot_access; ampize/v1: 404"})
    assert line.endswith(", through the pages (no API: wp/v2: 401 rest_cannot_access; ampize/v1: 404)")


def test_failure_reasons():
    response = HtmlResponse("http://x/", status=503, body=b"")
    assert failure_reason(HttpError(response)) == "http_503"
    assert failure_reason(IgnoreRequest("max redirections reached")) == "redirect_loop"
    assert failure_reason(IgnoreRequest("refused offsite redirect to a.example")) == "offsite"
    assert failure_reason(TimeoutError()) == "timeout"
    assert failure_reason(ConnectionRefusedError()) == "connection_refused"
    # what Scrapy 2.19's download handlers raise, Twisted's errors wrapped
    from scrapy import exceptions as scrapy_errors

    for error, reason in (
        (scrapy_errors.DownloadTimeoutError("took longer"), "timeout"),
        (scrapy_errors.DownloadConnectionRefusedError(), "connection_refused"),
        (scrapy_errors.ResponseDataLossError(), "truncated"),
        (scrapy_errors.DownloadCancelledError("maxsize"), "too_large"),
        (scrapy_errors.CannotResolveHostError("x"), "dns"),
        (scrapy_errors.DownloadFailedError("lost"), "connection_lost"),
        (ConnectionResetError(), "connection_lost"),
    ):
        assert failure_reason(error) == reason, error


def cp1252_page(meta: str) -> HtmlResponse:
    body = f'<html><head><meta charset="{meta}"></head><body><p>Été à Tours ; ça sort !</p></body></html>'
    return HtmlResponse(
        "http://x/article/a/", body=body.encode("cp1252"), headers={"Content-Type": "text/html; charset=utf-8"}
    )


def test_a_page_is_read_in_the_encoding_it_declares_when_the_header_is_wrong():
    stats = get_crawler().stats
    middleware = DeclaredEncodingMiddleware(stats)
    fixed = middleware.process_response(Request("http://x/"), cp1252_page("windows-1252"))
    assert fixed.text.count("Été à Tours ; ça sort !") == 1
    assert stats.get_value("tmv/encoding_fixed") == 1
    unfixable = middleware.process_response(Request("http://x/"), cp1252_page("utf-8"))
    assert "\ufffd" in unfixable.text
    assert stats.get_value("tmv/encoding_errors") == 1


def test_the_encoding_fix_sees_decompressed_bodies():
    """Responses go through downloader middlewares from high to low priority."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("tmvspider.settings")
    ours = settings.getdict("DOWNLOADER_MIDDLEWARES")["tmvspider.middlewares.DeclaredEncodingMiddleware"]
    decompression = settings.getdict("DOWNLOADER_MIDDLEWARES_BASE")[
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"
    ]
    assert ours < decompression


def test_coverage_alarms_have_their_own_verdict_and_exit_code():
    from tmvspider.outcome import ALARM_EXIT, alarms, exit_code

    alarmed = {**GOOD, "tmv/alarm/author": 12.5, "tmv/alarm_count": 1, "log_count/ERROR": 1}
    assert failure(alarmed) is None  # the alarm's ERROR line is not a failure of the run
    assert alarms(alarmed) == "coverage alarm: author 12.5 %"
    assert exit_code(alarmed) == ALARM_EXIT == 3
    assert exit_code({**alarmed, "log_count/ERROR": 2}) == 1  # another error: the run failed
    assert "no article found" in alarms({**GOOD, "tmv/alarm/no_article": 0.0})
    assert exit_code(GOOD) == 0 and alarms(GOOD) is None
