"""The header every page shares: one query for all it asks, answered afresh so changes show on the next page."""
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.checkins.models import GentleNote
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.notifications.services import notify
from pathways.web.selectors import SIGNED_OUT, Header, header_get

MENU_BADGE = '<summary>Menu <span class="badge">{}<span class="visually-hidden"> unread notifications</span>'


def page_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries]


def join_circle(person, supporter) -> None:
    _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name="A supporter")
    circle.invitation_accept(token=token, supporter=supporter)


def test_everything_the_header_asks_is_one_query(pat, lee, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert header_get(viewer=pat) == Header(is_person_in_recovery=True, supports_someone=False,
                                                offers_listening_feedback=False, unread_notifications=0,
                                                has_gentle_notes=False)
    with django_assert_num_queries(1):
        assert header_get(viewer=lee).offers_listening_feedback


def test_a_visitor_who_is_not_signed_in_costs_the_header_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert header_get(viewer=AnonymousUser()) == SIGNED_OUT


def test_the_header_costs_the_same_however_much_the_account_has(pat_client, pat, rue, sam):
    empty = page_queries(pat_client, reverse("plans:plan"))
    for n in range(7):
        notify(recipient=pat, kind="message", title=f"Message {n}", email=False)
    join_circle(rue, pat)
    join_circle(sam, pat)
    busy = page_queries(pat_client, reverse("plans:plan"))
    assert len(busy) == len(empty)


def test_unopened_gentle_notes_cost_one_more_query_however_many(pat_client, pat):
    without = page_queries(pat_client, reverse("plans:plan"))
    GentleNote.objects.create(person=pat, rule="no_contact", explanation={})
    one = page_queries(pat_client, reverse("plans:plan"))
    GentleNote.objects.create(person=pat, rule="lonely_most_days", explanation={})
    two = page_queries(pat_client, reverse("plans:plan"))
    assert len(one) == len(without) + 1 == len(two)
    assert "gentle-note" in pat_client.get(reverse("plans:plan")).content.decode()


def test_a_new_notification_counts_on_the_very_next_page(pat_client, pat):
    assert '<span class="badge">' not in pat_client.get(reverse("plans:plan")).content.decode()
    notify(recipient=pat, kind="message", title="Sam wrote", email=False)
    assert MENU_BADGE.format(1) in pat_client.get(reverse("plans:plan")).content.decode()
    notify(recipient=pat, kind="message", title="Sam wrote again", email=False)
    assert MENU_BADGE.format(2) in pat_client.get(reverse("plans:plan")).content.decode()


def test_someone_added_to_a_circle_finds_people_i_support_on_their_next_page(client, pat, sam):
    client.force_login(sam)
    people_i_support = f'<a href="{reverse("reports:caseload")}"'
    assert people_i_support not in client.get(reverse("notifications:list")).content.decode()
    join_circle(pat, sam)
    assert people_i_support in client.get(reverse("notifications:list")).content.decode()


def test_the_person_sees_their_own_menu_and_safety_plan_and_staff_the_crisis_lines(pat_client, client, lee):
    page = pat_client.get(reverse("notifications:list")).content.decode()
    assert f'<a class="help-now" href="{reverse("safety:plan")}">My safety plan</a>' in page
    assert f'<a href="{reverse("plans:plan")}"' in page
    client.force_login(lee)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'<a class="help-now" href="{reverse("safety:crisis_lines")}">Crisis lines</a>' in page
    assert f'<a href="{reverse("plans:plan")}"' not in page


def test_templates_are_compiled_once_per_process():
    """No "loaders" in the settings, so Django puts its cached loader around the file and app loaders."""
    loaders = engines["django"].engine.template_loaders
    assert [f"{type(loader).__module__}.{type(loader).__name__}" for loader in loaders] == [
        "django.template.loaders.cached.Loader"]
