from django.db.models import Count
from django.urls import include, path

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.contrib.forms.utils import get_forms_for_user

from . import views
from .models import FormSubmission

urlpatterns = [
    path("<int:page_id>/resend/", views.resend_failed, name="resend"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("vsop-forms/", include((urlpatterns, "vsop_forms"), namespace="vsop_forms"))]


class FailedMailsPanel(Component):
    """On the admin dashboard: forms whose e-mails did not go out, with a link to resend them."""

    name = "failed_form_mails"
    template_name = "forms/admin/failed_mails_panel.html"
    order = 90

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["forms_with_failures"] = (
            FormSubmission.objects.with_failed_mails()
            .filter(page__in=get_forms_for_user(self.request.user))
            .values("page_id", "page__title")
            .annotate(count=Count("pk"))
            .order_by("page__title")
        )
        return context


@hooks.register("construct_homepage_panels")
def add_failed_mails_panel(request, panels):
    panels.append(FailedMailsPanel(request))
