"""The news section ("Aktuelles"): an index with categories, tags and feeds, and its articles.

Imported WordPress posts land here (``wordpress_import``). The index lists its live
articles newest first, ten per page, filtered by ``?category=<slug>`` or ``?tag=<slug>``,
and serves an RSS feed at ``feed/rss/`` and an Atom feed at ``feed/atom/`` in its own
language. Listings run a fixed number of queries whatever the number of articles.
"""

import datetime

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from taggit.models import TaggedItemBase

from core.blocks import BaseStreamBlock
from core.models import BasePage

ARTICLES_PER_PAGE = 10
ARTICLES_IN_FEED = 20


class NewsCategory(TranslatableMixin, models.Model):
    """A category of news articles, e.g. "Fachgruppen" or "Veranstaltungen"; one per language."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Shown on articles and as a filter."))
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=False,
        help_text=_("Part of the filter address, e.g. “fachgruppen” in …/aktuelles/?category=fachgruppen."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_news_category_slug_locale")]

    def __str__(self):
        return self.name


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsIndexPage(RoutablePageMixin, BasePage):
    """Lists the news articles below it, newest first, with filters and feeds."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def get_articles(self):
        """Live, public articles of this index, newest first, ready for listing (no body loaded)."""
        return (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .defer_streamfields()
            .prefetch_related("categories", "tags")
            .order_by("-date", "-first_published_at", "-pk")
        )

    def localized_categories(self):
        """This language's categories by translation key (the articles' own may be the German ones)."""
        return {category.translation_key: category for category in NewsCategory.objects.filter(locale=self.locale_id)}

    @path("")
    def index_route(self, request):
        articles = self.get_articles()
        categories = self.localized_categories()
        active_category = active_tag = None
        if slug := request.GET.get("category"):
            active_category = next((c for c in categories.values() if c.slug == slug), None)
            if active_category is None:
                other = NewsCategory.objects.filter(slug=slug).first()
                if other is None:
                    raise Http404("No such category")
                active_category = categories.get(other.translation_key, other)
            articles = articles.filter(categories__translation_key=active_category.translation_key)
        if slug := request.GET.get("tag"):
            active_tag = ArticlePageTag.tag_model().objects.filter(slug=slug).first()
            if active_tag is None:
                raise Http404("No such tag")
            articles = articles.filter(tags__slug=slug)
        paginator = Paginator(articles, ARTICLES_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        for article in page_obj:
            article.display_categories = article.get_display_categories(categories)
        return self.render(
            request,
            context_overrides={
                "articles": page_obj,
                "filter_categories": self.used_categories(categories),
                "filter_tags": self.used_tags(),
                "active_category": active_category,
                "active_tag": active_tag,
                "filter_query": self.filter_query(active_category, active_tag),
            },
        )

    @path("feed/rss/", name="rss")
    def rss_route(self, request):
        from news.feeds import ArticleRssFeed

        return ArticleRssFeed()(request, index=self)

    @path("feed/atom/", name="atom")
    def atom_route(self, request):
        from news.feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, index=self)

    @re_path(r"^feed/$")
    def feed_route(self, request):
        # WordPress served its feed at …/feed/; answer there with RSS too.
        return self.rss_route(request)

    def used_categories(self, categories):
        keys = set(
            NewsCategory.objects.filter(
                articles__in=ArticlePage.objects.child_of(self).live().public().values("pk")
            ).values_list("translation_key", flat=True)
        )
        return sorted((c for key, c in categories.items() if key in keys), key=lambda c: c.name.lower())

    def used_tags(self):
        return (
            ArticlePageTag.tag_model()
            .objects.filter(news_articlepagetag_items__content_object__in=ArticlePage.objects.child_of(self).live())
            .distinct()
            .order_by("name")
        )

    @staticmethod
    def filter_query(category, tag):
        if category:
            return f"category={category.slug}"
        if tag:
            return f"tag={tag.slug}"
        return ""


class ArticlePage(BasePage):
    """A news article: what happened, with date, author, categories and tags."""

    date = models.DateField(
        _("date"),
        default=datetime.date.today,
        help_text=_("Publication date shown on the article; the list is sorted by it, newest first."),
    )
    author_name = models.CharField(
        _("author"),
        max_length=200,
        blank=True,
        help_text=_("Who wrote the article, as it should be shown. Leave empty to show no author."),
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("body"),
        help_text=_("The article: paragraphs, headings, images, links, forms."),
    )
    categories = ParentalManyToManyField(
        NewsCategory,
        blank=True,
        related_name="articles",
        verbose_name=_("categories"),
        help_text=_("The sections of the news this article belongs to; visitors can filter by them."),
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Keywords, separated by commas; visitors can filter by them."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author_name"), FieldPanel("categories"), FieldPanel("tags")],
            heading=_("Date, author and filing"),
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("author_name"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("body"),
        SynchronizedField("date"),
        SynchronizedField("author_name"),
        SynchronizedField("categories"),
        SynchronizedField("tags"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def get_display_categories(self, localized=None):
        """The article's categories in its own language (translations share the German ones)."""
        localized = localized if localized is not None else {}
        return [localized.get(category.translation_key, category) for category in self.categories.all()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        localized = {c.translation_key: c for c in NewsCategory.objects.filter(locale=self.locale_id)}
        context["display_categories"] = self.get_display_categories(localized)
        context["news_index"] = self.get_parent().specific_deferred
        return context
