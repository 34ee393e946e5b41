"""On the admin dashboard: a warning when queued e-mails wait far longer than the worker would let them."""

import datetime

from django.utils import timezone

from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import OutboxMessage, State

# A running worker sends a due mail within seconds; this long means it is not running.
OVERDUE = datetime.timedelta(minutes=10)


class StalledOutboxPanel(Component):
    name = "outbox_stalled"
    template_name = "outbox/stalled_panel.html"
    order = 85

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        overdue = OutboxMessage.objects.filter(state=State.QUEUED, next_attempt_at__lt=timezone.now() - OVERDUE)
        context["overdue_count"] = overdue.count()
        context["oldest"] = overdue.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
        context["uncertain_count"] = OutboxMessage.objects.filter(state=State.UNCERTAIN).count()
        return context


@hooks.register("construct_homepage_panels")
def add_stalled_outbox_panel(request, panels):
    if request.user.is_superuser:
        panels.append(StalledOutboxPanel())
