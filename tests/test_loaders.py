"""The article loader: which normaliser serves which field, on raw values as pages show them."""

from itemloaders.processors import MapCompose

from tmvspider.items import FIELDS
from tmvspider.loaders import ArticleLoader
from tmvspider.processors import Block


def test_values_are_normalised_and_every_field_is_present():
    loader = ArticleLoader()
    loader.add_value("title", [None, "  Le\u00a0titre ", "Autre"])
    loader.add_value("tags", ["Vélo", " vélo ", "VÉLO", "Tours"])
    loader.add_value("published_at", [None, "1er février 2016 à 7h05", "2016-02-01T07:05:09+01:00"])
    loader.add_value("body", [Block("Un."), Block("Deux ?", True)])
    item = loader.load_item()
    assert set(item) == set(FIELDS)
    assert item["title"] == "Le titre"
    assert item["tags"] == ["Vélo", "Tours"]
    assert item["published_at"] == "2016-02-01T07:05:09+01:00"  # the value given to the second wins
    assert item["body"] == "Un.\n\nDeux ?"
    assert item["related"] == [] and item["lead"] is None and item["interview"] is None


def test_a_subclass_keeps_its_own_processors():
    """A subclass names its own processors; the base class keeps its own."""

    class Shouting(ArticleLoader):
        title_in = MapCompose(str.upper)

    plain, shouting = ArticleLoader(), Shouting()
    plain.add_value("title", "calme")
    shouting.add_value("title", "calme")
    assert (plain.load_item()["title"], shouting.load_item()["title"]) == ("calme", "CALME")
    again = ArticleLoader()
    again.add_value("title", "calme")
    assert again.load_item()["title"] == "calme"


def test_processors_are_looked_up_once_per_loader_class_and_field(monkeypatch):
    from scrapy.loader import ItemLoader

    looked_up = []
    look_up = ItemLoader.get_input_processor
    monkeypatch.setattr(
        ItemLoader,
        "get_input_processor",
        lambda self, field: looked_up.append((type(self).__name__, field)) or look_up(self, field),
    )

    class Fresh(ArticleLoader):  # a class of its own: nothing looked up for it yet
        pass

    for _ in range(3):
        loader = Fresh()
        loader.add_value("title", ["un", "titre"])
        loader.add_value("tags", "Tours")
        loader.load_item()
    assert sorted(looked_up) == [("Fresh", "tags"), ("Fresh", "title")]
