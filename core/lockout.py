"""The page django-axes shows when an admin login is locked: why, and from when to try again."""

import math

from django.shortcuts import render
from django.utils import timezone

from axes.helpers import get_cool_off, get_failure_limit


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 with Retry-After and the local time the lock ends.

    Every further wrong attempt during the lock starts the cool-off again
    (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``), so the lock ends one cool-off
    period after this attempt.
    """
    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials)}
    status = 429
    if cool_off:
        retry_at = timezone.localtime(timezone.now() + cool_off)
        context.update(
            retry_at=retry_at,
            retry_minutes=math.ceil(cool_off.total_seconds() / 60),
            retry_today=retry_at.date() == timezone.localdate(),
        )
    response = render(request, "core/lockout.html", context, status=status)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    response["Cache-Control"] = "no-store"
    return response
