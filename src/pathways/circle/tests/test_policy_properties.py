"""The access policy agrees with a ten-line model of consent, whatever grants exist.

Hypothesis draws a small world (grants from Pat and Rue to a few people, each grant's categories and
access levels, expiry in the past, in the future or never, revoked or not, memberships ended or not,
emergency accesses running or over, who is a professional of the organisation now, accounts deactivated
or not) and questions about it (may this
viewer take this action on this person's category?). `policy.decide`, `can`, `permits_and_log` and `require_and_log`
must answer exactly as `reference()` does; a deactivated or signed-out viewer is always refused; and
every read by someone other than the person is logged once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from pathways.circle import policy, services
from pathways.circle.models import (
    ACCESS_RANK,
    ALLOWED_ACCESS,
    Access,
    AccessLogEntry,
    Category,
    CircleMember,
    EmergencyAccess,
    Grant,
    SupporterRole,
)
from pathways.people.models import Membership, Organisation, Role, User

PEOPLE = ("pat", "rue")  # people in recovery, who give grants
SUPPORTERS = ("ash", "kim", "jo")
EVERYONE = (*PEOPLE, *SUPPORTERS, "stranger")  # the stranger is in nobody's circle
SHAREABLE = [(category, access) for category in Category for access in Access if access in ALLOWED_ACCESS[category]]


# --- the model ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GrantSpec:
    person: str
    recipient: str
    items: dict  # category -> access
    expiry: str  # "never", "past" or "future"
    revoked: bool


@dataclass(frozen=True)
class World:
    grants: list[GrantSpec]
    removed: frozenset  # (person, supporter) memberships that ended
    emergencies: dict = field(default_factory=dict)  # (person, professional) -> "running" or "over"
    deactivated: frozenset = frozenset()
    professionals: frozenset = frozenset()  # who is a professional of Pat's and Rue's organisation right now


def reference(world: World, viewer: str, person: str, category: Category, action: Access) -> bool:
    """Who may do what, in plain terms."""
    if viewer in world.deactivated:
        return False
    if viewer == person:
        return True
    if person in world.deactivated:
        return False
    for grant in world.grants:
        if ((grant.person, grant.recipient) == (person, viewer) and not grant.revoked and grant.expiry != "past"
                and (person, viewer) not in world.removed and category in grant.items
                and ACCESS_RANK[grant.items[category]] >= ACCESS_RANK[action]):
            return True
    return (action == Access.VIEW and world.emergencies.get((person, viewer)) == "running"
            and viewer in world.professionals)  # emergency access ends with the job


# --- drawing worlds and questions ---------------------------------------------------------------------

# (person, someone else): who gives, and to whom.
pairs = st.sampled_from(PEOPLE).flatmap(
    lambda person: st.tuples(st.just(person), st.sampled_from([o for o in (*PEOPLE, *SUPPORTERS) if o != person])))
grant_specs = st.builds(
    lambda pair, items, expiry, revoked: GrantSpec(pair[0], pair[1], dict(items), expiry, revoked),
    pairs,
    st.lists(st.sampled_from(SHAREABLE), min_size=1, max_size=4, unique_by=lambda item: item[0]),
    st.sampled_from(["never", "past", "future"]),
    st.booleans(),
)
worlds = st.builds(
    World,
    grants=st.lists(grant_specs, max_size=6),
    removed=st.frozensets(pairs, max_size=3),
    emergencies=st.dictionaries(pairs, st.sampled_from(["running", "over"]), max_size=2),
    deactivated=st.frozensets(st.sampled_from(EVERYONE), max_size=2),
    professionals=st.frozensets(st.sampled_from(EVERYONE), max_size=3),
)
questions = st.lists(
    st.tuples(st.sampled_from(EVERYONE), st.sampled_from(PEOPLE), st.sampled_from(list(Category)),
              st.sampled_from(list(Access))),
    min_size=1, max_size=20,
)

# Each example rebuilds rows, so examples are slow-ish: no deadline, and no "explain" phase after a failure
# (shrinking to the smallest failing world already says what went wrong).
PROPERTY_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                         phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])


@pytest.fixture
def accounts(pat, rue) -> dict[str, int]:
    """Primary keys of everyone in the world; rows are rebuilt for every example."""
    organisation = Organisation.objects.create(name="Harbour")
    User.objects.filter(pk__in=[pat.pk, rue.pk]).update(home_organisation=organisation)
    ids = {"pat": pat.pk, "rue": rue.pk}
    for name in (*SUPPORTERS, "stranger"):
        ids[name] = User.objects.create_user(email=f"{name}@example.org", preferred_name=name.title()).pk
    return ids


def build(world: World, ids: dict[str, int]) -> dict[str, User]:
    """Make the database hold exactly `world` (Hypothesis runs many examples in one test transaction)."""
    now = timezone.now()
    Grant.objects.all().delete()  # and their items
    CircleMember.objects.all().delete()
    EmergencyAccess.objects.all().delete()
    User.objects.filter(pk__in=ids.values()).update(is_active=True)
    users = User.objects.in_bulk(ids.values())
    members = {}

    def member(pair):
        if pair not in members:
            members[pair] = CircleMember.objects.create(person=users[ids[pair[0]]], supporter=users[ids[pair[1]]],
                                                        role=SupporterRole.PEER_SUPPORTER)
        return members[pair]

    for spec in world.grants:
        grant = services.grant_create(member=member((spec.person, spec.recipient)), items=spec.items,
                                      purpose="To support me", signature=spec.person.title(),
                                      expires_at=None if spec.expiry == "never" else now + timedelta(days=1))
        changes = {"revoked_at": now} if spec.revoked else {}
        if spec.expiry == "past":
            changes["expires_at"] = now - timedelta(seconds=1)
        Grant.objects.filter(pk=grant.pk).update(**changes)
    for pair in world.removed:  # an ended membership, its grants left unrevoked: the policy must refuse anyway
        CircleMember.objects.filter(pk=member(pair).pk).update(removed_at=now)
    for (person, professional), state in world.emergencies.items():
        started = now - timedelta(minutes=90 if state == "over" else 10)
        EmergencyAccess.objects.create(person=users[ids[person]], professional=users[ids[professional]],
                                       reason="No answer for days", started_at=started,
                                       ends_at=started + timedelta(minutes=EmergencyAccess.MAX_MINUTES))
    organisation = users[ids["pat"]].home_organisation
    Membership.objects.filter(organisation=organisation, role=Role.PROFESSIONAL).delete()
    Membership.objects.bulk_create(Membership(organisation=organisation, user=users[ids[name]], role=Role.PROFESSIONAL)
                                   for name in world.professionals)
    User.objects.filter(pk__in=[ids[name] for name in world.deactivated]).update(is_active=False)
    fresh = User.objects.in_bulk(ids.values())
    return {name: fresh[pk] for name, pk in ids.items()}


def assert_authority_is_real(decision, viewer: User, person: User, category: Category, action: Access):
    """An allowed decision names a grant or emergency that really covers the question."""
    now = timezone.now()
    if decision.grant is not None:
        grant = Grant.objects.select_related("member").get(pk=decision.grant.pk)
        assert (grant.person_id, grant.recipient_id) == (person.pk, viewer.pk)
        assert grant.is_live(now) and grant.member.removed_at is None
        item = grant.items.get(category=category)
        assert ACCESS_RANK[Access(item.access)] >= ACCESS_RANK[action]
    elif decision.emergency is not None:
        assert action == Access.VIEW
        assert (decision.emergency.person_id, decision.emergency.professional_id) == (person.pk, viewer.pk)
        assert decision.emergency.started_at <= now < decision.emergency.ends_at
    else:
        assert viewer.pk == person.pk, "allowed on no authority, yet the viewer is not the person"


# --- the properties -----------------------------------------------------------------------------------

@settings(max_examples=80, **PROPERTY_SETTINGS)
@given(world=worlds, asked=questions)
def test_decide_and_can_agree_with_the_reference_model(accounts, world, asked):
    users = build(world, accounts)
    # Besides the drawn questions, ask about every category of every grant at every level: the edges.
    about_grants = [(g.recipient, g.person, c, a) for g in world.grants for c in g.items for a in Access]
    for viewer, person, category, action in asked + about_grants:
        expected = reference(world, viewer, person, category, action)
        decision = policy.decide(users[viewer], users[person], category, action)
        context = f"{viewer} -> {action} {person}'s {category}"
        assert decision.allowed == expected, f"{context}: policy says {decision.allowed}, the model {expected}"
        assert policy.can(users[viewer], users[person], category, action) == expected, context
        if decision.allowed:
            assert_authority_is_real(decision, users[viewer], users[person], category, action)
        event("allowed as the person" if decision.allowed and viewer == person else
              "allowed by a grant" if decision.grant else "allowed by emergency access" if decision.emergency else
              "refused")


@settings(max_examples=40, **PROPERTY_SETTINGS)
@given(world=worlds, asked=questions)
def test_a_deactivated_account_is_refused_everything_even_its_own_record(accounts, world, asked):
    users = build(world, accounts)
    for viewer, person, category, action in asked:
        User.objects.filter(pk=users[viewer].pk).update(is_active=False)
        deactivated = User.objects.get(pk=users[viewer].pk)
        assert not policy.decide(deactivated, users[person], category, action).allowed
        assert not policy.can(deactivated, users[person], category, action)
        User.objects.filter(pk=users[viewer].pk).update(is_active=viewer not in world.deactivated)


@settings(max_examples=30, **PROPERTY_SETTINGS)
@given(world=worlds, asked=questions)
def test_signed_out_visitors_are_refused_everything(accounts, world, asked):
    users = build(world, accounts)
    for _, person, category, action in asked:
        for nobody in (AnonymousUser(), None):
            assert not policy.decide(nobody, users[person], category, action).allowed
            assert not policy.can(nobody, users[person], category, action)
            with pytest.raises(Http404):
                policy.require_and_log(nobody, users[person], category, action)


def _new_log_entries(before: int) -> list[AccessLogEntry]:
    """The reads logged after entry `before` (a refusal may also write that a consent ended: a change, not a read)."""
    return list(AccessLogEntry.objects.reads().filter(sequence__gt=before).order_by("-sequence"))


@settings(max_examples=30, **PROPERTY_SETTINGS)
@given(world=worlds, asked=questions)
def test_permits_and_require_agree_and_log_every_read_by_someone_else(accounts, world, asked):
    """`permits_and_log` answers like the model; `require_and_log` answers 404 exactly when refused; each logs one
    read."""
    users = build(world, accounts)
    for viewer, person, category, action in asked:
        expected = reference(world, viewer, person, category, action)
        for check in ("permits_and_log", "require_and_log"):
            before = AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
            if check == "permits_and_log":
                assert policy.permits_and_log(users[viewer], users[person], category, action) == expected
            elif expected:
                policy.require_and_log(users[viewer], users[person], category, action)  # no exception
            else:
                with pytest.raises(Http404):
                    policy.require_and_log(users[viewer], users[person], category, action)
            entries = _new_log_entries(before)
            if viewer == person:
                assert entries == [], "reading your own record is not a disclosure"
                continue
            assert len(entries) == 1, f"{check}: {viewer} reading {person}'s {category} should log one entry"
            entry = entries[0]
            assert (entry.person_ref, entry.viewer_ref) == (str(users[person].public_id), str(users[viewer].public_id))
            assert (entry.category, entry.action, entry.allowed) == (str(category), str(action), expected)
