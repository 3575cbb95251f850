"""Circle fixtures: Sam, a peer supporter in Pat's circle, and helpers to grant and revoke."""
import pytest

from conftest import PASSWORD
from pathways.circle import services
from pathways.circle.models import SupporterRole
from pathways.people.models import User


@pytest.fixture
def sam(db):
    """Sam, a peer supporter who joined Pat's circle through her invitation link."""
    return User.objects.create_user(email="sam@example.org", password=PASSWORD, name="Sam Rivera",
                                    preferred_name="Sam")


@pytest.fixture
def sams_membership(pat, sam):
    _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    return services.invitation_accept(token=token, supporter=sam)


@pytest.fixture
def plan_grant(sams_membership):
    return services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="To support me",
                                 signature="Pat Example")
