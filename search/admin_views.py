"""The admin report of what visitors searched for, most frequent first, with the searches that found nothing."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from search.models import SearchTermStatistic

PERMISSION = "wagtailsearchpromotions.add_searchpromotion"


def field(name):
    return lambda row: row[name]


class SearchTermReportFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    language_code = django_filters.ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    without_results = django_filters.BooleanFilter(
        label=_("Only searches that found nothing"),
        method="filter_without_results",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = SearchTermStatistic
        fields = []

    def filter_without_results(self, queryset, name, value):
        return queryset.filter(hits_without_results__gt=0) if value else queryset


class SearchTermReportView(ReportView):
    page_title = _("Search queries")
    header_icon = "search"
    index_url_name = "search_term_report"
    index_results_url_name = "search_term_report_results"
    filterset_class = SearchTermReportFilterSet
    is_searchable = False
    default_ordering = "-total_hits"
    paginate_by = 50
    columns = [
        Column("query_string", label=_("Search term"), accessor=field("query_string"), sort_key="query_string"),
        Column("language_code", label=_("Language"), accessor=field("language_code"), sort_key="language_code"),
        NumberColumn("total_hits", label=_("Searches"), accessor=field("total_hits"), sort_key="total_hits"),
        NumberColumn(
            "total_hits_without_results",
            label=_("Without results"),
            accessor=field("total_hits_without_results"),
            sort_key="total_hits_without_results",
        ),
        DateColumn(
            "last_searched", label=_("Last searched"), accessor=field("last_searched"), sort_key="last_searched"
        ),
    ]
    list_export = ["query_string", "language_code", "total_hits", "total_hits_without_results", "last_searched"]
    export_headings = {
        "query_string": _("Search term"),
        "language_code": _("Language"),
        "total_hits": _("Searches"),
        "total_hits_without_results": _("Without results"),
        "last_searched": _("Last searched"),
    }

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": SearchTermStatistic.objects.all()}

    def get_base_queryset(self):
        return SearchTermStatistic.objects.all()

    def get_queryset(self):
        # Filter the daily rows first (dates, language, days without results), then add them up per term.
        return self.order_queryset(self.filter_queryset(self.get_base_queryset()).report())

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "query_string") if self.ordering else queryset

    def get_export_value(self, item, field_name):
        return item[field_name]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)
