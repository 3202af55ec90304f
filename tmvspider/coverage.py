"""Coverage alarms: a run that reads too little of what the pages show says so, loudly.

At the end of a run each field's coverage over the articles it read (every article
the parsers returned, exported or not) is held against its threshold
(``TMV_COVERAGE_MIN``, percent), once the run has read ``TMV_COVERAGE_MIN_ITEMS``
articles (a small incremental run reads too few to tell). A field below its
threshold, a full walk that reads no article at all, or more than
``TMV_NOT_ARTICLE_MAX`` percent of the article pages asked for that do not read as
articles (a redesign the readers do not follow), is an ERROR line naming it, its
coverage and three sample URLs, ``tmv/alarm/<field>`` in the stats, a part
of the summary line, and exit code 3 (outcome.ALARM_EXIT).

A daily run reads a handful of articles, too few for the thresholds: it is held to the site's
own history instead. The crawl state keeps which fields each exported article has; the
``TMV_COVERAGE_HISTORY`` articles last exported before the run (once they are
``TMV_COVERAGE_MIN_ITEMS`` at least) give each watched field its share p0. A run that read *n*
articles, *k* of them with the field, alarms when P[X <= k] under Binomial(n, p0) is below
``TMV_COVERAGE_SIGNIFICANCE`` (0.001), whatever *n*: nine articles without tags against a
history of 96 % is p ~ 1e-13, two of three without against 60 % is p = 0.35. p0 counts one more
article with the field and one without (Laplace's rule), so that a field every past article
had is not held to 100 %; a field under 5 % of the history cannot fall and is not tested. The
history is the one taken as the run starts: the run is judged before its articles join it, and
a broken day then weighs 9 in 500 (96 % becomes 94 %), so the next broken days alarm as well;
once the reader is fixed, ``tmvspider reextract`` replaces those versions in the history too.

Not spidermon's FieldCoverageMonitor: it counts a field as covered when the item
has it, and every field of ours always is (null or empty when unread;
``SPIDERMON_FIELD_COVERAGE_SKIP_NONE`` leaves ``[]`` and ``""`` covered), and it
reports through monitor suites rather than the run's exit code.
"""

from __future__ import annotations

import logging
import math

from scrapy import signals

from . import statkeys
from .keeper import keeper_of

logger = logging.getLogger(__name__)

SAMPLES = 3  # URLs quoted per field that a page did not give
RARE = 0.05  # a field under this share of the history cannot fall far: not tested


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P[X <= k] for X ~ Binomial(n, p), summed exactly term by term (in logs: the binomial
    coefficients of a full walk overflow a float)."""
    if k >= n or p <= 0:
        return 1.0
    if p >= 1:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    return math.fsum(math.exp(math.log(math.comb(n, i)) + i * log_p + (n - i) * log_q) for i in range(k + 1))


def history_p_value(filled: int, read: int, had: int, history: int) -> float | None:
    """How likely a run reading *filled* of *read* articles with a field, or fewer, is when the
    field's share is the history's (*had* of *history*, by Laplace's rule); None for a field the
    history rarely has."""
    share = (had + 1) / (history + 2)
    return None if share < RARE else binomial_cdf(filled, read, share)


class CoverageAlarm:
    def __init__(self, crawler):
        self.crawler = crawler
        self.thresholds: dict[str, float] = {
            k: float(v) for k, v in crawler.settings.getdict("TMV_COVERAGE_MIN").items()
        }
        self.min_items = crawler.settings.getint("TMV_COVERAGE_MIN_ITEMS")
        self.not_article_max = crawler.settings.getfloat("TMV_NOT_ARTICLE_MAX")
        self.significance = crawler.settings.getfloat("TMV_COVERAGE_SIGNIFICANCE")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats
        read = stats.get_value(statkeys.ITEMS_READ, 0)
        if read:
            for field in self.thresholds:
                missing = stats.get_value(statkeys.key(statkeys.MISSING, field), 0)
                stats.set_value(statkeys.key(statkeys.COVERAGE, field), round(100 * (read - missing) / read, 1))
        history, had = keeper_of(self.crawler).history
        if history < self.min_items:
            history = 0  # too few articles exported yet (a first full walk): the fixed thresholds
        else:
            stats.set_value(statkeys.HISTORY_ARTICLES, history)
            for field in self.thresholds:
                stats.set_value(statkeys.key(statkeys.HISTORY, field), round(100 * had.get(field, 0) / history, 1))
        if reason != "finished":
            return  # a stopped run read what it had time for: no verdict on the site
        if stats.get_value(statkeys.FULL_WALK) and not read and not stats.get_value(statkeys.SKIPPED_KNOWN):
            self.alarm(
                "no_article",
                "no article found: the full walk read no article page "
                f"({stats.get_value(statkeys.ARTICLE_REQUESTS, 0)} asked for, "
                f"{stats.get_value(statkeys.NOT_ARTICLE, 0)} not read as articles)",
                0.0,
            )
            return
        asked = stats.get_value(statkeys.ARTICLE_REQUESTS, 0)
        unread = stats.get_value(statkeys.NOT_ARTICLE, 0)
        if asked >= self.min_items and 100 * unread / asked > self.not_article_max:
            self.alarm(
                "not_article",
                f"{unread} of {asked} article pages did not read as articles "
                f"({100 * unread / asked:.1f} %, threshold {self.not_article_max:g} %): has the theme changed? "
                "try tmvspider probe",
                round(100 * unread / asked, 1),
            )
        for field, threshold in self.thresholds.items():
            coverage = stats.get_value(statkeys.key(statkeys.COVERAGE, field))
            if coverage is None:
                continue
            samples = ", ".join(stats.get_value(statkeys.key(statkeys.MISSING_SAMPLES, field), [])[:SAMPLES])
            samples = f", e.g. {samples}" if samples else ""
            filled = read - stats.get_value(statkeys.key(statkeys.MISSING, field), 0)
            p = history_p_value(filled, read, had.get(field, 0), history) if history else None
            if p is not None and p < self.significance:
                self.alarm(
                    field,
                    f"{field} {coverage} % in this run ({filled} of {read}) against "
                    f"{stats.get_value(statkeys.key(statkeys.HISTORY, field))} % over the last {history} articles "
                    f"(p < {self.significance:g}){samples}",
                    coverage,
                )
                stats.set_value(
                    statkeys.key(statkeys.ALARM_HISTORY, field), stats.get_value(statkeys.key(statkeys.HISTORY, field))
                )
            elif read >= self.min_items and coverage < threshold:
                self.alarm(
                    field,
                    f"{field} read on {coverage} % of {read} articles (threshold {threshold:g} %){samples}",
                    coverage,
                )

    def alarm(self, name: str, message: str, value: float) -> None:
        stats = self.crawler.stats
        stats.set_value(statkeys.key(statkeys.ALARM, name), value)
        stats.inc_value(statkeys.ALARM_COUNT)
        logger.error("coverage alarm: %s", message)
