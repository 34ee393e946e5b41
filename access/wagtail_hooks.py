from django.conf import settings
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton
from wagtail.contrib.forms.utils import get_form_types
from wagtail.models import Page, TranslatableMixin
from wagtail.permissions import policy_registry

from . import golive, views
from .pages import ReadOnlyCompareView, ReadOnlyRevisionView
from .policies import VIEW_ALL_PAGES

urlpatterns = [
    path("personal-data/", views.personal_data, name="personal_data"),
    path("submissions/", views.submissions_index, name="submissions"),
    path("pages/<int:page_id>/preview/", ReadOnlyRevisionView.as_view(), name="page_preview"),
    re_path(
        r"^pages/(?P<pk>\d+)/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$",
        ReadOnlyCompareView.as_view(),
        name="page_compare",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("access/", include((urlpatterns, "access"), namespace="access"))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(views.ACTION_SEARCH, _("Personal data searched"), _("Personal data searched"))
    actions.register_action(views.ACTION_EXPORT, _("Personal data exported"), _("Personal data exported"))
    actions.register_action(views.ACTION_DELETE, _("Personal data deleted"), _("Personal data deleted"))


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_manage_personal_data(request.user)


@hooks.register("register_admin_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        _("Personal data requests"), reverse("access:personal_data"), name="personal-data", icon_name="user", order=710
    )


class SubmissionsMenuItem(MenuItem):
    def is_shown(self, request):
        return not request.user.is_superuser and views.can_manage_personal_data(request.user)


@hooks.register("register_admin_menu_item")
def register_submissions_menu_item():
    return SubmissionsMenuItem(
        _("Form submissions"), reverse("access:submissions"), name="form-submissions", icon_name="form", order=700
    )


@hooks.register("construct_main_menu")
def hide_wagtail_forms_index(request, menu_items):
    """Wagtail's form index needs page rights; the Datenschutz group uses "Form submissions" instead."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "forms"]


@hooks.register("filter_form_submissions_for_user")
def submissions_only_for_data_protection(user, editable_forms):
    """Form submissions hold personal data: only the Datenschutz group (and superusers) see them."""
    if user.is_superuser:
        return editable_forms
    if views.can_manage_personal_data(user):
        return Page.objects.filter(content_type__in=get_form_types())
    return editable_forms.none()


def refuse_other_language(request, instance, action):
    if not isinstance(instance, TranslatableMixin):
        return None
    if policy_registry.get(instance).user_has_permission_for_instance(request.user, action, instance):
        return None
    messages.error(
        request,
        _("You may change “%(object)s” only in your own language (%(language)s is not one of them).")
        % {"object": instance, "language": instance.locale.get_display_name()},
    )
    return redirect(instance.snippet_viewset.get_url_name("list"))


@hooks.register("before_edit_snippet", order=-100)
def before_edit_snippet(request, instance):
    return refuse_other_language(request, instance, "change")


@hooks.register("before_delete_snippet", order=-100)
def before_delete_snippet(request, instances):
    for instance in instances if isinstance(instances, list | tuple) else [instances]:
        response = refuse_other_language(request, instance, "delete")
        if response:
            return response
    return None


@hooks.register("register_page_listing_buttons")
def read_only_page_buttons(page, user, next_url=None, **kwargs):
    """Preview and "changes since publishing" for pages the user may read but not edit."""
    if page.is_root() or not user.has_perm(VIEW_ALL_PAGES) or page.permissions_for_user(user).can_edit():
        return
    if page.latest_revision_id:
        yield ListingButton(
            _("Preview (read-only)"), reverse("access:page_preview", args=[page.pk]), icon_name="view", priority=5
        )
    if page.live and page.has_unpublished_changes:
        yield ListingButton(
            _("Compare with the live version"),
            reverse("access:page_compare", args=[page.pk, "live", "latest"]),
            icon_name="history",
            priority=6,
        )


@hooks.register("after_publish_page")
def warn_after_publish(request, page):
    """Publishing goes ahead; what would silently break for visitors is said right away."""
    for problem in golive.page_problems(page):
        messages.warning(request, problem.text)


class GoLivePanel(Component):
    """On the dashboard: forms that mail nobody, broken form blocks, links to drafts, missing legal pages."""

    name = "go_live_checks"
    template_name = "access/go_live_panel.html"
    order = 80

    def __init__(self, problems):
        self.problems = problems

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["problems"] = self.problems
        return context


@hooks.register("construct_homepage_panels")
def add_go_live_panel(request, panels):
    if user_has_any_page_permission(request.user):
        panels.append(GoLivePanel(golive.site_problems()))


@hooks.register("construct_page_chooser_queryset")
def form_chooser_lists_forms(pages, request):
    """A chooser for forms (the form block) lists every form of the chosen language at once."""
    from forms.models import FormPage

    if (request.GET.get("page_type") or "").lower() != "forms.formpage" or request.GET.get("q"):
        return pages
    locale = request.GET.get("locale") or settings.LANGUAGE_CODE
    return Page.objects.type(FormPage).filter(locale__language_code=locale).specific().order_by("title")


@hooks.register("insert_global_admin_js")
def german_admin_js():
    return format_html('<script src="{}" defer></script>', static("access/admin-de.js"))


@hooks.register("register_group_permission_panel")
def register_role_panel():
    from .forms import RoleForm

    return RoleForm
