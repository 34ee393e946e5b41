"""Contact Form 7 → Wagtail forms: the tag grammar, every tag type, mail settings, PHP data.

The templates are Contact Form 7's own (``includes/contact-form-template.php``) as
WordPress stores them in ``_form`` after filling in the translated labels.
"""

from django.core.cache import cache

import pytest

from forms.models import FormField, FormPage, FormSubmission
from tests.factories import FormPageFactory
from wordpress_import.cf7 import convert_contact_form, parse_form_template
from wordpress_import.interfaces import ContactFormSource, FormTag, PHPUnserializeError
from wordpress_import.php import as_list, unserialize_php

# Contact Form 7's default form (English), exactly as the plugin writes it.
CF7_DEFAULT_FORM = """<label> Your name
    [text* your-name autocomplete:name] </label>

<label> Your email
    [email* your-email autocomplete:email] </label>

<label> Subject
    [text* your-subject] </label>

<label> Your message (optional)
    [textarea your-message] </label>

[submit "Submit"]"""

# The same with the German translation of the plugin (de_DE).
CF7_DEFAULT_FORM_DE = """<label> Dein Name
    [text* your-name autocomplete:name] </label>

<label> Deine E-Mail-Adresse
    [email* your-email autocomplete:email] </label>

<label> Betreff
    [text* your-subject] </label>

<label> Deine Nachricht (optional)
    [textarea your-message] </label>

[submit "Senden"]"""


# Contact Form 7's default form before version 5.4 (de_DE), still in many old sites' exports.
CF7_OLD_DEFAULT_FORM_DE = """<p>Ihr Name (Pflichtfeld)<br />
    [text* your-name] </p>

<p>Ihre E-Mail-Adresse (Pflichtfeld)<br />
    [email* your-email] </p>

<p>Betreff<br />
    [text your-subject] </p>

<p>Ihre Nachricht<br />
    [textarea your-message] </p>

<p>[submit "Senden"]</p>"""


