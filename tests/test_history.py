"""Coverage alarms held to the site's own history (coverage.py): the binomial test, the
state's history, and a daily run whose new pages lost their tags."""

from __future__ import annotations

import math

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.coverage import binomial_cdf, history_p_value
from tmvspider.state import CrawlState

from .conftest import run_crawl
from .test_state import item, write_feed

N, SEED, DAY = 80, 22, 9  # a first walk of 80 articles, then a day of 9 new ones


def test_the_binomial_tail_is_exact():
    assert binomial_cdf(1, 9, 0.96) == pytest.approx(0.04**9 + 9 * 0.96 * 0.04**8, rel=1e-12)
    assert binomial_cdf(3, 3, 0.5) == 1.0 and binomial_cdf(0, 3, 0.5) == pytest.approx(0.125)
    assert binomial_cdf(0, 5, 0.0) == 1.0 and binomial_cdf(4, 5, 1.0) == 0.0
    # a full walk's coefficients overflow a float: summed in logs, against the normal approximation
    assert binomial_cdf(1000, 2000, 0.5) == pytest.approx(0.5 + math.comb(2000, 1000) / 2**2001, rel=1e-9)


def test_eight_of_nine_without_tags_against_a_history_of_96_percent_is_an_alarm():
    assert history_p_value(1, 9, 480, 500) < 1e-9


def test_nine_of_nine_or_a_small_day_near_its_history_is_no_alarm():
    assert history_p_value(9, 9, 480, 500) == 1.0
    assert history_p_value(8, 9, 480, 500) > 0.3
    assert history_p_value(1, 3, 300, 500) == pytest.approx(0.4**3 + 3 * 0.6 * 0.4**2, rel=1e-2)  # 2 of 3 missing


def test_a_field_every_past_article_had_is_not_held_to_100_percent():
    assert history_p_value(8, 9, 500, 500) > 0.001  # one title missing is no alarm
    assert history_p_value(0, 9, 500, 500) < 1e-20


def test_a_field_the_history_rarely_has_is_not_tested():
    assert history_p_value(0, 9, 20, 500) is None


def test_the_history_is_each_fields_count_over_the_last_articles_exported(tmp_path):
    state = CrawlState(tmp_path / "state")

    def article(name: str, day: int, tags: list[str]) -> dict:
        return {
            **item(f"https://x/article/{name}/"),
            "title": "T",
            "tags": tags,
            "crawled_at": f"2026-01-0{day}T03:00:00Z",
        }

    old = [article(f"o{i}", 1, ["a"]) for i in range(4)]
    state.record_feed(write_feed(tmp_path / "a.jsonl", old))
    new = [article(f"n{i}", 2, []) for i in range(2)]
    state.record_feed(write_feed(tmp_path / "b.jsonl", new))
    n, had = state.field_history(3)
    assert n == 3 and had.get("tags") == 1 and had["title"] == 3 and "interview" not in had
    assert state.field_history(100)[0] == 6 and state.field_history(100)[1]["tags"] == 4
    state.close()


def errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "ERROR" in line and "coverage alarm" in line]


def test_a_day_whose_new_pages_lost_their_tags_exits_3_while_a_normal_day_exits_0(tmp_path):
    with MirrorServer(build_site(N, seed=SEED)) as server:
        first = run_crawl(server.root, tmp_path / "broken")
        assert first.returncode == 0, first.log[-2000:]
        assert run_crawl(server.root, tmp_path / "normal").returncode == 0
        lost = build_site(N, seed=SEED, extra_articles=DAY, without_new={"tags"})
        whole = build_site(N, seed=SEED, extra_articles=DAY)
        kept = lost.articles[-1].path  # one of the nine kept its tags, under every spelling the crawl may meet
        for path in [kept, *(alias for alias, page in lost.truth["aliases"].items() if page == kept)]:
            lost.pages[path] = whole.pages[path]
        server.site = lost
        broken = run_crawl(server.root, tmp_path / "broken")
        server.site = whole
        normal = run_crawl(server.root, tmp_path / "normal")
    assert broken.returncode == 3, broken.log[-3000:]
    assert broken.stats["tmv/new"] == DAY and broken.stats["tmv/items_read"] == DAY
    assert broken.stats["tmv/history_articles"] == N and broken.stats["tmv/history/tags"] == 90.0
    (line,) = errors(broken.log)
    assert "tags 11.1 % in this run (1 of 9) against 90.0 % over the last 80 articles (p < 0.001)" in line
    summary = "ALARM: coverage alarm: tags 11.1 % (1 of 9) against 90.0 % over the last 80 articles"
    assert summary in broken.log and list(k for k in broken.stats if k.startswith("tmv/alarm/")) == ["tmv/alarm/tags"]
    assert broken.stats["tmv/alarm_history/tags"] == 90.0
    assert normal.returncode == 0, normal.log[-3000:]
    assert normal.stats["tmv/new"] == DAY and not errors(normal.log)
