"""The article loader: which normaliser (processors.py) serves which field.

Parsers add raw values as the page shows them, most reliable source first; the
loader folds text, reads timestamps, dedups tags and builds the interview.
"""

from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from .items import FIELDS, ArticleItem, empty
from .processors import (
    build_interview,
    clean_text,
    join_blocks,
    parse_timestamp,
    pick_instant,
    to_int,
    unique,
    unique_casefold,
)

class ArticleLoader(ItemLoader):
    default_item_class = ArticleItem
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    url_in = Identity()
    post_id_in = MapCompose(to_int)

    published_at_in = MapCompose(parse_timestamp)
    published_at_out = Compose(pick_instant)
    modified_at_in = MapCompose(parse_timestamp)
    modified_at_out = Compose(pick_instant)

    categories_out = Compose(unique_casefold)
    tags_out = Compose(unique_casefold)
    related_in = Identity()
    related_out = Compose(unique)

    image_in = Identity()
    # body and interview both read the same list of processors.Block
    body_in = Identity()
    body_out = Compose(join_blocks)
    interview_in = Identity()
    interview_out = Compose(build_interview)
    crawled_at_in = Identity()

    def load_item(self) -> ArticleItem:
        item = super().load_item()
        for field in FIELDS:  # every field present: unreadable ones are null or empty
            if field not in item:
                item[field] = empty(field)
        return item
