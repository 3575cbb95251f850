"""Circle fixtures: Sam's place in Pat's circle, and a grant of her plan."""
import pytest

from pathways.circle import services
from pathways.circle.models import SupporterRole


@pytest.fixture
def sams_membership(pat, sam):
    _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    return services.invitation_accept(token=token, supporter=sam)


@pytest.fixture
def plan_grant(sams_membership):
    return services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="To support me",
                                 signature="Pat Example")
