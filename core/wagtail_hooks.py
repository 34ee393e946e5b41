from wagtail import hooks

from core.memo import active, attach_locale
from core.rich_text import PageLinkHandler, prefetch_page_links


@hooks.register("register_rich_text_features", order=100)
def page_links_resolved_per_request(features):
    """After Wagtail's own registration (order 0): page links resolved once per request."""
    features.register_link_type(PageLinkHandler)


@hooks.register("before_serve_page")
def prefetch_for_the_served_page(page, request, serve_args, serve_kwargs):
    """The served page's locale from the cache and its rich-text page links in one go."""
    if active():
        attach_locale(page)
        prefetch_page_links(page)