def php_serialize(value):
    """PHP's serialize() for the test data: s:N counts UTF-8 bytes."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    if isinstance(value, dict):
        items = "".join(php_serialize(k) + php_serialize(v) for k, v in value.items())
        return f"a:{len(value)}:{{{items}}}"
    raise TypeError(value)


# The default _mail and _mail_2 of Contact Form 7 on a German site (sender and recipient set by the site).
CF7_MAIL = {
    "subject": '[_site_title] "[your-subject]"',
    "sender": "[_site_title] <wordpress@vsop.example>",
    "body": "Von: [your-name] [your-email]\nBetreff: [your-subject]\n\nNachrichtentext:\n[your-message]\n\n-- \n"
    "Diese E-Mail wurde von einem Kontaktformular von [_site_title] ([_site_url]) gesendet",
    "recipient": "geschaeftsstelle@vsop.example",
    "additional_headers": "Reply-To: [your-email]",
    "attachments": "",
    "use_html": 0,
    "exclude_blank": 0,
}
CF7_MAIL_2 = {
    "active": True,
    "subject": "Ihre Nachricht an den VSOP: [your-subject]",
    "sender": "[_site_title] <wordpress@vsop.example>",
    "body": "Vielen Dank für Ihre Nachricht. Wir melden uns in Kürze.\n\nIhre Angaben:\n[your-message]\n\n-- \n"
    "[_site_title]",
    "recipient": "[your-email]",
    "additional_headers": "Reply-To: [_site_admin_email]",
    "attachments": "",
    "use_html": 0,
    "exclude_blank": 0,
}
CF7_MESSAGES = {
    "mail_sent_ok": "Vielen Dank für Ihre Nachricht. Sie wurde gesendet.",
    "mail_sent_ng": "Beim Versuch, Ihre Nachricht zu senden, ist ein Fehler aufgetreten.",
    "validation_error": "Ein oder mehrere Felder haben einen Fehler.",
}


def source(form, **kwargs):
    return ContactFormSource(post_id=1902, title="Kontakt", form=form, **kwargs)


def fields_by_name(spec):
    return {field["clean_name"]: field for field in spec.fields}


def kinds(spec):
    return [issue.kind for issue in spec.issues]


def details(spec):
    return "\n".join(issue.detail for issue in spec.issues)


# PHP serialize() format


def test_unserialize_reads_a_real_mail_array_with_utf8_byte_lengths():
    data = php_serialize(CF7_MAIL_2)
    # "Kürze" is 5 characters and 6 bytes: the count is in bytes.
    assert 's:6:"Kürze"' in php_serialize("Kürze")
    parsed = unserialize_php(data)
    assert parsed == CF7_MAIL_2
    assert unserialize_php(data.encode()) == CF7_MAIL_2


def test_unserialize_reads_a_literal_php_array():
    assert unserialize_php('a:2:{i:0;s:7:"Grüße";i:1;a:1:{s:1:"x";d:1.5;}}') == {0: "Grüße", 1: {"x": 1.5}}
    assert as_list(unserialize_php('a:2:{i:0;s:1:"a";i:1;b:0;}')) == ["a", False]
    assert unserialize_php("N;") is None
    assert unserialize_php("i:-42;") == -42


def test_unserialize_counts_bytes_not_characters():
    with pytest.raises(PHPUnserializeError, match="not 5 bytes long"):
        unserialize_php('s:5:"Grüße";')  # 5 characters, but 7 bytes


def test_unserialize_restores_line_breaks_the_xml_parser_normalised():
    original = php_serialize({"body": "Zeile 1\r\nZeile 2\r\n"})
    exported = original.replace("\r\n", "\n")  # what an XML parser hands over
    assert unserialize_php(exported) == {"body": "Zeile 1\nZeile 2\n"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('O:8:"stdClass":0:{}', "Refused a PHP object"),
        ('a:1:{i:0;O:8:"Requests":1:{s:4:"hook";s:6:"system";}}', r"Refused a PHP object \(O:\).* at byte 9"),
        ('C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}', "custom-serialized PHP object"),
        ("a:1:{i:0;r:1;}", "reference"),
        ('E:7:"Foo:Bar";', "enum"),
        ("a:999999999:{}", "claims 999999999 elements"),
        ('s:10:"short";', "not 10 bytes long"),
        ("a:1:{i:0;", "Unexpected end"),
        ("i:1;i:2;", "Unexpected data after the value"),
        ("b:2;", "boolean must be 0 or 1"),
        ("x:1;", "Unknown type"),
        ("", "empty"),
        ("a:1:{a:0:{}i:1;}", "key must be an integer or a string"),
    ],
)
def test_unserialize_refuses_hostile_or_broken_data_with_a_clear_error(data, message):
    with pytest.raises(PHPUnserializeError, match=message):
        unserialize_php(data)


def test_unserialize_refuses_deep_nesting_without_recursion_error():
    data = "a:1:{i:0;" * 200 + "N;" + "}" * 200
    with pytest.raises(PHPUnserializeError, match="nested deeper"):
        unserialize_php(data)


# The tag grammar


def test_parse_form_template_reads_cf7_tag_grammar():
    tags = parse_form_template(
        '[select* topic include_blank "Alter und Pflege" "Jugend|jugend@vsop.example"]\n'
        "[textarea message 40x10 placeholder]Ihre Frage[/textarea]\n"
        "[[text escaped-name]]\n"
        '[submit "Senden"]'
    )
    assert [tag.type for tag in tags] == ["select*", "textarea", "submit"]
    select, textarea, submit = tags
    assert isinstance(select, FormTag)
    assert select.required and select.basetype == "select" and select.name == "topic"
    assert select.options == ["include_blank"]
    assert select.values == ["Alter und Pflege", "Jugend|jugend@vsop.example"]
    assert select.labels == ["Alter und Pflege", "Jugend"]
    assert textarea.content == "Ihre Frage" and textarea.options == ["40x10", "placeholder"]
    assert not textarea.required
    assert submit.name == "" and submit.values == ["Senden"]


def test_dots_in_names_become_underscores_as_in_cf7():
    (tag,) = parse_form_template("[text your.name]")
    assert tag.name == "your_name"


# The default form


@pytest.mark.parametrize(
    ("template", "labels"),
    [
        (CF7_DEFAULT_FORM, ["Your name", "Your email", "Subject", "Your message"]),
        (CF7_DEFAULT_FORM_DE, ["Dein Name", "Deine E-Mail-Adresse", "Betreff", "Deine Nachricht"]),
    ],
)
def test_the_cf7_default_form_converts_to_labelled_fields(template, labels):
    spec = convert_contact_form(source(template))
    assert [field["clean_name"] for field in spec.fields] == [
        "your-name",
        "your-email",
        "your-subject",
        "your-message",
    ]
    assert [field["label"] for field in spec.fields] == labels
    assert [field["field_type"] for field in spec.fields] == ["singleline", "email", "singleline", "multiline"]
    assert [field["required"] for field in spec.fields] == [True, True, True, False]
    assert [field["autocomplete"] for field in spec.fields] == ["name", "email", "", ""]
    # "Submit"/"Senden" is what the forms app's button says anyway: nothing to report.
    assert spec.issues == []


def test_the_old_cf7_default_form_converts_to_labelled_fields():
    spec = convert_contact_form(source(CF7_OLD_DEFAULT_FORM_DE))
    assert [(field["clean_name"], field["label"], field["required"]) for field in spec.fields] == [
        ("your-name", "Ihr Name", True),
        ("your-email", "Ihre E-Mail-Adresse", True),
        ("your-subject", "Betreff", False),
        ("your-message", "Ihre Nachricht", False),
    ]
    assert spec.issues == []


# Every tag type


def convert_one(tag_text, label="Feld"):
    spec = convert_contact_form(source(f"<p>{label}<br />\n{tag_text}</p>"))
    return spec, (spec.fields[0] if spec.fields else None)


@pytest.mark.parametrize(
    ("tag", "field_type", "required"),
    [
        ("[text* t]", "singleline", True),
        ("[text t]", "singleline", False),
        ("[email* e]", "email", True),
        ("[url u]", "url", False),
        ("[tel* phone]", "tel", True),
        ("[textarea* msg]", "multiline", True),
        ("[number n]", "number", False),
        ("[date* d]", "date", True),
    ],
)
def test_simple_tag_types_map_to_field_types(tag, field_type, required):
    spec, field = convert_one(tag)
    assert field["field_type"] == field_type
    assert field["required"] is required
    assert field["label"] == "Feld"
    assert spec.issues == []


def test_placeholder_and_default_values_carry_over():
    _spec, field = convert_one('[text city placeholder "z. B. Hannover"]')
    assert field["placeholder"] == "z. B. Hannover" and field["default_value"] == ""
    _spec, field = convert_one('[text city "Hannover"]')
    assert field["default_value"] == "Hannover" and field["placeholder"] == ""
    _spec, field = convert_one("[textarea msg]Guten Tag,[/textarea]")
    assert field["default_value"] == "Guten Tag,"


def test_length_limits_and_number_ranges_are_reported():
    spec, field = convert_one("[text* name minlength:2 maxlength:80]")
    assert field["field_type"] == "singleline"
    assert "minlength:2, maxlength:80" in details(spec)
    spec, field = convert_one("[number* count min:1 max:10 step:1]")
    assert "min:1, max:10, step:1" in details(spec)
    spec, field = convert_one("[range* level min:0 max:5]")
    assert field["field_type"] == "number"
    assert "slider became a number field" in details(spec)
    spec, field = convert_one("[date* day min:2026-01-01 max:2026-12-31]")
    assert field["field_type"] == "date" and "min:2026-01-01, max:2026-12-31" in details(spec)
    spec, _field = convert_one("[text name 40/100]")
    assert "maxlength 100" in details(spec)


def test_select_variants():
    spec, field = convert_one('[select* topic include_blank "Alter" "Jugend"]', "Thema")
    assert (field["field_type"], field["choices"], field["required"]) == ("dropdown", "Alter\nJugend", True)
    assert "preselected" in details(spec)
    _spec, field = convert_one('[select topics multiple "Alter" "Jugend" "Armut"]')
    assert field["field_type"] == "multiselect" and field["choices"] == "Alter\nJugend\nArmut"
    spec, field = convert_one('[select topic first_as_label "Bitte wählen" "Alter" "Jugend"]')
    assert field["choices"] == "Alter\nJugend"
    assert "“Bitte wählen” was a prompt" in details(spec)
    spec, field = convert_one('[select* to "Geschäftsstelle|gs@vsop.example" "Vorstand|vorstand@vsop.example"]')
    assert field["choices"] == "Geschäftsstelle\nVorstand"
    assert "after “|”" in details(spec)


def test_checkbox_and_radio_variants():
    _spec, field = convert_one('[checkbox* themen default:1_3 "Alter" "Jugend" "Armut"]', "Themen")
    assert field["field_type"] == "checkboxes" and field["required"]
    assert field["choices"] == "Alter\nJugend\nArmut" and field["default_value"] == "Alter\nArmut"
    _spec, field = convert_one('[checkbox format exclusive "Online" "Vor Ort"]')
    assert field["field_type"] == "radio"
    _spec, field = convert_one('[radio format default:2 "Online" "Vor Ort"]')
    assert (field["field_type"], field["required"], field["default_value"]) == ("radio", True, "Vor Ort")
    spec, field = convert_one('[radio rolle free_text "Mitglied" "Gast" "Andere"]')
    assert field["choices"] == "Mitglied\nGast\nAndere" and "free-text" in details(spec)


def test_acceptance_becomes_a_consent_field_with_its_text():
    spec = convert_contact_form(
        source(
            "[acceptance teilnahme] Ich akzeptiere die <a href='/bedingungen/'>Teilnahmebedingungen</a>. [/acceptance]"
        )
    )
    (field,) = spec.fields
    assert field["field_type"] == "consent" and field["required"]
    assert field["label"] == "Ich akzeptiere die Teilnahmebedingungen."
    assert field["clean_name"] == "teilnahme"
    spec = convert_contact_form(source("[acceptance newsletter optional] Newsletter abonnieren [/acceptance]"))
    assert spec.fields[0]["required"] is False
    spec = convert_contact_form(source("[acceptance no-ads invert] Keine Werbung [/acceptance]"))
    assert "invert" in details(spec)
    # Text after the tag on the same line is its label too.
    spec = convert_contact_form(source("[acceptance ok] Ich bin einverstanden."))
    assert spec.fields[0]["label"] == "Ich bin einverstanden."


def test_a_privacy_acceptance_becomes_the_forms_own_privacy_consent():
    spec = convert_contact_form(
        source(
            "[acceptance datenschutz] Ich stimme der "
            '<a href="/datenschutz/">Datenschutzerklärung</a> zu. [/acceptance]\n'
            "[acceptance daten-2] Meine Daten dürfen auch gespeichert werden. [/acceptance]"
        )
    )
    assert spec.page_fields["consent_label"] == "Ich stimme der Datenschutzerklärung zu."
    # Only the first: a second box about data stays a consent field of its own.
    assert [field["clean_name"] for field in spec.fields] == ["daten-2"]
    assert "privacy consent checkbox" in details(spec) and "privacy_consent" in details(spec)


@pytest.mark.parametrize(
    ("tag", "reported"),
    [
        ("[file* cv limit:2mb filetypes:pdf]", "file uploads are not supported"),
        ('[quiz check "Wie viel ist 1+1?|2"]', "quiz questions are not supported"),
        ("[hidden source default:get]", "hidden field with a value computed by WordPress"),
        ("[captchac cap]", "CAPTCHA dropped"),
        ("[dynamictext ref CF7_URL]", "not supported by the forms app"),
        ("[text]", "without a valid name"),
        ('[text name "a" option]', "not a valid form-tag"),
    ],
)
def test_unconvertible_tags_are_reported_and_dropped(tag, reported):
    spec, field = convert_one(tag)
    assert field is None
    assert reported in details(spec)
    assert tag in details(spec)


def test_a_static_hidden_field_is_kept():
    spec, field = convert_one('[hidden quelle "Website"]')
    assert (field["field_type"], field["default_value"], field["required"]) == ("hidden", "Website", False)
    assert spec.issues == []


def test_response_and_count_tags_vanish_silently_and_escaped_tags_are_not_fields():
    spec = convert_contact_form(source("<label>Name [text name]</label>\n[count name]\n[response]\n[[text x]]"))
    assert [field["clean_name"] for field in spec.fields] == ["name"]
    assert spec.issues == []


def test_labels_from_the_surrounding_html():
    spec = convert_contact_form(
        source(
            "<p>Bitte füllen Sie das Formular aus.</p>\n"
            "<p>Ihr Name (Pflichtfeld)<br />\n    [text* your-name] </p>\n"
            "<p>Organisation:<br />[text org]</p>\n"
            '<p><label for="x">E-Mail *</label><br />[email* mail]</p>\n'
            "[tel phone]\n"
        )
    )
    labels = {name: field["label"] for name, field in fields_by_name(spec).items()}
    assert labels == {"your-name": "Ihr Name", "org": "Organisation", "mail": "E-Mail", "phone": "Phone"}
    assert "no label found" in details(spec) and "“Phone”" in details(spec)
    assert spec.page_fields["intro"] == "<p>Bitte füllen Sie das Formular aus.</p>"


def test_a_particular_send_button_text_is_reported():
    spec = convert_contact_form(source('[text a]\n[submit "Unterlagen anfordern"]'))
    assert "send button text “Unterlagen anfordern”" in details(spec)


def test_text_between_fields_that_is_no_label_is_reported():
    spec = convert_contact_form(
        source("<label>Name [text name]</label>\n<p>Die Felder mit * sind Pflicht.</p>\n<label>Ort [text ort]</label>")
    )
    assert "intro" not in spec.page_fields
    assert "Text in the form not carried over: “Die Felder mit * sind Pflicht.”" in details(spec)


def test_duplicate_names_keep_the_first_field():
    spec = convert_contact_form(source("[text name]\n[text name]"))
    assert len(spec.fields) == 1 and "used twice" in details(spec)


# Mail, messages, additional settings


def test_mail_settings_map_to_the_form_page():
    spec = convert_contact_form(
        source(
            CF7_DEFAULT_FORM_DE,
            mail=php_serialize(CF7_MAIL),
            mail_2=php_serialize(CF7_MAIL_2),
            messages=php_serialize(CF7_MESSAGES),
        )
    )
    page = spec.page_fields
    assert page["to_address"] == "geschaeftsstelle@vsop.example"
    assert page["from_address"] == "wordpress@vsop.example"
    assert "subject" not in page  # only mail-tags: the forms app's default subject is used
    assert page["send_confirmation"] is True
    assert page["confirmation_subject"] == "Ihre Nachricht an den VSOP"
    assert page["confirmation_text"] == "Vielen Dank für Ihre Nachricht. Wir melden uns in Kürze.\n\nIhre Angaben:"
    assert page["thank_you_text"] == "<p>Vielen Dank für Ihre Nachricht. Sie wurde gesendet.</p>"
    text = details(spec)
    assert '[_site_title] "[your-subject]"' in text and "mail-tags" in text
    assert "Reply-To: [_site_admin_email]" in text  # the confirmation's reply-to is not carried over
    assert "Reply-To: [your-email]" not in text  # the staff mail answers to the sender: honoured


def test_mail_recipient_from_admin_email_or_form_entries_is_reported():
    spec = convert_contact_form(source("[email* e]", mail=php_serialize({"recipient": "[_site_admin_email]"})))
    assert "to_address" not in spec.page_fields and "site's contact e-mail" in details(spec)
    spec = convert_contact_form(source("[email* e]", mail=php_serialize({"recipient": "a@x.example, [to]"})))
    assert spec.page_fields["to_address"] == "a@x.example" and "depends on the form's entries" in details(spec)


def test_broken_mail_data_is_reported_not_raised():
    spec = convert_contact_form(source("[text a]", mail='a:1:{s:9:"recipient";O:8:"stdClass":0:{}}'))
    assert "could not be read: Refused a PHP object" in details(spec)
    assert spec.fields[0]["clean_name"] == "a"


def test_additional_settings_are_honoured_or_reported():
    spec = convert_contact_form(
        source(
            "[text a]",
            additional_settings="acceptance_as_validation: on\ndo_not_store: true\ndemo_mode: on\n"
            "skip_mail: off\non_sent_ok: \"location = 'https://x.example';\"",
        )
    )
    text = details(spec)
    assert "acceptance_as_validation" not in text  # consent is always validated
    assert "do_not_store: true" in text and "demo_mode: on" in text and "on_sent_ok" in text
    assert "skip_mail" not in text


# A converted form in the site


def build_form_page(parent, spec):
    page = FormPageFactory.build(**spec.page_fields)
    parent.add_child(instance=page)
    for order, field in enumerate(spec.fields):
        FormField.objects.create(page=page, sort_order=order, locale=page.locale, **field)
    page.save_revision().publish()
    return FormPage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_a_converted_form_renders_and_accepts_a_submission(client, home_page):
    cache.clear()
    spec = convert_contact_form(
        source(
            CF7_DEFAULT_FORM_DE
            + '\n<p>Thema<br />[select* thema "Alter und Pflege" "Jugend"]</p>'
            + "\n[acceptance ok] Ich stimme zu. [/acceptance]",
            mail=php_serialize(CF7_MAIL),
            mail_2=php_serialize(CF7_MAIL_2),
            messages=php_serialize(CF7_MESSAGES),
        )
    )
    page = build_form_page(home_page, spec)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Dein Name", "Deine E-Mail-Adresse", "Betreff", "Deine Nachricht", "Thema", "Ich stimme zu."):
        assert label in html
    assert 'name="your-name"' in html and 'name="your-message"' in html
    response = client.post(
        page.url,
        {
            "your-name": "Erika Mustermann",
            "your-email": "erika@example.org",
            "your-subject": "Frage",
            "your-message": "Wie melde ich mich an?",
            "thema": "Jugend",
            "ok": "on",
            "privacy_consent": "on",
        },
        follow=True,  # the form may answer with a redirect to its thank-you address
    )
    assert response.status_code == 200
    assert "Vielen Dank für Ihre Nachricht. Sie wurde gesendet." in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    data = submission.get_data()
    assert data["your-name"] == "Erika Mustermann" and data["thema"] == "Jugend"
    assert submission.form_data["ok"]["accepted"] is True
    assert submission.form_data["ok"]["text"] == "Ich stimme zu."
    # The mail settings came over: staff address, sender, confirmation to the visitor.
    assert (page.to_address, page.from_address) == ("geschaeftsstelle@vsop.example", "wordpress@vsop.example")
    assert page.send_confirmation and page.sender_email_field() == "your-email"
