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

Not spidermon's FieldCoverageMonitor: it counts a field as covered when the item
has it, and every field of ours always is (null or empty when unread;
``SPIDERMON_FIELD_COVERAGE_SKIP_NONE`` leaves ``[]`` and ``""`` covered), and it
reports through monitor suites rather than the run's exit code.
"""

from __future__ import annotations

import logging

from scrapy import signals

from . import statkeys

logger = logging.getLogger(__name__)

SAMPLES = 3  # URLs quoted per field that a page did not give


class CoverageAlarm:
    def __init__(self, crawler):
        self.crawler = crawler
        self.thresholds: dict[str, float] = {
            k: float(v) for k, v in crawler.settings.getdict("TMV_COVERAGE_MIN").items()
        }
        self.min_items = crawler.settings.getint("TMV_COVERAGE_MIN_ITEMS")
        self.not_article_max = crawler.settings.getfloat("TMV_NOT_ARTICLE_MAX")
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
        if read < self.min_items:
            return
        for field, threshold in self.thresholds.items():
            coverage = stats.get_value(statkeys.key(statkeys.COVERAGE, field))
            if coverage is not None and coverage < threshold:
                samples = ", ".join(stats.get_value(statkeys.key(statkeys.MISSING_SAMPLES, field), [])[:SAMPLES])
                self.alarm(
                    field,
                    f"{field} read on {coverage} % of {read} articles (threshold {threshold:g} %)"
                    f"{', e.g. ' + samples if samples else ''}",
                    coverage,
                )

    def alarm(self, name: str, message: str, value: float) -> None:
        stats = self.crawler.stats
        stats.set_value(statkeys.key(statkeys.ALARM, name), value)
        stats.inc_value(statkeys.ALARM_COUNT)
        logger.error("coverage alarm: %s", message)
