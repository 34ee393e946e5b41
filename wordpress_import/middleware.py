"""Old WordPress addresses on the site's root: ``/?p=123``, ``/?page_id=45``, ``/?lang=en``.

Wagtail's ``RedirectMiddleware`` only looks for a redirect when a page answers 404,
but ``/`` never does: it sends visitors to their language's home page. WordPress'
query-string addresses all start at ``/``, so this looks them up first — only for
``/`` with a query string, so every other request costs nothing.
"""

from django import http

from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect


class RootQueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.META.get("QUERY_STRING") and request.method in ("GET", "HEAD"):
            path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                if redirect.is_permanent:
                    return http.HttpResponsePermanentRedirect(redirect.link)
                return http.HttpResponseRedirect(redirect.link)
        return self.get_response(request)
