"""The first translator role, as ``home/migrations/0002_translators_group.py`` created it.

Kept for that migration only: the roles live in ``access/roles.py`` now, where
``access/migrations/0002_roles.py`` renames this "Translators" group to "Übersetzer" and
gives it exactly the rights of that role (English tree, German pages read-only,
snippets and settings in English only, no personal data).
"""

from django.conf import settings

TRANSLATORS = "Translators"
GERMAN_EDITORS = ("Editors", "Moderators")
TRANSLATION_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
SNIPPET_MODELS = (("topics", "person"), ("topics", "organisation"), ("home", "sitesettings"))


def get_permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def ensure_translators_group(apps):
    """Creates or completes the Translators group; returns it. Safe to run again."""
    Group = apps.get_model("auth", "Group")
    translators, _created = Group.objects.get_or_create(name=TRANSLATORS)
    submit = get_permission(apps, "wagtail_localize", "translation", "submit_translation", "Can submit translations")
    permissions = [
        get_permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        submit,
    ]
    for app_label, model in SNIPPET_MODELS:
        for action in ("add", "change"):
            permissions.append(get_permission(apps, app_label, model, f"{action}_{model}", f"Can {action} {model}"))
    translators.permissions.add(*permissions)
    for group in Group.objects.filter(name__in=GERMAN_EDITORS):
        group.permissions.add(submit)
    grant_translation_trees(apps, translators)
    return translators


def grant_translation_trees(apps, translators=None):
    """Gives the Translators the page permissions on every non-German home page."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    translators = translators or Group.objects.filter(name=TRANSLATORS).first()
    if translators is None:
        return []
    permissions = [
        get_permission(apps, "wagtailcore", "page", codename, f"Can {codename.replace('_', ' ')}")
        for codename in TRANSLATION_PAGE_PERMISSIONS
    ]
    roots = Page.objects.filter(
        translation_key__in=Site.objects.values("root_page__translation_key"),
    ).exclude(locale__language_code=settings.LANGUAGE_CODE)
    for root in roots:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=translators, page=root, permission=permission)
    return list(roots)
