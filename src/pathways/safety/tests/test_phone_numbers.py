"""Phone numbers found in what people write, and the tel: and sms: links that make every number tappable."""
from datetime import datetime
from html.parser import HTMLParser

import phonenumbers
import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from pathways.people.countries import COUNTRY_NAMES
from pathways.safety.phone_numbers import emergency_numbers, find_numbers, sms_href, tel_href
from pathways.safety.templatetags.phone_links import SHIPPED_REGIONS, link_numbers, phone_links, short_numbers_for

# Every short number any country links, so the negative tests try the hardest case.
EVERY_SHORT_NUMBER = frozenset().union(*(short_numbers_for(country) for country in (*SHIPPED_REGIONS, "")))


def regions_for(country: str) -> list[str]:
    return [country, *(region for region in SHIPPED_REGIONS if region != country)]


def links(text: str, country: str, short_numbers=()) -> list[tuple[str, str]]:
    return [(found.text, found.href)
            for found in find_numbers(text, regions=regions_for(country), short_numbers=short_numbers)]


# Fiction ranges where phonenumbers accepts them (US/CA 555-01xx, Ofcom's 020 7946 0xxx and 0161 496 0xxx,
# ACMA's 0491 570 xxx and (02) 5550 xxxx, ARCEP's 01 99 00 xx xx); elsewhere phonenumbers' own example numbers.
LOCAL_NUMBERS = [
    ("US", "Call Mum on (612) 555-0123 tonight", "(612) 555-0123", "tel:+16125550123"),
    ("US", "Sponsor: 612-555-0123", "612-555-0123", "tel:+16125550123"),
    ("US", "Sponsor +1 612 555 0123 any time", "+1 612 555 0123", "tel:+16125550123"),
    ("US", "SAMHSA helpline 1-800-662-4357", "1-800-662-4357", "tel:+18006624357"),
    ("CA", "Counsellor (416) 555-0199, weekdays", "(416) 555-0199", "tel:+14165550199"),
    ("CA", "Brother 613 555 0123", "613 555 0123", "tel:+16135550123"),
    ("GB", "My sister Ana 07400 123456", "07400 123456", "tel:+447400123456"),
    ("GB", "Drop-in centre 020 7946 0000 (mornings)", "020 7946 0000", "tel:+442079460000"),
    ("GB", "Key worker on 0161 496 0000.", "0161 496 0000", "tel:+441614960000"),
    ("IE", "Text or ring Siobhán 085 012 3456", "085 012 3456", "tel:+353850123456"),
    ("IE", "Clinic 01 234 5678", "01 234 5678", "tel:+35312345678"),
    ("AU", "Mate from group 0491 570 156", "0491 570 156", "tel:+61491570156"),
    ("AU", "GP (02) 5550 1234", "(02) 5550 1234", "tel:+61255501234"),
    ("NZ", "Aunty Mere 021 123 4567", "021 123 4567", "tel:+64211234567"),
    ("NZ", "Community team 03 234 5678", "03 234 5678", "tel:+6432345678"),
    ("FR", "Ma sœur au 06 12 34 56 78", "06 12 34 56 78", "tel:+33612345678"),
    ("FR", "Le centre : 01 99 00 12 34", "01 99 00 12 34", "tel:+33199001234"),
    ("NL", "Mijn buddy 06-12345678", "06-12345678", "tel:+31612345678"),
    ("NL", "Huisarts 020 123 4567", "020 123 4567", "tel:+31201234567"),
]


class TestFullNumbers:
    @pytest.mark.parametrize("country,text,written,href", LOCAL_NUMBERS)
    def test_the_test_numbers_are_ones_phonenumbers_calls_valid(self, country, text, written, href):
        assert phonenumbers.is_valid_number(phonenumbers.parse(written, country))

    @pytest.mark.parametrize("country,text,written,href", LOCAL_NUMBERS)
    def test_a_local_number_in_a_sentence_becomes_a_link(self, country, text, written, href):
        assert links(text, country) == [(written, href)]

    @pytest.mark.parametrize("region", SHIPPED_REGIONS)
    def test_an_international_number_is_found_whatever_the_region(self, region):
        found = find_numbers("Crisis team +44 20 7946 0000 day or night", regions=[region])
        assert [(f.text, f.href) for f in found] == [("+44 20 7946 0000", "tel:+442079460000")]

    def test_the_persons_country_decides_a_number_valid_in_several(self):
        assert links("Buddy 06 12 34 56 78", "NL") == [("06 12 34 56 78", "tel:+31612345678")]
        assert links("Buddy 06 12 34 56 78", "FR") == [("06 12 34 56 78", "tel:+33612345678")]

    def test_overlapping_readings_give_one_link(self):
        found = find_numbers("ring 0800 787 797", regions=["GB", "NZ", "FR", "NL"])
        assert [(f.text, f.href) for f in found] == [("0800 787 797", "tel:+44800787797")]

    def test_a_number_only_dialled_at_home_keeps_its_home_form(self):
        assert links("Lifeline 13 11 14 or 1800 250 015", "AU") == [("13 11 14", "tel:131114"),
                                                                   ("1800 250 015", "tel:1800250015")]

    def test_several_numbers_in_one_line_each_become_a_link(self):
        assert links("Crisis team +44 20 7946 0000, or 999 if it's bad", "GB", {"999", "112"}) == [
            ("+44 20 7946 0000", "tel:+442079460000"), ("999", "tel:999")]

    def test_ofcoms_drama_mobile_numbers_are_not_recognised(self):
        # A known limit: phonenumbers treats 07700 900xxx as invalid, so it is never linked.
        assert links("My sister Ana 07700 900 123", "GB") == []


