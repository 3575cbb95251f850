"""The organisation admin keeps counselling notes apart, or not, on the organisation page."""
from django.urls import reverse

from pathways.people.services import organisation_settings_update


def test_the_admin_turns_counselling_notes_apart_on_and_off(client, ada, organisation):
    client.force_login(ada)
    url = reverse("people:organisation", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert 'name="counselling_notes_apart"' in page and "Keep counselling notes apart" in page
    assert client.post(url, {"country": "", "time_zone": "", "counselling_notes_apart": "on"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.counselling_notes_apart
    assert "checked" in client.get(url).content.decode().split('name="counselling_notes_apart"')[1].split(">")[0]
    client.post(url, {"country": "", "time_zone": ""})  # an unticked box is not sent
    organisation.refresh_from_db()
    assert not organisation.counselling_notes_apart


def test_a_caller_that_does_not_name_it_leaves_it_as_it_is(organisation):
    organisation.counselling_notes_apart = True
    organisation.save()
    organisation_settings_update(organisation=organisation, country="GB", time_zone="", on_duty_professional=None)
    organisation.refresh_from_db()
    assert organisation.counselling_notes_apart and organisation.country == "GB"
