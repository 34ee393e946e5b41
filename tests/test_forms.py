"""Forms as visitors use them: the seeded forms, consent, spam checks, e-mails, hostile input."""

import io
import json
from unittest import mock
from urllib.error import URLError

from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import EmailValidator
from django.utils import timezone, translation

from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.models import Locale, Page

import pytest

from forms.models import DEFAULT_PRIVACY_NOTICE, FormPage, FormSubmission, MailStatus
from forms.spam import SpamCheckResult, SpamReason
from home.models import SiteSettings
from outbox.delivery import Circuit, deliver_due
from outbox.models import OutboxMessage
from tests.factories import FormFieldFactory, FormPageFactory

pytestmark = pytest.mark.django_db

TENDER = "Ausschreibungsunterlagen anfordern"
CONTACT = "Kontakt"
JOIN = "Mitmachen oder nachfragen"
STAFF = "team@vsop.example"
SENDER = "erika.mustermann@example.org"


class BrokenMailBackend(BaseEmailBackend):
    """A mail server that is down: the connection is refused, nothing is ever handed over."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        self.open()


def send_queued_mail():
    """What the outbox worker does: send every queued e-mail that is due."""
    Circuit.reset()
    return deliver_due()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def site(vsop_content):
    """The seeded site with a contact e-mail in the site settings (the fallback staff address)."""
    SiteSettings.objects.filter(locale__language_code="de").update(contact_email=STAFF)
    return vsop_content


def form_page(title, language="de"):
    german = FormPage.objects.get(title=title, locale__language_code="de")
    return german if language == "de" else german.get_translation(Locale.objects.get(language_code=language))


def valid_data(page, **overrides):
    """What a visitor fills in: every field of the page, consent ticked."""
    data = {}
    for field in page.form_fields.all():
        if field.field_type == "email":
            data[field.clean_name] = SENDER
        elif field.field_type == "radio":
            data[field.clean_name] = field.choices.splitlines()[0]
        elif field.field_type == "multiline":
            data[field.clean_name] = "Wir möchten gern teilnehmen."
        else:
            data[field.clean_name] = "Erika Mustermann"
    data["privacy_consent"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def post(client, page, data, **extra):
    return client.post(page.url, data, follow=True, **extra)  # through the redirect to the thank-you page


def recaptcha_answer(payload):
    """A stand-in for Google's siteverify endpoint, at the HTTP boundary of django-recaptcha."""
    calls = []

    class Opener:
        def open(self, request, timeout=None):
            calls.append({"url": request.full_url, "timeout": timeout})
            if isinstance(payload, Exception):
                raise payload
            return io.BytesIO(json.dumps(payload).encode())

    patcher = mock.patch("django_recaptcha.client.build_opener", return_value=Opener())
    return patcher, calls


# The seeded forms


@pytest.mark.parametrize(
    ("title", "staff"),
    [(TENDER, [STAFF]), (CONTACT, [STAFF]), (JOIN, ["lisa.manhart@vsop.de"])],
)
def test_each_seeded_form_stores_one_submission_and_sends_its_mails(client, site, title, staff):
    page = form_page(title)
    response = post(client, page, valid_data(page))

    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    submission = FormSubmission.objects.get()
    assert submission.page_id == page.pk
    # Stored with its two mails in the outbox; nothing is sent inside the visitor's request.
    assert mail.outbox == []
    assert (submission.notification_status, submission.confirmation_status) == (MailStatus.PENDING,) * 2
    assert OutboxMessage.objects.count() == 2

    assert send_queued_mail() == 2

    submission.refresh_from_db()
    assert submission.notification_status == MailStatus.SENT
    assert submission.confirmation_status == MailStatus.SENT
    assert len(mail.outbox) == 2
    notification, confirmation = mail.outbox
    assert notification.to == staff
    assert notification.reply_to == [SENDER]
    assert "Erika Mustermann" in notification.body
    assert f"/admin/forms/submissions/{page.pk}/" in notification.body
    assert confirmation.to == [SENDER]
    assert "Erika Mustermann" not in confirmation.body  # the fixed text only
    assert DEFAULT_PRIVACY_NOTICE in confirmation.body
    assert send_queued_mail() == 0  # each mail once


