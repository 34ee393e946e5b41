"""Read-only page views for those who may view every page (the Übersetzer on German pages).

Wagtail lets only editors preview a draft or compare revisions; these views let
holders of ``access.view_all_pages`` do both without any right to change the page.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from wagtail.admin.views.pages.revisions import RevisionsCompareView, RevisionsView
from wagtail.models import Page

from .policies import VIEW_ALL_PAGES


def readable_page(user, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    perms = page.permissions_for_user(user)
    if not (perms.can_edit() or perms.can_publish() or (user.is_active and user.has_perm(VIEW_ALL_PAGES))):
        raise PermissionDenied
    return page


class ReadOnlyRevisionView(RevisionsView):
    """The page as a revision shows it (the latest draft by default)."""

    def setup(self, request, page_id, revision_id=None, *args, **kwargs):
        if revision_id is None:
            page = get_object_or_404(Page, id=page_id)
            revision_id = page.latest_revision_id
            if revision_id is None:
                raise PermissionDenied
        return super().setup(request, page_id, revision_id, *args, **kwargs)

    def get_object(self):
        return readable_page(self.request.user, self.pk)


class ReadOnlyCompareView(RevisionsCompareView):
    """Two revisions side by side (``live`` and ``latest`` are accepted)."""

    def get_object(self, queryset=None):
        return readable_page(self.request.user, self.pk)
