"""Circle fixtures: a grant of Pat's plan to Sam (their place in her circle, `sams_membership`, is in the root
conftest.py)."""
import pytest

from pathways.circle import services


@pytest.fixture
def plan_grant(sams_membership):
    return services.grant_create(member=sams_membership, items={"plan": "view"}, purpose="To support me",
                                 signature="Pat Example")