class TestShortNumbers:
    @pytest.mark.parametrize("text,written", [
        ("Call 999", "999"), ("999 if it's bad", "999"), ("ring 999.", "999"), ("(999)", "999"),
        ("\u201c999\u201d", "999"), ("Samaritans 116 123 24/7", "116 123"), ("Samaritans 116123", "116123"),
        ("999, 24 hours a day", "999"),
    ])
    def test_an_emergency_number_standing_alone_becomes_a_link(self, text, written):
        assert links(text, "GB", {"999", "112", "116 123"}) == [(written, tel_href(written))]

    def test_a_short_number_is_linked_only_when_the_caller_names_it(self):
        assert links("Call 999", "GB") == []
        assert links("Call 999 or 112", "GB", {"112"}) == [("112", "tel:112")]

    @pytest.mark.parametrize("text", [
        "£1,000", "11:15", "12.999", "999-1000", "999 - 1000", "999 to 1000", "2/111", "9991", "1999",
        "07700 900 111", "999th", "#999", "+999", "111 days sober", "Day 111", "room 112", "between 111 and 112",
        "15 mai", "May 17", "à 17 heures", "de 15 à 17", "17 ans", "until 17", "from 9 to 17", "$1 000",
        "aged 17", "18 years",
    ])
    def test_a_short_number_inside_something_else_is_not_a_link(self, text):
        assert links(text, "FR", EVERY_SHORT_NUMBER) == []

    def test_emergency_numbers_come_from_phonenumbers_metadata(self):
        assert emergency_numbers("GB") == {"112", "999"}
        assert emergency_numbers("NZ") == {"111"}
        assert emergency_numbers("US") == {"112", "911"}
        assert {"000", "112"} <= emergency_numbers("AU")
        assert {"15", "17", "18", "112"} <= emergency_numbers("FR")


# Dates, times, amounts and ranges that must never be linked, whichever country comes first.
NEVER_NUMBERS = [
    "12/05/2026", "2026-12-05", "05.12.2026", "5 Dec 2026", "10:30", "10.30pm", "22:00-06:00", "1998-2003",
    "from 9 to 17", "05.12.2026 22:00", "2026-12-05T10:30:00", "12-05-2026 10:30-11:45", "15 mai 2026 à 17h",
    "de 15 à 17 heures", "om 17:00 uur", "between 2019 and 2023", "Dec 15, 2026 at 6pm", "£1,000", "$1,000,000",
    "€ 1.000,50", "1,234,567.89", "12.999", "999-1000", "2/111", "11:15", "05/12/26 10:30", "2026/12/05",
]


class TestDatesAndTimes:
    @pytest.mark.parametrize("country", SHIPPED_REGIONS)
    @pytest.mark.parametrize("text", NEVER_NUMBERS)
    def test_dates_times_amounts_and_ranges_are_never_numbers(self, text, country):
        assert links(f"Seen on {text} with Lee", country, EVERY_SHORT_NUMBER) == []

    FORMATS = [
        "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%Y/%m/%d", "%d %b %Y",
        "%d %B %Y", "%b %d, %Y", "%B %d", "%A %d %B", "%H:%M", "%H:%M:%S", "%I:%M%p", "%I:%M %p", "%I.%M%p",
        "%I%p", "%I %p", "%Hh%M", "%Hh", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M",
        "%d %b %Y, %H:%M", "%H:%M-%H:%M", "%Y-%Y", "%d-%m-%Y %H.%M", "%d %m %Y", "%m %d %Y", "%Y %m %d",
    ]

    @given(moment=st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2099, 12, 31)),
           later=st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2099, 12, 31)),
           fmt=st.sampled_from(FORMATS), country=st.sampled_from(SHIPPED_REGIONS))
    def test_no_date_or_time_is_ever_taken_for_a_number(self, moment, later, fmt, country):
        for text in (moment.strftime(fmt), f"{moment:%H:%M}-{later:%H:%M}", f"{moment.year}-{later.year}",
                     f"from {moment.hour} to {later.hour}", f"de {moment.hour} à {later.hour} heures",
                     f"{moment.day} {moment:%B}", f"{moment:%b} {moment.day}"):
            assert links(f"Appointment {text} with Dr Lee.", country, EVERY_SHORT_NUMBER) == [], text