def test_consent_stores_the_exact_text_shown_and_the_time(client, site):
    page = form_page(CONTACT)
    page_html = client.get(page.url).content.decode()
    assert page.consent_label in page_html
    assert DEFAULT_PRIVACY_NOTICE in page_html

    post(client, page, valid_data(page))

    consent = FormSubmission.objects.get().form_data["privacy_consent"]
    assert consent["accepted"] is True
    assert consent["text"] == page.consent_label
    assert consent["notice"] == DEFAULT_PRIVACY_NOTICE
    assert consent["time"].startswith(str(FormSubmission.objects.get().submit_time.date()))


def test_without_a_staff_address_the_submission_is_kept_and_marked(client, vsop_content):
    page = form_page(TENDER)  # the seed gives no address, the site settings none either
    post(client, page, valid_data(page))

    send_queued_mail()
    submission = FormSubmission.objects.get()
    assert submission.notification_status == MailStatus.NO_RECIPIENT
    assert [message.to for message in mail.outbox] == [[SENDER]]  # only the confirmation
    assert FormSubmission.objects.with_failed_mails().count() == 1


def test_the_english_form_shares_the_columns_of_the_german_one(client, site):
    german, english = form_page(CONTACT, "de"), form_page(CONTACT, "en")
    german_fields = list(german.form_fields.values_list("clean_name", "translation_key", "locale__language_code"))
    english_fields = list(english.form_fields.values_list("clean_name", "translation_key", "locale__language_code"))
    assert [row[:2] for row in german_fields] == [row[:2] for row in english_fields]
    assert {row[2] for row in english_fields} == {"en"}

    post(client, english, valid_data(english))
    post(client, german, valid_data(german))

    english_keys, german_keys = (set(s.form_data) for s in FormSubmission.objects.order_by("page__locale_id"))
    assert english_keys == german_keys


def test_the_seeded_forms_are_where_the_shortcodes_stood_and_no_shortcode_is_left(client, site):
    series = Page.objects.get(slug="programmreihe-2021", locale__language_code="de")
    working_group = Page.objects.get(slug="alter-und-pflege", locale__language_code="de")
    series_html = client.get(series.url).content.decode()
    group_html = client.get(working_group.url).content.decode()
    assert f'action="{form_page(TENDER).url}"' in series_html
    assert f'action="{form_page(JOIN).url}"' in group_html
    assert form_page(CONTACT).show_in_menus and form_page(CONTACT, "en").show_in_menus

    for page in Page.objects.live().filter(depth__gt=1).specific():
        html = client.get(page.url).content.decode()
        assert "contact-form-7" not in html, page.url
        assert "[contact" not in html, page.url


def test_the_contact_form_keeps_the_english_sentence_marked_as_english(client, site):
    html = client.get(form_page(CONTACT).url).content.decode()
    assert '<p lang="en">Comments or questions are welcome.</p>' in html


# Blocked or invalid submissions: a message, nothing stored, no mail


def assert_nothing_kept():
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_missing_consent_is_refused_with_a_message(client, site):
    page = form_page(TENDER)
    response = post(client, page, valid_data(page, privacy_consent=None))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    with translation.override("de"):
        from forms.builder import ConsentField

        expected = str(ConsentField(consent_text="x").error_messages["required"])
    assert expected in html
    assert_nothing_kept()


def test_invalid_email_is_refused_with_its_message_and_values_are_kept(client, site):
    page = form_page(TENDER)
    response = post(client, page, valid_data(page, e_mail="erika at example"))

    html = response.content.decode()
    with translation.override("de"):
        expected = str(EmailValidator.message)
    assert expected in html
    assert 'value="erika at example"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Erika Mustermann"' in html
    assert_nothing_kept()


