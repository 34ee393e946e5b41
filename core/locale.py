"""The visitor's language, with Django's own ``LocaleMiddleware`` and ``i18n_patterns``.

Every visitor-facing URL carries its language (``/de/…``, ``/en/…``). Django's
middleware already answers an address without one (``/`` included) with a redirect
to the language the browser prefers, German when it prefers none of ours.

One rule is added: addresses that live outside the language-prefixed URLs — the
admin, documents, the sitemap — are never redirected into a language. Django would
otherwise send any 404 there (an unknown admin address, a JSON API call the user may
not make) to ``/de/admin/…``, because Wagtail's catch-all page route makes every
prefixed address look valid.
"""

from functools import cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import LocalePrefixPattern, get_resolver
from django.utils.cache import patch_vary_headers


@cache
def _unprefixed_patterns(urlconf):
    return [p.pattern for p in get_resolver(urlconf).url_patterns if not isinstance(p.pattern, LocalePrefixPattern)]


def is_outside_language_urls(path_info, urlconf):
    """True when the address belongs to a URL area that has no language prefix."""
    path = path_info.lstrip("/")
    return any(pattern.match(path) for pattern in _unprefixed_patterns(urlconf))


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        if response.status_code == 404 and is_outside_language_urls(request.path_info, urlconf):
            patch_vary_headers(response, ("Accept-Language",))
            return response
        return super().process_response(request, response)
