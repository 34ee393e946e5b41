"""Personal-data requests for the Datenschutz group: find by e-mail, export, delete after confirmation.

The address travels only in POST bodies (never in a URL, so never in an access log).
Every step is written to Wagtail's audit log against a ``PersonalDataRequest`` record
with the numbers of records per kind, never the address or the data.
"""

import csv
import io
import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from wagtail.admin import messages
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.log_actions import log

from . import personal_data as registry
from .models import PersonalDataRequest

PERMISSION = "access.manage_personal_data"
ACTION_SEARCH = "access.personal_data.search"
ACTION_EXPORT = "access.personal_data.export"
ACTION_DELETE = "access.personal_data.delete"


def can_manage_personal_data(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The whole address of the person who asks; letter case does not matter."),
    )


def record_request(request, kind, found, **data):
    counts = {provider.key: len(records) for provider, records in found.items()}
    entry = PersonalDataRequest.objects.create(kind=kind, user=request.user, counts=counts)
    action = {
        PersonalDataRequest.Kind.SEARCH: ACTION_SEARCH,
        PersonalDataRequest.Kind.ACCESS: ACTION_EXPORT,
        PersonalDataRequest.Kind.ERASURE: ACTION_DELETE,
    }[kind]
    log(entry, action, user=request.user, data={"counts": counts, **data})
    return entry


def export_rows(found):
    for provider, records in found.items():
        for record in records:
            for label, value in record.fields.items():
                created = timezone.localtime(record.created).strftime("%Y-%m-%d %H:%M:%S") if record.created else ""
                yield [str(provider.label), record.title, record.id, created, label, str(value)]


def export_response(email, found, file_format):
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Kind"), _("Where"), _("Number"), _("Date"), _("Field"), _("Value")])
        writer.writerows(export_rows(found))
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        extension = "csv"
    else:
        payload = {
            "email": email,
            "exported_at": timezone.localtime(),
            "records": {
                provider.key: [
                    {"where": record.title, "id": record.id, "date": record.created, "fields": record.fields}
                    for record in records
                ]
                for provider, records in found.items()
            },
        }
        response = HttpResponse(
            json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        extension = "json"
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


def submissions_index(request):
    """Every form (both languages) with its number of submissions, for the Datenschutz group.

    Wagtail's own form index lists only forms the user may edit; this group edits none.
    """
    if not can_manage_personal_data(request.user):
        raise PermissionDenied
    from forms.models import FormPage

    forms_pages = (
        FormPage.objects.filter(pk__in=get_forms_for_user(request.user).values("pk"))
        .select_related("locale")
        .annotate(submission_count=Count("submissions"))
        .order_by("title", "locale__language_code")
    )
    return TemplateResponse(
        request, "access/submissions_index.html", {"forms_pages": forms_pages, "page_title": _("Form submissions")}
    )


@require_http_methods(["GET", "POST"])
def personal_data(request):
    if not can_manage_personal_data(request.user):
        raise PermissionDenied
    form = EmailForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "page_title": _("Personal data requests"), "found": None}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        action = request.POST.get("action", "find")
        found = registry.find_all(email)
        total = sum(len(records) for records in found.values())
        if action == "export":
            file_format = "csv" if request.POST.get("format") == "csv" else "json"
            record_request(request, PersonalDataRequest.Kind.ACCESS, found, format=file_format)
            return export_response(email, found, file_format)
        if action == "delete":
            chosen = set(request.POST.getlist("record"))
            deleted = {}
            for provider in found:
                ids = [value.split(":", 1)[1] for value in chosen if value.startswith(f"{provider.key}:")]
                deleted[provider] = [None] * (provider.delete(email, ids) if ids else 0)
            record_request(request, PersonalDataRequest.Kind.ERASURE, deleted)
            count = sum(len(items) for items in deleted.values())
            messages.success(
                request,
                ngettext("%(count)d record deleted.", "%(count)d records deleted.", count) % {"count": count},
            )
            return redirect("access:personal_data")
        if action == "confirm_delete":
            context.update({"found": found, "total": total, "email": email, "page_title": _("Delete personal data")})
            return TemplateResponse(request, "access/personal_data_confirm_delete.html", context)
        record_request(request, PersonalDataRequest.Kind.SEARCH, found)
        context.update({"found": found, "total": total, "email": email})
    return TemplateResponse(request, "access/personal_data.html", context)
