"""Template filters that make every phone number tappable: in free text, and in structured crisis lines.

    {% load phone_links %}
    {{ line|phone_links:country }}            plain text in, safe HTML out: <a class="phone" href="tel:...">
    <a href="{{ crisis_line.phone|tel_href }}">   and |sms_href for text lines

`phone_links` takes plain text (one line of a safety plan, say) and escapes all of it; apply it before
anything that adds HTML, never after.
"""
from collections.abc import Collection, Sequence
from dataclasses import replace

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from pathways.safety import phone_numbers
from pathways.safety.crisis_lines import lines_for_country
from pathways.safety.phone_numbers import Found, emergency_numbers, find_numbers

register = template.Library()

# The countries whose crisis lines Pathways ships. A national number that is valid in several of them
# is read in the person's own country first, then in this order.
SHIPPED_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "FR", "NL")


def link_numbers(text: str, *, regions: Sequence[str], short_numbers: Collection[str] = ()) -> SafeString:
    """`text` escaped, with each phone number in it made a tel: link."""
    return _markup(text, find_numbers(text, regions=regions, short_numbers=short_numbers))


def _markup(text: str, found: list[Found]) -> SafeString:
    html, done = SafeString(""), 0
    for number in found:
        html += escape(text[done:number.start])
        html += format_html('<a class="phone" href="{}">{}</a>', number.href, number.text)
        done = number.end
    return html + escape(text[done:])


def short_numbers_for(country: str) -> frozenset[str]:
    """The short numbers to link for a person in `country`: its emergency numbers and shipped crisis lines.

    With no country, the emergency numbers of every shipped country, leaving out the two-digit French
    ones (15, 17, 18), which in text from an unknown country are more likely an age or an hour.
    """
    if country:
        return emergency_numbers(country) | {line.phone for line in lines_for_country(country) if line.phone}
    return frozenset(n for region in SHIPPED_REGIONS for n in emergency_numbers(region) if len(n) > 2)


@register.filter
def phone_links(text, country: str = "") -> SafeString:
    text, country = str(text or ""), str(country or "").upper()
    if country:
        regions = [country, *(region for region in SHIPPED_REGIONS if region != country)]
        return link_numbers(text, regions=regions, short_numbers=short_numbers_for(country))
    found = find_numbers(text, regions=SHIPPED_REGIONS, short_numbers=short_numbers_for(""))
    # Not knowing the country, we cannot tell whose "06 12 34 56 78" this is, but the person's phone can:
    # it is in that country. So the link dials the number as written rather than our guess at its country code.
    return _markup(text, [replace(number, href=phone_numbers.tel_href(number.text)) for number in found])


@register.filter
def tel_href(number) -> str:
    return phone_numbers.tel_href(str(number or ""))


@register.filter
def sms_href(number) -> str:
    return phone_numbers.sms_href(str(number or ""))
