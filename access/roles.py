"""The roles of the VSOP admin, by least privilege, with German names and descriptions.

- Redakteure: edit and publish pages in every language, images, documents, persons,
  organisations, site settings, redirects, promoted search results; send pages for
  translation. No form submissions, no personal-data tools.
- Redaktionsleitung: as Redakteure, plus approval in the "Freigabe" workflow and deleting
  page trees.
- Übersetzer: edit and publish pages of the English tree; view German pages read-only;
  start and sync translations; change persons, organisations and site settings in
  English only. No German pages, snippets or settings; no submissions, no personal data.
- Datenschutz: read, export and delete form submissions; answer personal-data requests
  (find, export, delete). No pages, snippets or settings.

Wagtail's default groups ("Editors", "Moderators") and the former "Translators" group
(``home/migrations/0002``) are renamed, not recreated, so people keep their groups.

Every function takes an app registry, so migrations run them on historical models
and the content loader on the live ones.
"""

from django.conf import settings

EDITORS = "Redakteure"
CHIEF_EDITORS = "Redaktionsleitung"
TRANSLATORS = "Übersetzer"
DATA_PROTECTION = "Datenschutz"

# Former names → new names.
RENAMED = {"Editors": EDITORS, "Moderators": CHIEF_EDITORS, "Translators": TRANSLATORS}

WORKFLOW_NAME = "Freigabe"
TASK_NAME = "Freigabe durch die Redaktionsleitung"
FORMER_WORKFLOW_NAME = "Moderators approval"

DESCRIPTIONS = {
    EDITORS: (
        "Bearbeiten und veröffentlichen Seiten in allen Sprachen, Bilder, Dokumente, Personen, "
        "Organisationen, Website-Einstellungen, Weiterleitungen und empfohlene Suchergebnisse; "
        "geben Seiten zur Übersetzung. Sehen keine Formulareinsendungen und keine Personendaten."
    ),
    CHIEF_EDITORS: (
        "Wie Redakteure; geben zusätzlich Seiten im Arbeitsablauf „Freigabe“ frei und dürfen "
        "ganze Seitenbäume löschen. Sehen keine Formulareinsendungen und keine Personendaten."
    ),
    TRANSLATORS: (
        "Übersetzen und veröffentlichen die englischen Seiten; sehen deutsche Seiten nur lesend "
        "(Vorschau, Versionen); starten und synchronisieren Übersetzungen; ändern Personen, "
        "Organisationen und Website-Einstellungen nur auf Englisch. Sehen keine "
        "Formulareinsendungen und keine Personendaten."
    ),
    DATA_PROTECTION: (
        "Lesen, exportieren und löschen Formulareinsendungen und beantworten Auskunfts- und "
        "Löschanfragen (Personendaten). Ändern keine Seiten, Snippets oder Einstellungen."
    ),
}

# (app_label, model, codenames): model permissions per role. A model whose app is not
# installed is skipped.
MEDIA = [
    ("wagtailimages", "image", ("add", "change", "choose", "delete")),
    ("wagtaildocs", "document", ("add", "change", "choose", "delete")),
]
EDITOR_MODELS = [
    *MEDIA,
    ("topics", "person", ("add", "change", "delete", "view")),
    ("topics", "organisation", ("add", "change", "delete", "view")),
    ("home", "sitesettings", ("add", "change", "view")),
    ("wagtailredirects", "redirect", ("add", "change", "delete")),
    ("wagtailsearchpromotions", "searchpromotion", ("add", "change", "delete")),
]
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "admin", ("access_admin",)),
        ("wagtail_localize", "translation", ("submit",)),
        ("registrations", "registration", ("view", "change")),
        *EDITOR_MODELS,
    ],
    CHIEF_EDITORS: [
        ("wagtailadmin", "admin", ("access_admin",)),
        ("wagtail_localize", "translation", ("submit",)),
        ("registrations", "registration", ("view", "change")),
        *EDITOR_MODELS,
    ],
    TRANSLATORS: [
        ("wagtailadmin", "admin", ("access_admin",)),
        ("wagtail_localize", "translation", ("submit",)),
        ("access", "role", ("view_all_pages",)),
        ("wagtailimages", "image", ("choose",)),
        ("wagtaildocs", "document", ("choose",)),
        ("topics", "person", ("change", "view")),
        ("topics", "organisation", ("change", "view")),
        ("home", "sitesettings", ("change", "view")),
    ],
    DATA_PROTECTION: [
        ("wagtailadmin", "admin", ("access_admin",)),
        ("access", "role", ("manage_personal_data",)),
        ("registrations", "registration", ("view", "delete")),
    ],
}
# Page permissions on the tree root (every language) resp. on the non-German home pages.
ROOT_PAGE_PERMISSIONS = {
    EDITORS: ("add", "change", "publish", "lock", "unlock"),
    CHIEF_EDITORS: ("add", "change", "publish", "lock", "unlock", "bulk_delete"),
}
TRANSLATION_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
COLLECTION_PERMISSIONS = {
    EDITORS: ("add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"),
    CHIEF_EDITORS: ("add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"),
    TRANSLATORS: ("choose_image", "choose_document"),
    DATA_PROTECTION: (),
}
# Snippets and settings: languages a role's members may change them in (empty: all).
LANGUAGES = {TRANSLATORS: "en"}


