"""What search engines and link previews read: title, description, canonical, OpenGraph, JSON-LD.

``page_meta(request, page, settings_obj)`` returns plain values for
``includes/seo.html``. Descriptions are plain text (rich text is stripped, never
escaped HTML); JSON-LD follows schema.org and Google's rich-result requirements:
Organization on the home page, Article on topic pages, Event on event pages
(start and end with their UTC offset, attendance mode, status, Place or
VirtualLocation, organizer) and a BreadcrumbList below the home page.
"""

import html
import json
import re

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core import navigation

DESCRIPTION_CHARS = 160
OG_LOCALES = {"de": "de_DE", "en": "en_GB"}
SCHEMA = "https://schema.org"


def plain_text(value):
    """Rich text or HTML as one line of plain text (tags removed, entities decoded)."""
    text = html.unescape(strip_tags(str(value or "")))
    return re.sub(r"\s+", " ", text).strip()


def shorten(text, chars=DESCRIPTION_CHARS):
    return Truncator(text).chars(chars, truncate="…")


def _first_text_block(stream):
    for block in stream or []:
        if block.block_type in ("paragraph", "text", "rich_text"):
            text = plain_text(block.value.source if hasattr(block.value, "source") else block.value)
            if text:
                return text
    return ""


def description(page, settings_obj=None):
    """The search description, else the intro, else the first paragraph, else the tagline."""
    specific = page
    for candidate in (
        getattr(specific, "search_description", ""),
        getattr(specific, "intro", ""),
        getattr(specific, "subtitle", ""),
    ):
        text = plain_text(candidate)
        if text:
            return shorten(text)
    for field in ("body", "description"):
        try:
            text = _first_text_block(getattr(specific, field, None))
        except (AttributeError, TypeError):
            text = ""
        if text:
            return shorten(text)
    return plain_text(getattr(settings_obj, "tagline", "")) if settings_obj else ""


def title(page, organisation_name):
    """The page's own title, and whether the organisation's name should follow it.

    The home page's title is the organisation's name already; so may be a page's SEO title.
    """
    own = (getattr(page, "seo_title", "") or page.title).strip()
    suffix = bool(organisation_name) and organisation_name not in own and page.depth > 2
    return own, suffix


def organization(request, settings_obj, home_url):
    data = {
        "@type": "Organization",
        "name": getattr(settings_obj, "organisation_name", "") or settings.WAGTAIL_SITE_NAME,
        "url": home_url,
    }
    if getattr(settings_obj, "tagline", ""):
        data["alternateName"] = settings_obj.tagline
    if getattr(settings_obj, "contact_email", ""):
        data["email"] = settings_obj.contact_email
    links = [
        link["value"]["url"] if isinstance(link, dict) else link.value["url"]
        for link in getattr(settings_obj, "social_links", []) or []
    ]
    if links:
        data["sameAs"] = links
    return data


def _iso(value):
    from django.utils import timezone

    return timezone.localtime(value).isoformat() if value else None


def event_data(page, url, desc, organizer):
    from topics.models import EventPage

    modes = {
        EventPage.Format.ONLINE: "OnlineEventAttendanceMode",
        EventPage.Format.ON_SITE: "OfflineEventAttendanceMode",
        EventPage.Format.HYBRID: "MixedEventAttendanceMode",
    }
    virtual = {"@type": "VirtualLocation", "url": page.join_url if page.join_url_is_public else url}
    place = {
        "@type": "Place",
        "name": page.place.splitlines()[0] if page.place else organizer["name"],
        "address": plain_text(page.place) or organizer["name"],
    }
    if page.format == EventPage.Format.ONLINE:
        location = virtual
    elif page.format == EventPage.Format.ON_SITE:
        location = place
    else:
        location = [place, virtual]
    data = {
        "@type": "Event",
        "name": page.title,
        "startDate": _iso(page.start),
        "endDate": _iso(page.end or page.start),
        "eventAttendanceMode": f"{SCHEMA}/{modes.get(page.format, 'OnlineEventAttendanceMode')}",
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "location": location,
        "organizer": organizer,
        "description": desc or page.title,
        "url": url,
    }
    registration = page.get_registration_url() if hasattr(page, "get_registration_url") else ""
    if registration:
        data["offers"] = {
            "@type": "Offer",
            "url": registration if "://" in registration else url,
            "price": "0",
            "priceCurrency": "EUR",
            "availability": f"{SCHEMA}/{'InStock' if page.registration_open else 'SoldOut'}",
        }
    return data


def article_data(page, url, desc, organizer):
    from topics.templatetags.topics_tags import people

    authors = [{"@type": "Person", "name": person.name} for person in people(page.authors)]
    published = page.date.isoformat() if getattr(page, "date", None) else _iso(page.first_published_at)
    data = {
        "@type": "Article",
        "headline": shorten(page.title, 110),
        "description": desc,
        "inLanguage": page.locale.language_code,
        "mainEntityOfPage": url,
        "url": url,
        "author": authors or [organizer],
        "publisher": organizer,
    }
    if published:
        data["datePublished"] = published
    if page.last_published_at:
        data["dateModified"] = _iso(page.last_published_at)
    return data


def breadcrumb_data(request, page, url):
    crumbs = [*navigation.breadcrumbs(page, request), {"title": page.title, "url": url}]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb["title"],
                "item": request.build_absolute_uri(crumb["url"]),
            }
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def json_ld(data):
    """JSON for a ``<script type="application/ld+json">`` block; ``<`` escaped so no tag can end it."""
    text = json.dumps({"@context": SCHEMA, **data}, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_meta(request, page, settings_obj=None):
    """Everything ``includes/seo.html`` writes for one page."""
    from home.models import HomePage
    from topics.models import EventPage, TopicPage

    organisation_name = getattr(settings_obj, "organisation_name", "") or settings.WAGTAIL_SITE_NAME
    url = navigation.absolute_url(request, page)
    home = navigation.locale_home(request)
    home_url = navigation.absolute_url(request, home) if home else request.build_absolute_uri("/")
    desc = description(page, settings_obj)
    language = page.locale.language_code if getattr(page, "locale_id", None) else ""
    organizer = {"@type": "Organization", "name": organisation_name, "url": home_url}

    blocks = []
    og_type = "website"
    specific_class = page.specific_class
    if issubclass(specific_class, HomePage):
        blocks.append(organization(request, settings_obj, home_url))
        blocks.append({"@type": "WebSite", "name": organisation_name, "url": home_url, "inLanguage": language})
    elif issubclass(specific_class, TopicPage):
        og_type = "article"
        blocks.append(article_data(page, url, desc, organizer))
    elif issubclass(specific_class, EventPage):
        blocks.append(event_data(page, url, desc, organizer))
    if page.depth > 2:
        blocks.append(breadcrumb_data(request, page, url))

    own_title, suffix = title(page, organisation_name)
    return {
        "title": own_title,
        "suffix": suffix,
        "description": desc,
        "canonical": url,
        "og_type": og_type,
        "og_locale": OG_LOCALES.get(language, ""),
        "site_name": organisation_name,
        "json_ld": [json_ld(block) for block in blocks],
    }
