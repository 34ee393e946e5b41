"""Creation rules, rendering, editing and previewing of every page type."""

import datetime

from django.utils import timezone

from wagtail.models import Locale, Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from forms.models import FormPage
from home.models import HomePage, ImpressumPage, PrivacyPolicyPage, StandardPage
from news.models import NewsIndexPage
from tests.factories import (
    EventPageFactory,
    EventSeriesPageFactory,
    FormPageFactory,
    HomePageFactory,
    PersonFactory,
    StandardPageFactory,
    TopicIndexPageFactory,
    TopicPageFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from topics.models import (
    EventPage,
    EventSeriesPage,
    PageAuthor,
    PageContact,
    TopicIndexPage,
    TopicPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from topics.models.events import DEFAULT_REGISTRATION_CONSENT_LABEL, DEFAULT_REGISTRATION_PRIVACY_NOTICE


class SiteTreeMixin:
    """root → Site → HomePage with one page of every type below it."""

    @classmethod
    def setUpTestData(cls):
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node()
        for child in root.get_children():
            Site.objects.filter(root_page=child).delete()
            child.delete()
        root.refresh_from_db()
        cls.home = HomePageFactory(parent=root)
        Site.objects.create(hostname="localhost", port=80, root_page=cls.home, is_default_site=True)
        cls.standard = StandardPageFactory(parent=cls.home, title="Über uns", slug="ueber-uns")
        cls.topic_index = TopicIndexPageFactory(parent=cls.home, slug="themen")
        cls.topic = TopicPageFactory(parent=cls.topic_index, title="Familienarmut", slug="familienarmut")
        cls.person = PersonFactory(name="Lisa Manhart", email="lisa.manhart@vsop.de")
        PageAuthor.objects.create(page=cls.topic, person=cls.person)
        cls.series = EventSeriesPageFactory(parent=cls.home, slug="reihe")
        cls.event = EventPageFactory(parent=cls.series, slug="auftakt")
        cls.wg_index = WorkingGroupIndexPageFactory(parent=cls.home, slug="fachgruppen")
        cls.working_group = WorkingGroupPageFactory(parent=cls.wg_index, slug="alter-und-pflege")
        PageContact.objects.create(page=cls.working_group, person=cls.person)
        cls.meeting = EventPageFactory(parent=cls.working_group, slug="treffen")
        cls.form_page = FormPageFactory(parent=cls.home, slug="kontakt")

    def all_pages(self):
        return [
            self.home,
            self.standard,
            self.topic_index,
            self.topic,
            self.series,
            self.event,
            self.wg_index,
            self.working_group,
            self.meeting,
            self.form_page,
        ]


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                ImpressumPage,
                PrivacyPolicyPage,
                TopicIndexPage,
                EventSeriesPage,
                WorkingGroupIndexPage,
                NewsIndexPage,
                FormPage,
            },
        )

    def test_home_page_only_at_the_tree_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_topic_pages_live_under_topic_indexes(self):
        self.assertAllowedParentPageTypes(TopicPage, {TopicIndexPage})
        self.assertAllowedSubpageTypes(TopicIndexPage, {TopicPage, FormPage})

    def test_events_live_under_series_and_working_groups(self):
        self.assertAllowedParentPageTypes(EventPage, {EventSeriesPage, WorkingGroupPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertAllowedSubpageTypes(EventSeriesPage, {EventPage, FormPage})

    def test_working_groups_live_under_their_index(self):
        self.assertAllowedParentPageTypes(WorkingGroupPage, {WorkingGroupIndexPage})
        self.assertAllowedSubpageTypes(WorkingGroupPage, {EventPage, FormPage})

    def test_standard_pages_nest(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanNotCreateAt(TopicIndexPage, StandardPage)

    def test_form_pages_have_no_children(self):
        self.assertAllowedSubpageTypes(FormPage, set())


class PageRenderingTests(SiteTreeMixin, WagtailPageTestCase):
    def test_every_page_type_renders(self):
        for page in self.all_pages():
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def test_every_page_type_has_an_edit_view(self):
        # Wagtail's assertPageIsEditable cannot read JavaScript StreamFields back from the
        # HTML; saving through the admin is covered by PageCreationTests.
        self.login()
        for page in self.all_pages():
            with self.subTest(page=type(page).__name__):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, page.title)

    def test_every_page_type_has_a_preview(self):
        for page in self.all_pages():
            with self.subTest(page=type(page).__name__):
                self.assertTrue(page.is_previewable())
                response = page.make_preview_request()
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, page.title)

    def test_every_page_type_has_an_add_view(self):
        self.login()
        for page in self.all_pages():
            parent = page.get_parent()
            model = type(page)
            with self.subTest(page=model.__name__):
                response = self.client.get(
                    f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
                )
                self.assertEqual(response.status_code, 200)

    def test_pages_are_served_under_the_language_prefix(self):
        response = self.client.get("/de/themen/familienarmut/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="de">')
        self.assertContains(response, "Familienarmut")

    def test_main_navigation_lists_pages_marked_for_menus(self):
        self.topic_index.show_in_menus = True
        self.topic_index.menu_title = "Unsere Themen"
        self.topic_index.save_revision().publish()
        response = self.client.get("/de/")
        self.assertContains(response, 'aria-label="Hauptnavigation"')
        self.assertContains(response, ">Unsere Themen</a>")
        self.assertNotContains(response, ">Über uns</a>")

    def test_breadcrumb_shows_the_path(self):
        response = self.client.get("/de/themen/familienarmut/")
        self.assertContains(response, 'aria-label="Brotkrümelnavigation"')
        self.assertContains(response, '<span aria-current="page">Familienarmut</span>')

    def test_topic_page_shows_authors_and_date(self):
        response = self.client.get("/de/themen/familienarmut/")
        self.assertContains(response, "Lisa Manhart")
        self.assertContains(response, '<time datetime="2021-01-10">10. Januar 2021</time>', html=True)

    def test_working_group_lists_upcoming_meetings_only(self):
        EventPageFactory(
            parent=self.working_group,
            title="Vergangenes Treffen",
            start=timezone.now() - datetime.timedelta(days=10),
        )
        response = self.client.get("/de/fachgruppen/alter-und-pflege/")
        self.assertContains(response, self.meeting.title)
        self.assertNotContains(response, "Vergangenes Treffen")

    def test_series_separates_upcoming_and_past_events(self):
        EventPageFactory(parent=self.series, title="Rückblick", start=timezone.now() - datetime.timedelta(days=40))
        response = self.client.get("/de/reihe/")
        content = response.content.decode()
        self.assertIn("Kommende Veranstaltungen", content)
        self.assertIn("Vergangene Veranstaltungen", content)
        self.assertLess(content.index(self.event.title), content.index("Vergangene Veranstaltungen"))
        self.assertGreater(content.index("Rückblick"), content.index("Vergangene Veranstaltungen"))

    def test_home_page_teases_upcoming_events(self):
        response = self.client.get("/de/")
        self.assertContains(response, self.event.title)
        self.assertContains(response, self.meeting.title)

    def test_unknown_page_gives_the_404_page(self):
        response = self.client.get("/de/gibt-es-nicht/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Seite nicht gefunden", status_code=404)


class PageCreationTests(SiteTreeMixin, WagtailPageTestCase):
    def test_editor_can_create_a_topic_page_with_blocks(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Kommunale Familienpolitik",
                "slug": "familienpolitik",
                "intro": "Eine Einleitung.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Ausgangslage", "level": "h2"}),
                        ("paragraph", rich_text("<p>Ein Absatz.</p>")),
                        (
                            "guiding_questions",
                            {
                                "heading": "Leitfragen",
                                "questions": {
                                    "count": 1,
                                    "0": {"value": "Welche Rolle spielt die Kommune?", "deleted": "", "order": 0},
                                },
                            },
                        ),
                        ("quote", {"text": "Ein Zitat.", "attribution": "Jemand"}),
                    ]
                ),
                "date": "2021-03-01",
                "authors": inline_formset([{"person": self.person.pk}]),
                "related_topics": inline_formset([]),
                "comments": inline_formset([]),
            }
        )
        self.assertCanCreate(self.topic_index, TopicPage, data)
        page = TopicPage.objects.get(slug="familienpolitik")
        self.assertEqual(
            [block.block_type for block in page.body], ["heading", "paragraph", "guiding_questions", "quote"]
        )

    def test_editor_can_create_an_event(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Auftaktveranstaltung",
                "slug": "auftaktveranstaltung",
                "start": "2030-05-04 10:00:00",
                "end": "2030-05-04 12:00:00",
                "format": "hybrid",
                "place": "Hannover",
                "join_url": "https://meet.example.org/x",
                "body": streamfield([]),
                "programme": streamfield([("item", {"time": "10:00", "title": "Begrüßung"})]),
                "speakers": inline_formset([{"person": self.person.pk}]),
                "comments": inline_formset([]),
                # What the editor's form starts with (registration on this website is off).
                "registration_privacy_notice": DEFAULT_REGISTRATION_PRIVACY_NOTICE,
                "registration_consent_label": DEFAULT_REGISTRATION_CONSENT_LABEL,
                "registration_retention_days": 90,
                "registration_fields": inline_formset([]),
            }
        )
        self.assertCanCreate(self.series, EventPage, data)
        event = EventPage.objects.get(slug="auftaktveranstaltung")
        self.assertEqual(timezone.localtime(event.start).hour, 10)
        self.assertEqual(str(timezone.localtime(event.start).tzinfo), "Europe/Berlin")


def test_every_field_editors_fill_in_has_help_text():
    """Editors are not technical: each field they see explains itself (DESIGN.md, STYLE.md)."""
    from django.apps import apps

    from modelcluster.fields import ParentalKey

    not_for_editors = {"FormSubmission", "SearchTermStatistic", "ArticlePageTag", "WordPressItem"}
    page_fields = {field.name for field in Page._meta.get_fields()}
    missing = []
    for app_label in ("home", "topics", "forms", "search", "news", "wordpress_import"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__ in not_for_editors:
                continue
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False) or field.auto_created or not field.editable:
                    continue
                if isinstance(field, ParentalKey) or (issubclass(model, Page) and field.name in page_fields):
                    continue
                if not field.help_text:
                    missing.append(f"{model.__name__}.{field.name}")
    assert not missing, f"fields without help text: {missing}"
