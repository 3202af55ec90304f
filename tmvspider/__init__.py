"""tmvspider: a Scrapy crawler for tmv, the free weekly of Tours (www.tmvtours.fr)."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/tmvspider/tmvspider"
LIVE_ROOT = "https://www.tmvtours.fr"
LIVE_API_ROOT = "https://tmv.tmvtours.fr/wp-json/"  # the WordPress host serves the API the www front-end reads
