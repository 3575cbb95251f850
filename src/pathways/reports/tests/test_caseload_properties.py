"""Whatever grants exist, the caseload shows a state exactly when the viewer's live grant covers its category.

Hypothesis draws, for three people who each have every state (a plan, check-ins gone quiet, a crisis alert the
viewer was told about, an early-warning sign the circle was told about), a few grants to the viewer: each a
random set of categories, revoked or not. The page must show each person with a live grant, each state whose
category one of those grants covers and no other, and log exactly one read per state shown.
"""
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pathways.circle.models import AccessLogEntry, Category, Grant

from .caseload_world import STATE_WORDS, every_state, grant, person_in_circle_of
from .test_caseload import CASELOAD, cards, last_sequence

NAMES = ("Pat", "Rue", "Kai")
CATEGORIES = [*STATE_WORDS, Category.SAFETY_PLAN, Category.MEASURES]

grant_specs = st.tuples(st.frozensets(st.sampled_from(CATEGORIES), min_size=1), st.booleans())  # (categories, revoked)
worlds = st.fixed_dictionaries({name: st.lists(grant_specs, max_size=2) for name in NAMES})


@pytest.fixture
def caseload_people(sam):
    """The three people, each with Sam in their circle and every state; grants are drawn for each example."""
    people = {}
    for name in NAMES:
        person, member = person_in_circle_of(sam, name)
        every_state(person, sam)
        people[name] = member
    return people


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
@given(world=worlds)
def test_the_caseload_shows_exactly_the_states_granted(client, sam, caseload_people, world):
    Grant.objects.filter(recipient=sam).delete()
    granted = {}
    for name, specs in world.items():
        member = caseload_people[name]
        for categories, revoked in specs:
            consent = grant(member, {category: "view" for category in categories})
            if revoked:
                Grant.objects.filter(pk=consent.pk).update(revoked_at=timezone.now())
            else:
                granted.setdefault(name, set()).update(categories)
    client.force_login(sam)
    before = last_sequence()
    shown = cards(client.get(CASELOAD).content.decode())
    assert set(shown) == set(granted), "the caseload lists exactly the people with a live grant"
    for name, card in shown.items():
        for category, words in STATE_WORDS.items():
            assert (words in card) == (category in granted[name]), f"{name}: {category} shown={words in card}"
    refs = {str(caseload_people[name].person.public_id): name for name in NAMES}
    logged = sorted((refs[ref], category) for ref, category in AccessLogEntry.objects.reads()
                    .filter(sequence__gt=before, allowed=True).values_list("person_ref", "category"))
    assert logged == sorted((name, str(category)) for name, categories in granted.items()
                            for category in categories if category in STATE_WORDS)
