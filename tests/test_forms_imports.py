"""The forms app's modules import each other in one direction: nothing imports back into the models."""

import ast
from pathlib import Path

import forms

FORMS_DIR = Path(forms.__file__).parent
# The app config wires the parts together at start-up; it may import anything.
COMPOSITION_ROOT = {"forms.apps"}


def module_name(path):
    parts = path.relative_to(FORMS_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path, name):
    """Every ``forms.*`` module a file imports, also inside functions (a lazy import is still a dependency)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module == "forms" or module.startswith("forms.")}


def import_graph():
    files = {
        module_name(path): path
        for path in FORMS_DIR.rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    }
    graph = {}
    for name, path in files.items():
        if name in COMPOSITION_ROOT:
            continue
        graph[name] = {module for module in imported_modules(path, name) if module in files and module != name}
    return graph


def test_the_models_import_neither_the_emails_nor_the_views():
    graph = import_graph()
    model_modules = [name for name in graph if name == "forms.models" or name.startswith("forms.models.")]
    assert {"forms.models", "forms.models.pages", "forms.models.fields", "forms.models.submissions"} <= set(graph)
    for name in model_modules:
        assert not graph[name] & {"forms.emails", "forms.views", "forms.wagtail_hooks"}, name


def test_the_forms_app_has_no_import_cycle():
    graph = import_graph()
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", "import cycle: " + " → ".join([*trail, name])
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            visit(target, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_the_old_import_paths_still_work():
    from forms.models import (  # noqa: F401
        DEFAULT_CONSENT_LABEL,
        DEFAULT_PRIVACY_NOTICE,
        RESENDABLE,
        FormField,
        FormPage,
        FormSubmission,
        MailStatus,
        default_retention_days,
    )
    from forms.views import SubmissionsListView

    assert FormPage.submissions_list_view_class is SubmissionsListView
