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
    """Processors are class attributes (``<field>_in``/``_out``, the defaults): looked up once
    per loader class and field, not again for every value of every page."""

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

    def get_input_processor(self, field_name: str):
        return _processor(type(self), field_name, "in", super().get_input_processor)

    def get_output_processor(self, field_name: str):
        return _processor(type(self), field_name, "out", super().get_output_processor)

    def load_item(self) -> ArticleItem:
        item = super().load_item()
        for field in FIELDS:  # every field present: unreadable ones are null or empty
            if field not in item:
                item[field] = empty(field)
        return item


_PROCESSORS: dict = {}  # (loader class, field, "in"/"out") -> processor


def _processor(loader: type, field: str, way: str, look_up):
    key = (loader, field, way)
    if key not in _PROCESSORS:
        _PROCESSORS[key] = look_up(field)
    return _PROCESSORS[key]