def codename(model, action):
    """``submit`` on ``translation`` → ``submit_translation``; a full codename stays as it is."""
    if action in ("access_admin", "manage_personal_data", "view_all_pages"):
        return action
    return f"{action}_{model}"


def get_permission(apps, app_label, model, codename_):
    """The permission, created when its content type exists but post_migrate has not run yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    try:
        apps.get_app_config(app_label)
    except LookupError:
        return None
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename_,
        defaults={"name": codename_.replace("_", " ").capitalize()},
    )
    return permission


def rename_groups(apps):
    Group = apps.get_model("auth", "Group")
    for old, new in RENAMED.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def ensure_roles(apps):
    """Creates or completes the four groups; safe to run again. Returns them by name."""
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("access", "Role")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    rename_groups(apps)
    groups = {}
    root_collection = Collection.objects.filter(depth=1).first()
    for name, description in DESCRIPTIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        Role.objects.update_or_create(
            group=group, defaults={"description": description, "languages": LANGUAGES.get(name, "")}
        )
        wanted = []
        for app_label, model, actions in MODEL_PERMISSIONS[name]:
            for action in actions:
                permission = get_permission(apps, app_label, model, codename(model, action))
                if permission is not None:
                    wanted.append(permission)
        group.permissions.set(wanted)  # exactly the role's rights, also for renamed groups
        if root_collection is not None:
            for codename_ in COLLECTION_PERMISSIONS[name]:
                app_label = "wagtailimages" if codename_.endswith("image") else "wagtaildocs"
                permission = get_permission(apps, app_label, codename_.rsplit("_", 1)[1], codename_)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[name] = group
    grant_root_pages(apps, groups)
    grant_translation_trees(apps)
    return groups


def grant_root_pages(apps, groups):
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for name, actions in ROOT_PAGE_PERMISSIONS.items():
        for action in actions:
            permission = get_permission(apps, "wagtailcore", "page", f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=groups[name], page=root, permission=permission)


def grant_translation_trees(apps):
    """Gives the Übersetzer the page permissions on every non-German home page; returns them."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    translators = Group.objects.filter(name=TRANSLATORS).first()
    if translators is None:
        return []
    permissions = [
        get_permission(apps, "wagtailcore", "page", f"{action}_page") for action in TRANSLATION_PAGE_PERMISSIONS
    ]
    roots = Page.objects.filter(
        translation_key__in=Site.objects.values("root_page__translation_key"),
    ).exclude(locale__language_code=settings.LANGUAGE_CODE)
    for root in roots:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=translators, page=root, permission=permission)
    return list(roots)


def rename_workflow(apps):
    """Wagtail's "Moderators approval" workflow and task get German names and the new group."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Group = apps.get_model("auth", "Group")
    Workflow.objects.filter(name=FORMER_WORKFLOW_NAME).update(name=WORKFLOW_NAME)
    Task.objects.filter(name=FORMER_WORKFLOW_NAME).update(name=TASK_NAME)
    chief_editors = Group.objects.filter(name=CHIEF_EDITORS).first()
    if chief_editors is not None:
        for task in GroupApprovalTask.objects.filter(name=TASK_NAME):
            task.groups.add(chief_editors)
