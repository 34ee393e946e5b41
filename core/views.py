from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.cache import cache_control

from core.email_protection import read_token


class MailtoRedirect(HttpResponseRedirect):
    allowed_schemes = ["mailto"]


@cache_control(private=True, max_age=0)
def email_redirect(request, token):
    """Answers a protected e-mail link with the real ``mailto:`` address.

    The address never appears in the page's HTML; people who click the link are sent
    on to their mail program, harvesters that only read the HTML find nothing.
    """
    try:
        address = read_token(token)
    except signing.BadSignature as error:
        raise Http404("Unknown address link") from error
    response = MailtoRedirect(f"mailto:{address}")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
