from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.admin_views import PERMISSION, SearchTermReportView


@hooks.register("register_admin_urls")
def register_search_term_report_urls():
    return [
        path("reports/search-queries/", SearchTermReportView.as_view(), name="search_term_report"),
        path(
            "reports/search-queries/results/",
            SearchTermReportView.as_view(results_only=True),
            name="search_term_report_results",
        ),
    ]


class SearchTermReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_search_term_report_menu_item():
    return SearchTermReportMenuItem(
        _("Search queries"), reverse("search_term_report"), name="search-queries", icon_name="search", order=1290
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms_report(request, menu_items):
    # Wagtail's own "Search terms" report counts only Query.add_hit(), which this site does not call:
    # "Search queries" above replaces it, with the searches that found nothing.
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
