"""Permission policies: snippets and settings per language, German pages read-only for translators.

``LocalePermissionPolicy`` (every translatable non-page model): a group whose role
lists languages (``Role.languages``, "en" for the Übersetzer) grants its model
permissions only for instances in those languages. Viewing stays open to every
language, so translators read the German source; changing, deleting, locking and
publishing a German person, organisation or site settings row is refused.

``BrowsingPagePermissionPolicy`` (pages): holders of ``access.view_all_pages`` may
explore the whole tree. It adds no right to edit: ``can_edit()`` stays as Wagtail
decides; read-only preview and comparison are the access app's views.
"""

from django.apps import apps
from django.contrib.auth.models import Permission

from wagtail.models import AbstractPage, Page, TranslatableMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

# Actions limited to a role's languages; "view" (and "choose") stay open.
LANGUAGE_BOUND_ACTIONS = {"add", "change", "delete", "publish", "lock", "unlock"}
VIEW_ALL_PAGES = "access.view_all_pages"


def allowed_languages(user, permission):
    """Language codes in which ``user`` holds ``permission`` (a Permission); ``None``: all."""
    if user.is_superuser or user.user_permissions.filter(pk=permission.pk).exists():
        return None
    cache = user.__dict__.setdefault("_access_languages", {})
    if permission.pk not in cache:
        codes = set()
        for group in user.groups.filter(permissions=permission).select_related("role"):
            role = getattr(group, "role", None)
            languages = role.language_codes if role is not None else set()
            if not languages:
                codes = None
                break
            codes |= languages
        cache[permission.pk] = codes
    return cache[permission.pk]


class LocalePermissionPolicy(ModelPermissionPolicy):
    def _permission(self, action):
        return Permission.objects.filter(
            content_type__app_label=self.app_label, codename=self._get_permission_name(action).split(".")[1]
        ).first()

    def _languages(self, user, action):
        permission = self._permission(action)
        return None if permission is None else allowed_languages(user, permission)

    def _language_allows(self, user, action, instance):
        if action not in LANGUAGE_BOUND_ACTIONS:
            return True
        languages = self._languages(user, action)
        return languages is None or instance.locale.language_code in languages

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._language_allows(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        if not user.is_active or user.is_superuser:
            return queryset
        languages = set()
        for action in actions:
            if not self.user_has_permission(user, action):
                continue
            allowed = self._languages(user, action) if action in LANGUAGE_BOUND_ACTIONS else None
            if allowed is None:
                return queryset
            languages |= allowed
        return queryset.filter(locale__language_code__in=languages)


class BrowsingPagePermissionPolicy(PagePermissionPolicy):
    @staticmethod
    def browses_all(user):
        return user.is_active and not user.is_superuser and user.has_perm(VIEW_ALL_PAGES)

    def instances_with_direct_explore_permission(self, user):
        pages = super().instances_with_direct_explore_permission(user)
        if self.browses_all(user):
            return [*pages, *self.model.base_page_model.objects.filter(depth=1)]
        return pages

    def explorable_instances(self, user):
        if self.browses_all(user):
            return self.model._default_manager.all()
        return super().explorable_instances(user)


def register_policies():
    register_permission_policy(AbstractPage, BrowsingPagePermissionPolicy(Page))
    for model in apps.get_models():
        if issubclass(model, TranslatableMixin) and not issubclass(model, Page):
            register_permission_policy(model, LocalePermissionPolicy(model), exact_class=True)
