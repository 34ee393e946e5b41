"""When an event is published with more places, people on its waiting list move up at once."""

from django.dispatch import receiver

from wagtail.signals import page_published

from topics.models import EventPage


@receiver(page_published, sender=EventPage)
def fill_places_after_publish(sender, instance, **kwargs):
    if instance.registration_enabled:
        from .models import Registration
        from .services import promote_waiting

        if Registration.objects.for_event(instance).waiting().exists():
            promote_waiting(instance)
