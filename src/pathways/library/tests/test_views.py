"""The library's pages: signed in only, each organisation's own view, and a Back link that stays on this site."""
import pytest
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from pathways.library import services
from pathways.library.models import Piece

from .helpers import write_piece

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(tmp_path):
    Piece.objects.all().delete()
    write_piece(tmp_path, "stages-of-relapse", title="Three stages", body="Words about **stages**.",
                content_note="mentions overdose")
    write_piece(tmp_path, "supporting-without-taking-over", title="Supporting without taking over",
                body="Words for supporters.")
    services.library_load(paths=[tmp_path])


@pytest.fixture
def lee_client(lee):
    """Lee (of Harbour Lights) on a client of his own, beside Pat's."""
    client = Client()
    client.force_login(lee)
    return client


def test_signed_out_visitors_are_sent_to_log_in(client, shipped):
    for url in (reverse("library:library"), reverse("library:piece", args=["stages-of-relapse"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_list_shows_each_piece_with_its_summary(pat_client, shipped):
    page = pat_client.get(reverse("library:library")).content.decode()
    assert "Three stages" in page and "A short summary." in page and "Supporting without taking over" in page


def test_the_list_narrows_to_an_audience_or_a_dimension(pat_client, shipped):
    Piece.objects.filter(slug="supporting-without-taking-over").update(audience=["supporter"], dimensions=["community"])
    for query, shown, not_shown in (("audience=supporter", "Supporting without", "Three stages"),
                                    ("dimension=health", "Three stages", "Supporting without"),
                                    ("audience=nonsense", "Three stages", None)):
        page = pat_client.get(reverse("library:library") + "?" + query).content.decode()
        assert shown in page
        assert not_shown is None or not_shown not in page


def test_a_piece_shows_its_content_note_first_then_sources_and_review_date(pat_client, shipped):
    response = pat_client.get(reverse("library:piece", args=["stages-of-relapse"]))
    page = response.content.decode()
    assert page.index("mentions overdose") < page.index("Words about <strong>stages</strong>.")
    assert '<a href="https://example.org/source" rel="noopener noreferrer">A source</a>' in page
    assert "Last reviewed" in page and "5 December 2026" in page
    assert response.context["quick_exit"] is True  # a piece with a content note is a sensitive page
    assert "Leave this page quickly" in page
    calm = pat_client.get(reverse("library:piece", args=["supporting-without-taking-over"])).content.decode()
    assert "Leave this page quickly" not in calm and "Content note" not in calm


def test_a_piece_nobody_loaded_is_404(pat_client, shipped):
    assert pat_client.get(reverse("library:piece", args=["no-such-piece"])).status_code == 404


def test_a_hidden_piece_is_404_for_that_organisations_people_only(lee_client, pat_client, organisation, shipped):
    services.piece_visibility_set(organisation=organisation, slug="stages-of-relapse", hidden=True)
    url = reverse("library:piece", args=["stages-of-relapse"])
    assert lee_client.get(url).status_code == 404
    assert "Three stages" not in lee_client.get(reverse("library:library")).content.decode()
    assert pat_client.get(url).status_code == 200  # Pat belongs to another (her personal) organisation


@pytest.mark.parametrize("came_from, back", [
    ("/warning-signs/", "/warning-signs/"),
    ("/plan/?dimension=home", "/plan/?dimension=home"),
    ("https://evil.example/phish", "/library/"),
    ("//evil.example/phish", "/library/"),
    ("/\\evil.example", "/library/"),
    ("javascript:alert(1)", "/library/"),
    ("", "/library/"),
])
def test_back_returns_only_to_a_page_of_ours(pat_client, shipped, came_from, back):
    response = pat_client.get(reverse("library:piece", args=["stages-of-relapse"]), {"from": came_from})
    assert response.context["back"] == back
    assert "evil.example" not in response.content.decode()


def test_the_early_warning_plan_links_the_stages_and_comes_back(pat_client, shipped):
    page = pat_client.get(reverse("warning_signs:plan")).content.decode()
    assert '<a href="/library/stages-of-relapse/?from=%2Fwarning-signs%2F">Three stages</a>' in page


def test_a_link_to_a_hidden_piece_does_not_appear(lee, organisation, shipped):
    template = Template('{% load library_links %}{% library_link "stages-of-relapse" before="Read: " %}')
    request = RequestFactory().get("/warning-signs/")
    request.user = lee
    assert "Three stages" in template.render(RequestContext(request))
    services.piece_visibility_set(organisation=organisation, slug="stages-of-relapse", hidden=True)
    assert template.render(RequestContext(request)).strip() == ""
    assert template.render(Context({})).strip() == ""  # no request, no link


def test_the_circle_page_links_supporting_without_taking_over(pat_client, shipped):
    page = pat_client.get(reverse("circle:circle")).content.decode()
    assert "Supporting without taking over</a>" in page


# --- the organisation admin's page -----------------------------------------------------------------------------

def test_an_admin_hides_and_shows_a_shipped_piece(client, ada, lee, organisation, shipped):
    client.force_login(ada)
    url = reverse("library:manage", args=[organisation.pk])
    assert "Three stages" in client.get(url).content.decode()
    assert client.post(url, {"slug": "stages-of-relapse", "action": "hide"}).status_code == 302
    client.force_login(lee)
    assert client.get(reverse("library:piece", args=["stages-of-relapse"])).status_code == 404
    client.force_login(ada)
    client.post(url, {"slug": "stages-of-relapse", "action": "show"})
    client.force_login(lee)
    assert client.get(reverse("library:piece", args=["stages-of-relapse"])).status_code == 200


@pytest.mark.parametrize("data", [{"slug": "stages-of\x00-relapse", "action": "hide"},
                                  {"slug": "stages-of-relapse", "action": "delete"}, {}])
def test_a_hide_or_show_that_is_not_one_changes_nothing_and_says_so(client, ada, organisation, shipped, data):
    client.force_login(ada)
    url = reverse("library:manage", args=[organisation.pk])
    response = client.post(url, data, follow=True)
    assert "That is not a piece of the library; nothing was changed." in response.content.decode()
    assert not Piece.objects.filter(organisation=organisation).exists()


def test_only_the_organisations_admin_may_manage_its_library(client, lee, pat, organisation, shipped):
    url = reverse("library:manage", args=[organisation.pk])
    for someone in (lee, pat):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"slug": "stages-of-relapse", "action": "hide"}).status_code == 404
    assert not Piece.objects.filter(organisation=organisation).exists()


def test_a_piece_opened_from_a_filtered_list_goes_back_to_that_list(pat_client, shipped):
    page = pat_client.get(reverse("library:library") + "?audience=family").content.decode()
    assert '/library/stages-of-relapse/?from=%2Flibrary%2F%3Faudience%3Dfamily"' in page
    response = pat_client.get(reverse("library:piece", args=["stages-of-relapse"]), {"from": "/library/?audience=family"})
    assert response.context["back"] == "/library/?audience=family"
