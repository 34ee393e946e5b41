from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forms"
    label = "forms"
    verbose_name = _("Forms")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            emails,  # noqa: F401  (receives ``submission_stored``: the e-mails of a submission)
        )
        from .models import FormPage
        from .views import SubmissionsListView

        # Set here so that the models never import the views.
        FormPage.submissions_list_view_class = SubmissionsListView
