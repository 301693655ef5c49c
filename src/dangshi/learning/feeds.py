"""Feeds per column: RSS 2.0 at /feeds/<column>.xml and Atom 1.0 at /feeds/<column>.atom.
Both list public, published, for-everyone items only (selectors.public_items)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from dangshi.learning import selectors
from dangshi.learning.models import Item, LearningColumn


class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def get_object(self, request, column_code: str) -> LearningColumn:
        return selectors.column_or_404(column_code)

    def title(self, obj: LearningColumn) -> str:
        return _("党史学习 · %(column)s") % {"column": obj.name}

    def link(self, obj: LearningColumn) -> str:
        return reverse("learning:h5_column") + f"?column={obj.code}"

    def description(self, obj: LearningColumn) -> str:
        return obj.description or obj.name

    def items(self, obj: LearningColumn):
        return selectors.public_items(column=obj)

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.body + item.answer

    def item_link(self, item: Item) -> str:
        return reverse("learning:h5_item", kwargs={"item_id": item.pk})

    def item_pubdate(self, item: Item):
        return item.publish_at


class ColumnAtomFeed(ColumnFeed):
    """The same items as Atom 1.0. Atom asks more of an entry than RSS: an author (the
    publishing org) and an `updated` time (the later of publication and last change)."""

    feed_type = Atom1Feed

    def subtitle(self, obj: LearningColumn) -> str:
        return self.description(obj)

    def item_author_name(self, item: Item) -> str:
        return item.org.name

    def item_updateddate(self, item: Item):
        return max(item.publish_at, item.updated_at)
