"""Admin views for editors: submissions with their e-mail outcome, resending, data-subject requests."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages
from wagtail.admin.widgets.button import HeaderButton
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import SubmissionsListView as WagtailSubmissionsListView

from .emails import deliver_mails
from .models import FormPage

LISTING_MAX_CHARS = 1000
# Characters a spreadsheet program would start a formula with (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters openpyxl refuses to write into an XLSX cell.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# An XLSX cell holds at most 32,767 characters; longer texts are cut with a visible mark
# (the CSV export keeps them whole).
XLSX_MAX_CHARS = 32_767
XLSX_CUT_MARK = " […]"


def xlsx_safe(value):
    value = XLSX_ILLEGAL.sub("\ufffd", value)
    if len(value) > XLSX_MAX_CHARS:
        value = value[: XLSX_MAX_CHARS - len(XLSX_CUT_MARK)] + XLSX_CUT_MARK
    return value


def local_time(value):
    """A date and time as the list shows it: Europe/Berlin (TIME_ZONE), to the second, no offset."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0, tzinfo=None)


def local_time_text(value):
    return local_time(value).strftime("%Y-%m-%d %H:%M:%S")


class SubmissionsListView(WagtailSubmissionsListView):
    """Wagtail's list and CSV/XLSX export, with safe cells, shortened long texts and a resend button.

    The CSV starts with a UTF-8 byte order mark, so Excel reads umlauts right, and both
    exports give times in local time (Europe/Berlin) to the second, as the list does.
    """

    custom_value_preprocess = {
        **WagtailSubmissionsListView.custom_value_preprocess,
        str: {"csv": csv_safe, "xlsx": xlsx_safe},
        datetime.datetime: {"csv": local_time_text, "xlsx": local_time},
    }

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        failed = self.form_page.get_submissions().with_failed_mails().count()
        if failed:
            buttons.append(
                HeaderButton(
                    ngettext("Resend %(count)d failed e-mail", "Resend %(count)d failed e-mails", failed)
                    % {"count": failed},
                    url=reverse("vsop_forms:resend", args=[self.form_page.pk]),
                    icon_name="mail",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context.get("data_rows", []):
            row["fields"] = [
                Truncator(value).chars(LISTING_MAX_CHARS) if isinstance(value, str) else value
                for value in row["fields"]
            ]
        return context


def accessible_form_page(request, page_id):
    if not get_forms_for_user(request.user).filter(pk=page_id).exists():
        raise PermissionDenied
    return get_object_or_404(FormPage, pk=page_id)


@require_http_methods(["GET", "POST"])
def resend_failed(request, page_id):
    """Lists the submissions whose e-mails did not go out and queues them again on confirmation.

    Only queues: the outbox worker sends, so a long list never runs into a timeout, and
    a message that was sent (or may have been) is never queued a second time.
    """
    page = accessible_form_page(request, page_id)
    submissions = list(
        page.get_submissions()
        .with_failed_mails()
        .select_related("page", "notification_mail", "confirmation_mail")
        .order_by("submit_time")
    )
    if request.method == "POST":
        results = [deliver_mails(submission, resend=True) for submission in submissions]
        still_failing = sum(1 for submission in results if submission.has_failed_mails())
        queued = len(results) - still_failing
        if queued:
            messages.success(
                request,
                ngettext(
                    "E-mails of %(count)d submission queued; they go out in a moment.",
                    "E-mails of %(count)d submissions queued; they go out in a moment.",
                    queued,
                )
                % {"count": queued},
            )
        if still_failing:
            messages.error(
                request,
                ngettext(
                    "%(count)d submission could still not be e-mailed: it has no address. See below.",
                    "%(count)d submissions could still not be e-mailed: they have no address. See below.",
                    still_failing,
                )
                % {"count": still_failing},
            )
            return redirect("vsop_forms:resend", page.pk)
        return redirect("wagtailforms:list_submissions", page.pk)
    return TemplateResponse(
        request,
        "forms/admin/resend.html",
        {"page": page, "submissions": submissions, "recipients_missing": not page.to_address},
    )
