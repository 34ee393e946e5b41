"""Factories for the page types and snippets (wagtail_factories / factory_boy).

Build pages under a parent with ``TopicPageFactory(parent=index)``; without one the
factory makes a new root-level page, which is rarely what a test wants.
"""

import datetime

from django.utils import timezone

from wagtail.models import Locale

import factory
import wagtail_factories

from forms.models import FormField, FormPage
from home.models import HomePage, SiteSettings, StandardPage
from news.models import ArticlePage, NewsCategory, NewsIndexPage
from topics.models import (
    EventPage,
    EventSeriesPage,
    Organisation,
    Person,
    TopicIndexPage,
    TopicPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)


def default_locale():
    return Locale.get_default()


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = Organisation


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = Person


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    organisation_name = "VSOP e.V. – Verein für Sozialplanung"
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = SiteSettings


class HomePageFactory(wagtail_factories.PageFactory):
    title = "VSOP e.V."
    slug = "home"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Ein Absatz.</p>")])

    class Meta:
        model = StandardPage


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    title = "Themen"
    slug = factory.Sequence(lambda n: f"themen-{n}")

    class Meta:
        model = TopicIndexPage


class TopicPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Thema {n}")
    intro = "Eine Einleitung."
    date = datetime.date(2021, 1, 10)
    body = factory.LazyFunction(
        lambda: [
            ("paragraph", "<p>Ein Absatz über Sozialplanung.</p>"),
            ("guiding_questions", {"heading": "Leitfragen", "questions": ["Welche Rolle spielt die Kommune?"]}),
        ]
    )

    class Meta:
        model = TopicPage


class EventSeriesPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Programmreihe {n}")
    subtitle = "Eine Reihe"
    year = 2021

    class Meta:
        model = EventSeriesPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Veranstaltung {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    format = EventPage.Format.ONLINE
    join_url = "https://meet.example.org/vsop"

    class Meta:
        model = EventPage


class WorkingGroupIndexPageFactory(wagtail_factories.PageFactory):
    title = "Fachgruppen"
    slug = factory.Sequence(lambda n: f"fachgruppen-{n}")

    class Meta:
        model = WorkingGroupIndexPage


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Fachgruppe {n}")
    goal = "<p>Ziel der Fachgruppe.</p>"

    class Meta:
        model = WorkingGroupPage


class FormPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Formular {n}")
    to_address = "team@example.org"
    from_address = "noreply@example.org"
    subject = "Neue Anfrage"

    class Meta:
        model = FormPage


class FormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Feld {n}")
    field_type = "singleline"
    required = True
    # In creation order, as the editor's InlinePanel numbers them (without it PostgreSQL may return any order).
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = FormField


class NewsCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.Sequence(lambda n: f"kategorie-{n}")
    locale = factory.LazyFunction(default_locale)

    class Meta:
        model = NewsCategory


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Aktuelles"
    slug = "aktuelles"

    class Meta:
        model = NewsIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Meldung {n}")
    intro = "Eine kurze Meldung."
    date = datetime.date(2024, 5, 2)
    author_name = "Redaktion"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Ein Absatz der Meldung.</p>")])

    class Meta:
        model = ArticlePage
