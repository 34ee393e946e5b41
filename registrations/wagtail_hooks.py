from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from topics.models import EventPage

from . import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("event/<int:page_id>/", admin_views.event_registrations, name="event"),
    path("event/<int:page_id>/csv/", admin_views.export_csv, name="csv"),
    path("event/<int:page_id>/mail/", admin_views.mail_participants, name="mail"),
    path("event/<int:page_id>/cancel/<int:registration_id>/", admin_views.cancel_registration, name="cancel"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("registrations/", include((urlpatterns, "registrations_admin"), namespace="registrations_admin"))]


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RegistrationsMenuItem(
        _("Event registrations"), reverse("registrations_admin:index"), icon_name="group", order=350
    )


@hooks.register("register_page_header_buttons")
def registrations_button(page, user, view_name, next_url=None):
    specific_class = page.specific_class
    if specific_class is EventPage and user.has_perm(admin_views.VIEW) and page.specific.registration_enabled:
        yield Button(
            _("Registrations"),
            reverse("registrations_admin:event", args=[page.pk]),
            icon_name="group",
            priority=5,
        )
