"""RSS 2.0 and Atom feeds of a news index, in the index's language (django.contrib.syndication)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from news.models import ARTICLES_IN_FEED


class ArticleRssFeed(Feed):
    feed_type = Rss201rev2Feed
    route_name = "rss"

    def get_object(self, request, index):
        self.request = request
        self.language = index.locale.language_code
        return index

    def title(self, index):
        return f"{index.title} – VSOP e.V."

    def link(self, index):
        return index.get_url(self.request)

    def feed_url(self, index):
        return index.get_url(self.request) + index.reverse_subpage(self.route_name)

    def description(self, index):
        return index.intro or index.title

    def items(self, index):
        return index.get_articles()[:ARTICLES_IN_FEED]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.get_listing_text()

    def item_link(self, item):
        return item.get_url(self.request)

    def item_author_name(self, item):
        return item.author_name or None

    def item_pubdate(self, item):
        moment = item.first_published_at
        if moment and moment.date() == item.date:
            return moment
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(12)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed
    route_name = "atom"

    def subtitle(self, index):
        return self.description(index)
