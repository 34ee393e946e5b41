"""Statistics of what visitors search for, per day and language, including searches that found nothing."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string


class SearchTermStatisticQuerySet(models.QuerySet):
    def report(self):
        """One row per term and language: searches, searches without results, last day; most frequent first."""
        return (
            self.values("query_string", "language_code")
            .annotate(
                total_hits=models.Sum("hits"),
                total_hits_without_results=models.Sum("hits_without_results"),
                last_searched=models.Max("date"),
            )
            .order_by("-total_hits", "query_string")
        )


class SearchTermStatistic(models.Model):
    """How often a term was searched on one day in one language, and how often it found nothing."""

    query_string = models.CharField(_("search term"), max_length=MAX_QUERY_STRING_LENGTH)
    language_code = models.CharField(_("language"), max_length=15)
    date = models.DateField(_("date"))
    hits = models.PositiveIntegerField(_("searches"), default=0)
    hits_without_results = models.PositiveIntegerField(_("searches without results"), default=0)

    objects = SearchTermStatisticQuerySet.as_manager()

    class Meta:
        verbose_name = _("search term statistic")
        verbose_name_plural = _("search term statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["query_string", "language_code", "date"], name="search_term_statistic_unique_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="search_term_statistic_date")]

    def __str__(self):
        return f"{self.query_string} ({self.language_code}, {self.date})"

    @classmethod
    def record(cls, query_string, language_code, result_count, date=None):
        """Count one search; the term is normalised as Wagtail's promotions normalise it."""
        query_string = normalise_query_string(query_string)
        if not query_string:
            return
        key = {"query_string": query_string, "language_code": language_code, "date": date or timezone.localdate()}
        increments = {
            "hits": F("hits") + 1,
            "hits_without_results": F("hits_without_results") + (0 if result_count else 1),
        }
        # One query for a term already counted today; the first search of a term creates its row.
        if not cls.objects.filter(**key).update(**increments):
            cls.objects.get_or_create(**key)
            cls.objects.filter(**key).update(**increments)