def test_a_filled_honeypot_is_blocked(client, site):
    page = form_page(CONTACT)
    response = post(client, page, valid_data(page, homepage_url="https://spam.example"))

    with translation.override("de"):
        expected = str(SpamCheckResult(SpamReason.HONEYPOT).message)
    assert expected in response.content.decode()
    assert_nothing_kept()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, site):
    html = client.get(form_page(CONTACT).url).content.decode()
    start = html.index('<div class="form__hp" hidden>')
    honeypot = html[start : html.index("</div>", start)]
    assert 'name="homepage_url"' in honeypot
    assert 'tabindex="-1"' in honeypot


def test_the_rate_limit_blocks_the_next_submission_from_the_same_address(client, site, settings):
    settings.FORMS_RATE_LIMIT = 1
    page = form_page(CONTACT)
    assert post(client, page, valid_data(page)).status_code == 200
    assert FormSubmission.objects.count() == 1
    mail.outbox.clear()

    response = post(client, page, valid_data(page))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    with translation.override("de"):
        assert str(SpamCheckResult(SpamReason.RATE_LIMITED).message) in response.content.decode()
    assert FormSubmission.objects.count() == 1
    assert mail.outbox == []
    # Another address is not affected.
    assert post(client, page, valid_data(page), REMOTE_ADDR="192.0.2.7").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, site, settings):
    settings.FORMS_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]  # the test client connects from 127.0.0.1
    page = form_page(CONTACT)
    first = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="198.51.100.2")
    third = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)


def test_a_forged_forwarded_address_from_an_untrusted_peer_is_ignored(client, site, settings):
    settings.FORMS_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # the proxy; the test client (127.0.0.1) is not it
    page = form_page(CONTACT)
    first = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="198.51.100.1")
    forged = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert (first.status_code, forged.status_code) == (200, 429)
    # Through the proxy, each visitor counts alone; a forged entry left of the proxy's is never reached.
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy).status_code == 200
    spoofed = post(client, page, valid_data(page), HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **via_proxy)
    assert spoofed.status_code == 429


def test_the_rate_limit_is_off_at_zero(client, site, settings):
    settings.FORMS_RATE_LIMIT = 0
    page = form_page(CONTACT)
    for _ in range(7):
        assert post(client, page, valid_data(page)).status_code == 200
    assert FormSubmission.objects.count() == 7


# reCAPTCHA


@pytest.fixture
def recaptcha_v2(settings):
    settings.RECAPTCHA_PUBLIC_KEY = "site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "secret-key"
    settings.RECAPTCHA_VERSION = "v2"
    settings.RECAPTCHA_VERIFY_REQUEST_TIMEOUT = 3
    return settings


def test_without_keys_no_google_script_is_loaded(client, site):
    html = client.get(form_page(CONTACT).url).content.decode()
    assert "recaptcha" not in html


def test_with_keys_the_script_is_only_on_pages_with_a_form(client, site, recaptcha_v2):
    assert "www.google.com/recaptcha/api.js" in client.get(form_page(CONTACT).url).content.decode()
    working_group = Page.objects.get(slug="alter-und-pflege", locale__language_code="de")
    assert "www.google.com/recaptcha/api.js" in client.get(working_group.url).content.decode()
    topic = Page.objects.get(slug="familienarmut", locale__language_code="de")
    assert "recaptcha" not in client.get(topic.url).content.decode()


def test_a_failed_recaptcha_is_blocked(client, site, recaptcha_v2):
    patcher, calls = recaptcha_answer({"success": False, "error-codes": ["invalid-input-response"]})
    page = form_page(CONTACT)
    with patcher:
        response = post(client, page, valid_data(page, **{"g-recaptcha-response": "forged"}))

    with translation.override("de"):
        assert str(SpamCheckResult(SpamReason.RECAPTCHA_FAILED).message) in response.content.decode()
    assert calls == [{"url": "https://www.google.com/recaptcha/api/siteverify", "timeout": 3}]
    assert_nothing_kept()


def test_a_missing_recaptcha_token_is_blocked_without_asking_google(client, site, recaptcha_v2):
    patcher, calls = recaptcha_answer({"success": True})
    page = form_page(CONTACT)
    with patcher:
        post(client, page, valid_data(page))
    assert calls == []
    assert_nothing_kept()


