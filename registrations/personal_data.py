"""Registrations in the personal-data registry of the access app (GDPR access and erasure requests)."""

from django.utils.translation import gettext_lazy as _

from access import personal_data


class RegistrationProvider(personal_data.Provider):
    key = "event_registrations"
    label = _("Event registrations")

    def matches(self, email):
        from .models import Registration

        return Registration.objects.filter(email__iexact=(email or "").strip()).select_related("event")

    def find(self, email):
        from .models import Registration

        records = []
        for registration in self.matches(email):
            fields = {
                str(_("Name")): registration.name,
                str(_("E-mail address")): registration.email,
                str(_("Status")): Registration.DisplayStatus(registration.display_status).label,
                str(_("Language")): registration.language,
                **{str(name): value for name, value in registration.answers.items()},
                str(_("Consent")): registration.consent.get("text", ""),
            }
            records.append(
                personal_data.Record(
                    provider=self.key,
                    id=str(registration.pk),
                    title=registration.event.title,
                    created=registration.created_at,
                    fields=fields,
                )
            )
        return records

    def delete(self, email, ids):
        """Deletes the chosen registrations; a place they held goes to the waiting list first."""
        from . import services

        wanted = {str(pk) for pk in ids}
        doomed = [registration for registration in self.matches(email) if str(registration.pk) in wanted]
        for registration in doomed:
            services.cancel(registration, reason=registration.CancelReason.STAFF, notify=False)
            registration.delete()
        return len(doomed)


personal_data.register(RegistrationProvider())
