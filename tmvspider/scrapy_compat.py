"""What the project reads of Scrapy that Scrapy does not offer publicly, in one place.

Each function here names the private detail it relies on; tests/test_scrapy_compat.py
fails when a Scrapy release changes it (pyproject pins scrapy <2.20).
"""

from __future__ import annotations


def robots_sitemaps(robotparser) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt Scrapy parsed. Scrapy's ``RobotParser``
    interface offers only ``allowed()`` and ``crawl_delay()``; its Protego implementation
    (the default, ``ROBOTSTXT_PARSER``) keeps the Protego object, whose ``sitemaps`` is
    public, as ``rp``."""
    return list(getattr(getattr(robotparser, "rp", None), "sitemaps", None) or [])
