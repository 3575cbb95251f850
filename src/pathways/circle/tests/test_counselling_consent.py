"""The consent form offers "notes about counselling" only where the person's organisation keeps them apart."""
import pytest

from pathways.circle import wording
from pathways.circle.forms import NOT_OFFERED
from pathways.circle.models import Category, Grant


def share_url(member):
    return f"/circle/members/{member.public_id}/share/"


def grant_post(**shares):
    return {"purpose": "Weekly support", "until": "revoked", "signature": "Pat Example"} | shares


@pytest.fixture
def pat_at(pat, organisation):
    pat.home_organisation = organisation
    pat.save(update_fields=["home_organisation"])
    return organisation


def test_offered_and_signed_where_the_organisation_keeps_them_apart(pat_client, pat, pat_at, sams_membership):
    pat_at.counselling_notes_apart = True
    pat_at.save()
    page = pat_client.get(share_url(sams_membership)).content.decode()
    assert "Notes about counselling" in page and 'name="share_counselling_notes"' in page
    response = pat_client.post(share_url(sams_membership), grant_post(share_counselling_notes="view"))
    assert response.status_code == 302
    assert list(Grant.objects.get().items.values_list("category", flat=True)) == [Category.COUNSELLING_NOTES]


@pytest.mark.parametrize("with_organisation", [True, False])
def test_hidden_elsewhere_and_a_forged_choice_is_refused(pat_client, pat, organisation, sams_membership,
                                                         with_organisation):
    if with_organisation:  # an organisation that does not keep them apart; else Pat's own, as she signed up
        pat.home_organisation = organisation
        pat.save(update_fields=["home_organisation"])
    page = pat_client.get(share_url(sams_membership)).content.decode()
    assert "Notes about counselling" not in page and "share_counselling_notes" not in page
    assert "Notes about our sessions" in page
    for forged in (grant_post(share_counselling_notes="view"),
                   grant_post(share_counselling_notes="write", share_plan="view")):
        response = pat_client.post(share_url(sams_membership), forged)
        assert response.status_code == 200 and NOT_OFFERED.split(":")[0] in response.content.decode()
    assert not Grant.objects.exists()


def test_the_category_reads_well_in_the_persons_words():
    assert wording.yours(Category.COUNSELLING_NOTES) == "your counselling notes"
    assert Category.COUNSELLING_NOTES in wording.PLURAL