def test_an_unreachable_recaptcha_service_blocks_politely(client, site, recaptcha_v2):
    patcher, _calls = recaptcha_answer(URLError(TimeoutError("timed out")))
    page = form_page(CONTACT)
    with patcher:
        response = post(client, page, valid_data(page, **{"g-recaptcha-response": "token"}))

    assert response.status_code == 200
    with translation.override("de"):
        assert str(SpamCheckResult(SpamReason.RECAPTCHA_UNAVAILABLE).message) in response.content.decode()
    assert_nothing_kept()


def test_a_passed_recaptcha_lets_the_submission_through(client, site, recaptcha_v2):
    patcher, calls = recaptcha_answer({"success": True, "hostname": "testserver"})
    page = form_page(CONTACT)
    with patcher:
        response = post(client, page, valid_data(page, **{"g-recaptcha-response": "token"}))

    assert response.status_code == 200
    assert len(calls) == 1
    submission = FormSubmission.objects.get()
    assert "captcha" not in submission.form_data


@pytest.mark.parametrize(
    ("answer", "stored"),
    [
        ({"success": True, "score": 0.9, "action": "form_submission"}, 1),
        ({"success": True, "score": 0.1, "action": "form_submission"}, 0),
        ({"success": True, "score": 0.9, "action": "login"}, 0),
    ],
)
def test_recaptcha_v3_requires_the_score_and_the_action(client, site, recaptcha_v2, answer, stored):
    recaptcha_v2.RECAPTCHA_VERSION = "v3"
    recaptcha_v2.RECAPTCHA_REQUIRED_SCORE = 0.5
    page = form_page(CONTACT)
    assert "recaptcha/api.js?render=site-key" in client.get(page.url).content.decode()
    patcher, _calls = recaptcha_answer(answer)
    with patcher:
        post(client, page, valid_data(page, captcha="token"))
    assert FormSubmission.objects.count() == stored


# The mail server fails: nothing lost


def test_a_failing_mail_server_keeps_the_submission_and_shows_thanks(client, site, settings):
    settings.EMAIL_BACKEND = "tests.test_forms.BrokenMailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    page = form_page(TENDER)
    response = post(client, page, valid_data(page))

    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    submission = FormSubmission.objects.get()
    with mock.patch("outbox.delivery.logger") as logger:
        assert send_queued_mail() == 0
    submission.refresh_from_db()
    # Refused at the door: nothing was handed over, so it is tried again later (backoff).
    assert submission.notification_status == MailStatus.PENDING
    assert "ConnectionRefusedError" in submission.mail_error
    assert "next in" in logger.warning.call_args.args[0]
    # One try while the server is down; the other mail waits instead of timing out too.
    assert sorted(OutboxMessage.objects.filter(state="queued").values_list("attempts", flat=True)) == [0, 1]

    for _ in range(3):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        send_queued_mail()
    submission.refresh_from_db()
    assert submission.notification_status == MailStatus.FAILED  # given up after OUTBOX_MAX_ATTEMPTS
    assert submission.confirmation_status == MailStatus.FAILED
    assert list(FormSubmission.objects.with_failed_mails()) == [submission]
    assert mail.outbox == []


# Hostile input

SCRIPT = '<script>alert("x")</script>'
RTL_EMOJI = "مرحبا بالعالم שלום 👩🏽‍💻🎉 \u202eevil"
CONSENT_LABEL = f"Ich stimme zu {SCRIPT}"
CONSENT_NAME = get_field_clean_name(CONSENT_LABEL)


@pytest.fixture
def hostile_form(home_page):
    page = FormPageFactory(parent=home_page, title="Alles", slug="alles", send_confirmation=True)
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    FormFieldFactory(page=page, label="Nachricht", field_type="multiline")
    FormFieldFactory(page=page, label="Telefon", field_type="tel", required=False)
    FormFieldFactory(page=page, label="E-Mail", field_type="email")
    FormFieldFactory(page=page, label="Auswahl", field_type="checkboxes", choices=f"{SCRIPT}\nB")
    FormFieldFactory(page=page, label=CONSENT_LABEL, field_type="consent")
    return page


