"""A person's answer about being counted in their programme's statistics: theirs to give, change or take back, never
required, and counted from the next monthly report."""
import re
from datetime import date

import pytest
from django.urls import reverse

from pathways.people.models import Membership, Organisation, Role
from pathways.people.statistics import statistics_choice, statistics_choice_set
from pathways.reports.outcome_selectors import people_who_count
from pathways.reports.outcome_services import outcome_report_publish_due

from .outcome_world import moment

URL = reverse("outcomes:statistics")


@pytest.fixture
def pats_programme(pat, organisation):
    """Pat in Harbour Lights' programme (she signed up on her own first), with its notice."""
    Organisation.objects.filter(pk=organisation.pk).update(
        statistics_notice="We report de-identified figures to our funders each quarter.")
    Membership.objects.create(organisation=organisation, user=pat, role=Role.PERSON)
    pat.home_organisation = organisation
    pat.save()
    return organisation


def pats_membership(pat, organisation) -> Membership:
    return Membership.objects.get(user=pat, organisation=organisation, role=Role.PERSON)


def test_the_page_shows_the_notice_and_that_not_saying_means_not_counted_here(pat_client, pats_programme):
    body = pat_client.get(URL).content.decode()
    assert "We report de-identified figures to our funders each quarter." in body
    assert "You have not said. Harbour Lights Programme counts only people who say yes, so you are not counted." \
        in body
    assert re.search(r'value="not_said"[^>]*checked', body)  # the current answer is the one chosen


def test_where_the_programme_counts_people_by_default_the_page_says_so(pat_client, pats_programme):
    Organisation.objects.filter(pk=pats_programme.pk).update(statistics_by_default=True)
    body = pat_client.get(URL).content.decode()
    assert "counts people who have not said, so you are counted" in body
    assert "I would rather not say (you are counted, as the programme decides)" in body


@pytest.mark.parametrize(("answer", "stored", "words"), [
    ("yes", True, "You are counted from the next monthly report on."),
    ("no", False, "You are not counted from the next monthly report on."),
])
def test_saying_yes_or_no_is_saved_with_when(pat_client, pat, pats_programme, answer, stored, words):
    response = pat_client.post(URL, {"answer": answer}, follow=True)
    membership = pats_membership(pat, pats_programme)
    assert membership.statistics_consent is stored and membership.statistics_consent_changed_at is not None
    assert words in response.content.decode()
    assert (pat.pk in set(people_who_count(pats_programme).values_list("user_id", flat=True))) is stored


def test_an_answer_can_be_taken_back_to_not_said(pat_client, pat, pats_programme):
    pat_client.post(URL, {"answer": "yes"})
    pat_client.post(URL, {"answer": "not_said"})
    assert pats_membership(pat, pats_programme).statistics_consent is None
    assert "You have not said." in pat_client.get(URL).content.decode()


def test_saving_the_same_answer_again_keeps_the_date_it_was_given(pat, pats_programme):
    first = statistics_choice_set(person=pat, answer=False).changed_at
    assert statistics_choice_set(person=pat, answer=False).changed_at == first
    assert statistics_choice_set(person=pat, answer=None).changed_at > first


def test_an_answer_that_is_not_one_of_the_three_changes_nothing_and_says_what_to_do(pat_client, pat, pats_programme):
    pat_client.post(URL, {"answer": "yes"})
    response = pat_client.post(URL, {"answer": "maybe"})
    assert response.status_code == 200
    assert "Choose one of the three answers. Nothing has changed yet." in response.content.decode()
    assert pats_membership(pat, pats_programme).statistics_consent is True


def test_someone_on_their_own_is_in_no_programme_and_nothing_is_asked(client, rue):
    client.force_login(rue)
    body = client.get(URL).content.decode()
    assert "You use Pathways on your own" in body and "<form" not in body.split("<main")[1]
    assert client.post(URL, {"answer": "yes"}).status_code == 200
    assert statistics_choice(person=rue) is None
    assert not Membership.objects.filter(user=rue, statistics_consent__isnull=False).exists()


def test_staff_have_no_answer_to_give(client, lee):
    client.force_login(lee)
    assert client.get(URL).status_code == 404


def test_the_answer_is_on_about_me(pat_client, pats_programme):
    assert f'href="{URL}"' in pat_client.get(reverse("people:profile")).content.decode()


def test_a_new_answer_counts_from_the_next_monthly_report(pat, pats_programme):
    Organisation.objects.filter(pk=pats_programme.pk).update(created_at=moment(date(2026, 9, 1)))
    Membership.objects.filter(user=pat).update(created_at=moment(date(2026, 10, 5)))
    pats_programme.refresh_from_db()
    statistics_choice_set(person=pat, answer=True)
    october = outcome_report_publish_due(organisation=pats_programme, today=date(2026, 11, 2))
    statistics_choice_set(person=pat, answer=False)
    october.refresh_from_db()
    assert october.counts["month:2026-10:enrolled"] == 1  # what was made stays as it was
    november = outcome_report_publish_due(organisation=pats_programme, today=date(2026, 12, 2))
    assert "month:2026-10:enrolled" not in november.counts  # nobody is counted any more
