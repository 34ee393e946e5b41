from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import health as core_health
from core import sitemap as core_sitemap
from core import views as core_views
from search import views as search_views

# A database outage answers 503 with Retry-After (core/middleware.py), anything else 500.
handler500 = "core.middleware.server_error"
# A file posted to a public page (whose forms take none) is refused with a plain message.
handler400 = "core.middleware.bad_request"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Protected e-mail addresses: the page links here, this answers with mailto:.
    path("e/<str:token>/", core_views.email_redirect, name="email_redirect"),
    # Both languages in one sitemap (Wagtail's own walks only the default root, #12420).
    path("sitemap.xml", core_sitemap.sitemap, name="sitemap"),
    path("robots.txt", core_sitemap.robots_txt, name="robots_txt"),
    # Load balancers: database and cache reachable? 200/503 JSON (core/health.py).
    path("healthz", core_health.healthz, name="healthz"),
]

if settings.BENCH_BARE_VIEW:
    # make bench: the ceiling, a view that does nothing behind the same middleware.
    from django.http import HttpResponse

    urlpatterns.insert(0, path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare"))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every visitor-facing URL carries its language: /de/…, /en/…; core.locale.LocaleMiddleware
# sends the bare address (and any other one without a language) to the browser's language.
urlpatterns += i18n_patterns(
    path(pgettext_lazy("URL", "search/"), search_views.search, name="search"),
    path(
        format_lazy("{}suggestions/", pgettext_lazy("URL", "search/")),
        search_views.suggestions,
        name="search_suggestions",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