def hostile_data():
    return {
        "name": f"{SCRIPT} {RTL_EMOJI}",
        "nachricht": (SCRIPT + RTL_EMOJI + "<img src=x onerror=alert(1)>\x00") * 800 + "x" * 50_000,
        "telefon": "+49 511 123456",
        "e_mail": SENDER,
        "auswahl": [SCRIPT, "B"],
        CONSENT_NAME: "on",
        "privacy_consent": "on",
    }


def test_hostile_input_is_stored_faithfully(client, hostile_form):
    data = hostile_data()
    assert len(data["nachricht"].encode()) > 100_000
    response = client.post(hostile_form.url, data, follow=True)

    assert response.status_code == 200
    stored = FormSubmission.objects.get().form_data
    assert stored["name"] == data["name"]
    # NUL cannot live in a database text column: it becomes U+FFFD, everything else is kept as sent.
    assert stored["nachricht"] == data["nachricht"].replace("\x00", "\ufffd")
    assert stored["auswahl"] == [SCRIPT, "B"]
    assert stored[CONSENT_NAME]["text"] == f"Ich stimme zu {SCRIPT}"
    assert stored["telefon"] == "+49 511 123456"
    send_queued_mail()
    notification, confirmation = mail.outbox
    assert SCRIPT in notification.body  # plain-text mail: shown as written
    assert SCRIPT not in confirmation.body and "onerror" not in confirmation.body


def test_hostile_input_is_escaped_when_the_form_is_shown_again(client, hostile_form):
    data = hostile_data()
    data["e_mail"] = "no address"
    html = client.post(hostile_form.url, data).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert FormSubmission.objects.count() == 0


def test_telephone_field_accepts_numbers_only(client, hostile_form):
    data = hostile_data()
    data["telefon"] = "call me maybe"
    html = client.post(hostile_form.url, data).content.decode()
    assert 'type="tel"' in html
    assert FormSubmission.objects.count() == 0


# Accessible markup


def test_fields_have_labels_fieldsets_and_described_errors(client, site):
    page = form_page(JOIN)
    html = client.get(page.url).content.decode()
    for field in page.form_fields.exclude(field_type="radio"):
        assert f'<label for="form{page.pk}-{field.clean_name}">' in html
    assert "<legend>Ihr Anliegen" in html
    assert f'id="form{page.pk}-ihr_anliegen"' in html
    assert 'autocomplete="organization"' in html

    html = post(client, page, {"name": ""}).content.decode()
    assert f'<fieldset aria-describedby="form{page.pk}-ihr_anliegen_error">' in html
    assert f'aria-describedby="form{page.pk}-name_error"' in html
    assert f'href="#form{page.pk}-ihr_anliegen_0"' in html
    assert f'id="form{page.pk}-error-summary"' in html
    assert "autofocus" in html
    assert FormSubmission.objects.count() == 0


def test_form_block_embeds_the_form_or_links_to_it(rf, site):
    from forms.blocks import FormBlock

    page = form_page(CONTACT)
    block = FormBlock()
    request = rf.get("/")
    embedded = block.render(block.to_python({"form_page": page.pk, "display": "embed"}), {"request": request})
    linked = block.render(block.to_python({"form_page": page.pk, "display": "link"}), {"request": request})
    assert f'action="{page.url}"' in embedded
    assert "privacy_consent" in embedded
    assert "<form" not in linked
    assert f'href="{page.url}"' in linked


def test_form_pages_can_be_created_where_content_lives(home_page):
    allowed = {model._meta.label for model in FormPage.allowed_parent_page_models()}
    assert {
        "home.HomePage",
        "home.StandardPage",
        "topics.TopicIndexPage",
        "topics.TopicPage",
        "topics.EventSeriesPage",
        "topics.WorkingGroupIndexPage",
        "topics.WorkingGroupPage",
    } <= allowed
    assert FormPage.can_create_at(home_page)
    assert not FormPage.allowed_subpage_models()
