"""The visitor's language: where ``/`` sends them.

Every visitor-facing URL carries its language (``/de/…``, ``/en/…``). The bare ``/``
answers with a redirect to the home page in the language the browser prefers among
the site's languages, German when it prefers none of them.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix
from django.views.decorators.vary import vary_on_headers


def parse_accept_language(header):
    """Language tags of an ``Accept-Language`` header, most preferred first (``q=0`` dropped)."""
    tags = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            tags.append((-quality, position, tag.lower()))
    return [tag for _quality, _position, tag in sorted(tags)]


def preferred_language(request):
    """The first site language the browser asks for (``en-GB`` counts as ``en``), else the default."""
    supported = {code for code, _name in settings.LANGUAGES}
    for tag in parse_accept_language(request.headers.get("Accept-Language", "")):
        code = tag.split("-")[0]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


@vary_on_headers("Accept-Language")
def root_redirect(request):
    """``/`` → ``/de/`` or ``/en/`` (a temporary redirect: the answer depends on the browser)."""
    url = f"{get_script_prefix()}{preferred_language(request)}/"
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponseRedirect(url)