class TagsAndText(HTMLParser):
    """What a browser would show of some HTML, and the tags it holds."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


class TestMarkup:
    def test_text_around_a_number_is_escaped_and_kept_exactly(self):
        assert link_numbers("Mum <3 & \"me\": 07400 123456's fine", regions=["GB"]) == (
            'Mum &lt;3 &amp; &quot;me&quot;: <a class="phone" href="tel:+447400123456">07400 123456</a>&#x27;s fine')

    @pytest.mark.parametrize("text", [
        "<script>alert(1)</script> 07400 123456 <script>",
        '"onmouseover="alert(1) 07400 123456"onmouseover=alert(1)//',
        "<a href='javascript:alert(1)'>07400 123456</a>",
        "999<img src=x onerror=alert(1)>999",
        "'><svg/onload=alert(1)> 999 &lt;b&gt;",
    ])
    def test_no_html_can_be_injected_around_numbers(self, text):
        page = TagsAndText(phone_links(text, "GB"))
        assert all(tag == "a" and dict(attrs).keys() == {"class", "href"} for tag, attrs in page.tags)
        assert all(dict(attrs)["href"].startswith("tel:") for tag, attrs in page.tags)
        assert page.text == text

    @given(st.lists(st.one_of(st.text(), st.sampled_from(
        ["07400 123456", "+44 20 7946 0000", "999", "116 123", "06 12 34 56 78", "<", ">", "&", '"', "'", " ",
         "&amp;", "<a href=x>"])), max_size=8).map("".join), st.sampled_from([*SHIPPED_REGIONS, ""]))
    def test_the_visible_text_is_always_exactly_what_was_written(self, text, country):
        page = TagsAndText(phone_links(text, country))
        assert page.text == text
        assert all(tag == "a" for tag, attrs in page.tags)

    def test_the_filter_links_numbers_in_a_template(self):
        html = Template("{% load phone_links %}{{ text|phone_links:country }}").render(
            Context({"text": "Ring Ana 07400 123456 or 999 <b>now</b>", "country": "GB"}))
        assert html == ('Ring Ana <a class="phone" href="tel:+447400123456">07400 123456</a> or '
                        '<a class="phone" href="tel:999">999</a> &lt;b&gt;now&lt;/b&gt;')

    def test_the_persons_country_adds_its_crisis_lines(self):
        assert "tel:116123" in phone_links("Samaritans 116 123", "GB")
        assert "<a" not in phone_links("Samaritans 116 123", "US")
        assert "tel:131114" in phone_links("Lifeline 13 11 14", "AU")

    def test_with_no_country_a_link_dials_the_number_as_written(self):
        assert phone_links("Buddy 06-12345678", "") == 'Buddy <a class="phone" href="tel:0612345678">06-12345678</a>'
        assert 'href="tel:+442079460000"' in phone_links("+44 20 7946 0000", "")

    def test_with_no_country_emergency_numbers_are_linked_but_not_two_digit_ones(self):
        assert phone_links("999 or 17", "") == '<a class="phone" href="tel:999">999</a> or 17'

    def test_empty_text_gives_empty_markup(self):
        assert phone_links(None, "GB") == "" and phone_links("", None) == ""

    def test_the_shipped_regions_are_the_countries_with_crisis_lines(self):
        assert sorted(SHIPPED_REGIONS) == sorted(COUNTRY_NAMES)


class TestHrefs:
    @pytest.mark.parametrize("number,href", [
        ("1-800-662-4357", "tel:18006624357"), ("116 123", "tel:116123"), ("13 11 14", "tel:131114"),
        ("+44 20 7946 0000", "tel:+442079460000"), (" +1 (612) 555-0123", "tel:+16125550123"),
        ("++44 20", "tel:+4420"), ("988", "tel:988"), ("\uff10\uff18\uff10\uff10 787 797", "tel:0800787797"),
        ("no number here", ""), ("", ""),
    ])
    def test_tel_href_keeps_the_digits_and_one_leading_plus(self, number, href):
        assert tel_href(number) == href

    def test_sms_href_is_built_the_same_way(self):
        assert sms_href("988") == "sms:988" and sms_href("+1 (612) 555-0123") == "sms:+16125550123"
        assert sms_href("text us") == ""

    def test_the_filters_build_links_for_structured_numbers(self):
        html = Template('{% load phone_links %}<a href="{{ phone|tel_href }}">{{ phone }}</a> '
                        '<a href="{{ text|sms_href }}">{{ text }}</a>').render(
            Context({"phone": "1-800-662-4357", "text": "988"}))
        assert html == '<a href="tel:18006624357">1-800-662-4357</a> <a href="sms:988">988</a>'
