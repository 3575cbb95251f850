"""How the person wants to be reached when they need support: written on their "About me" page, kept by the
profile service, and part of their data download."""
from django.urls import reverse

from pathways.people import services
from pathways.people.models import PersonProfile
from pathways.people.personal_data import export_profile

ABOUT_ME = {"preferred_name": "Pat", "pronouns": "she/her", "name": "", "culture": "", "language": "", "faith": "",
            "what_helps": ""}


def test_the_about_me_page_asks_and_saves_it(client, pat):
    client.force_login(pat)
    page = client.get(reverse("people:profile")).content.decode()
    assert "How I want to be reached when I need support" in page and "Only people you choose see this" in page
    response = client.post(reverse("people:profile"), ABOUT_ME | {"how_to_reach_me": "Text first, then call"})
    assert response.status_code == 302
    assert PersonProfile.objects.get(user=pat).how_to_reach_me == "Text first, then call"
    assert "Text first, then call" in client.get(reverse("people:profile")).content.decode()


def test_it_is_optional_and_too_long_an_answer_keeps_what_was_typed(client, pat):
    client.force_login(pat)
    assert client.post(reverse("people:profile"), ABOUT_ME).status_code == 302
    assert PersonProfile.objects.get(user=pat).how_to_reach_me == ""
    response = client.post(reverse("people:profile"), ABOUT_ME | {"how_to_reach_me": "call " * 201})
    assert response.status_code == 200 and "call call" in response.content.decode()
    assert PersonProfile.objects.get(user=pat).how_to_reach_me == ""


def test_a_caller_that_leaves_it_out_keeps_what_the_person_wrote(pat):
    services.profile_update(user=pat, how_to_reach_me="Knock twice", **ABOUT_ME)
    services.profile_update(user=pat, **ABOUT_ME | {"what_helps": "Tea"})
    assert PersonProfile.objects.get(user=pat).how_to_reach_me == "Knock twice"


def test_it_is_in_the_persons_data_download(pat):
    services.profile_update(user=pat, how_to_reach_me="Knock twice", **ABOUT_ME)
    assert export_profile(pat)["how_to_reach_me"] == "Knock twice"
