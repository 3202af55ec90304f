"""For `scrapyd-deploy` (scrapyd-client runs `setup.py bdist_egg`): everything is in pyproject.toml,
including the `scrapy` entry point that names the settings module scrapyd loads from the egg."""

from setuptools import setup

setup()
