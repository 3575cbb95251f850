"""A link to a library piece from the page it helps, shown only if the piece is there for this reader (their
organisation may have hidden it); the piece's Back link returns to the page the link was on."""
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from pathways.library.selectors import organisation_of, piece_find

register = template.Library()


@register.simple_tag(takes_context=True)
def library_link(context, slug: str, text: str = "", before: str = "", after: str = "") -> str:
    """`<p>{before}<a>{text or the piece's title}</a>{after}</p>`, or nothing at all."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    piece = piece_find(slug=slug, organisation=organisation_of(request.user))
    if piece is None:
        return ""
    href = reverse("library:piece", kwargs={"slug": piece.slug}) + "?" + urlencode({"from": request.get_full_path()})
    return format_html('<p class="library-link">{}<a href="{}">{}</a>{}</p>', before, href, text or piece.title,
                       after)
