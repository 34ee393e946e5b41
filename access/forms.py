"""The role's description and languages on Wagtail's group edit screen."""

from django import forms
from django.template.loader import render_to_string

from .models import Role


class RoleForm(forms.ModelForm):
    """A panel of the group form (``register_group_permission_panel``): description and languages."""

    class Meta:
        model = Role
        fields = ["description", "languages"]

    def __init__(self, data=None, files=None, instance=None, prefix="role"):
        self.group = instance
        role = getattr(instance, "role", None) if instance is not None and instance.pk else None
        super().__init__(data=data, files=files, instance=role or Role(), prefix=prefix)

    def save(self, commit=True):
        self.instance.group = self.group
        return super().save(commit=commit)

    def as_admin_panel(self):
        return render_to_string("access/role_panel.html", {"form": self})
