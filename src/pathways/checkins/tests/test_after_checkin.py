"""What a saved check-in is answered with: the crisis lines after a risk answer, the person's own plan after a
lapse, a safer-use card, their own steps on a hard day — and nothing but thanks on an ordinary day."""
import pytest
from django.utils import timezone

from pathways.checkins import services
from pathways.checkins.models import EarlyWarningSetting
from pathways.circle import services as circle_services
from pathways.circle.models import SupporterRole
from pathways.people.models import PersonProfile
from pathways.plans import services as plan_services
from pathways.plans.models import PlanChange
from pathways.safety import services as safety_services


def in_country(person, country):
    PersonProfile.objects.update_or_create(user=person, defaults={"country": country})


def check_in(client, **answers):
    return client.post("/checkin/", answers, follow=True)


class TestALapse:
    def test_is_answered_with_kind_words_and_the_persons_own_plan(self, pat_client, pat):
        in_country(pat, "AU")
        plan_services.lapse_plan_update(plan=pat.plan, actor=pat, what_i_will_do="Eat something\nGo to bed early",
                                        who_i_will_tell="My brother Tom 0491 570 006")
        response = check_in(pat_client, used="yes", is_lapse="on", what_was_happening="Payday drinks")
        body = response.content.decode()
        assert response.redirect_chain[-1][0] == "/checkin/saved/"
        assert "Thank you for noting it" in body and "does not undo your progress" in body
        assert "Eat something" in body and "Go to bed early" in body
        assert 'href="tel:0491570006">0491 570 006</a>' in body  # what the person wrote, dialled as written
        assert 'href="/safety/"' in body and 'href="/circle/"' in body

    def test_without_a_plan_for_it_the_person_is_invited_to_write_one(self, pat_client, pat):
        body = check_in(pat_client, is_lapse="on").content.decode()
        assert "Write my plan for this" in body and 'href="/plan/if-i-lapse/"' in body

    def test_the_plan_section_is_the_persons_to_write_with_its_history(self, pat_client, pat):
        response = pat_client.post("/plan/if-i-lapse/", {"lapse_what_i_will_do": "Call Jo",
                                                          "lapse_who_i_will_tell": "Jo"})
        assert response.status_code == 302
        pat.plan.refresh_from_db()
        assert (pat.plan.lapse_what_i_will_do, pat.plan.lapse_who_i_will_tell) == ("Call Jo", "Jo")
        assert PlanChange.objects.filter(plan=pat.plan, action="lapse_plan_updated").count() == 1
        assert "Call Jo" in pat_client.get("/plan/").content.decode()

    def test_the_reflections_show_again_on_progress_and_history(self, pat_client, pat):
        check_in(pat_client, is_lapse="on", what_was_happening="A hard phone call",
                 what_i_learned="Text Jo before I open the fridge")
        progress = pat_client.get("/people/progress/").content.decode()
        assert "A hard phone call" in progress and "Text Jo before I open the fridge" in progress
        assert 'href="/people/progress/#lapses"' in pat_client.get("/plan/history/").content.decode()


class TestReflectionsForSupporters:
    def grant(self, pat, sam, items):
        _, token = circle_services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
        member = circle_services.invitation_accept(token=token, supporter=sam)
        circle_services.grant_create(member=member, items=items, purpose="x", signature="Pat")

    def test_only_the_use_log_grant_shows_them_and_only_when_the_person_shares_them(self, client, pat, sam):
        services.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"mood": 3},
                                    use={"is_lapse": True, "what_i_learned": "Leave the party by ten"})
        self.grant(pat, sam, {"checkins": "view"})
        client.force_login(sam)
        assert "Leave the party by ten" not in client.get(f"/people/{pat.public_id}/progress/").content.decode()
        self.grant(pat, sam, {"use_log": "view"})
        assert "Leave the party by ten" not in client.get(f"/people/{pat.public_id}/progress/").content.decode()
        services.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"mood": 3},
                                    use={"is_lapse": True, "what_i_learned": "Leave the party by ten",
                                         "reflection_shared": True})
        assert "Leave the party by ten" in client.get(f"/people/{pat.public_id}/progress/").content.decode()


class TestSaferUse:
    @pytest.fixture(autouse=True)
    def harm_reduction(self, pat):
        plan_services.pathways_set(plan=pat.plan, actor=pat, chosen={"harm_reduction": ""})

    def test_using_alone_brings_the_card_and_the_countrys_overdose_line(self, pat_client, pat):
        in_country(pat, "US")
        body = check_in(pat_client, used="yes", not_alone="no", naloxone_at_hand="yes").content.decode()
        assert "Staying safer when you use" in body and "Start low, go slow" in body
        assert 'href="tel:18004843731"' in body and 'href="tel:911"' in body

    def test_where_no_overdose_line_is_known_the_card_still_helps(self, pat_client, pat):
        in_country(pat, "GB")
        body = check_in(pat_client, used="yes", tested_supply="no").content.decode()
        assert "Staying safer when you use" in body and "1-800-484-3731" not in body

    def test_a_safer_day_brings_no_card(self, pat_client, pat):
        response = check_in(pat_client, used="yes", not_alone="yes", naloxone_at_hand="yes", tested_supply="yes")
        assert response.redirect_chain[-1][0] == "/people/progress/"

    def test_only_on_the_harm_reduction_pathway(self, pat_client, pat):
        plan_services.pathways_set(plan=pat.plan, actor=pat, chosen={"abstinence": ""})
        services.daily_checkin_save(person=pat, day=timezone.localdate(), answers={},
                                    use={"used": "yes", "not_alone": "no"})
        assert "Staying safer" not in pat_client.get("/checkin/saved/", follow=True).content.decode()


class TestAHardDay:
    @pytest.fixture
    def safety_plan(self, pat):
        return safety_services.safety_plan_save(person=pat, coping_on_my_own="Walk to the park\nHot shower",
                                                people_to_ask="Ana 020 7946 0018")

    @pytest.mark.parametrize("answers", [{"cravings": "8"}, {"mood": "2"}, {"mood": "1"},
                                         {"hungry": "yes", "lonely": "yes", "tired": "yes"}])
    def test_is_answered_with_the_persons_own_steps_and_people(self, pat_client, pat, safety_plan, answers):
        in_country(pat, "GB")
        body = check_in(pat_client, **answers).content.decode()
        assert "For today, from your own plan" in body
        assert "Walk to the park" in body and "Hot shower" in body
        assert 'href="tel:+442079460018"' in body
        assert "choose signs for Pathways to watch for" in body  # no signs set up yet

    @pytest.mark.parametrize("answers", [{"cravings": "6", "mood": "3"}, {"hungry": "yes", "tired": "yes"},
                                         {"cravings": "prefer_not", "mood": "prefer_not"}])
    def test_an_ordinary_or_declined_day_is_not_called_hard(self, pat_client, pat, safety_plan, answers):
        assert check_in(pat_client, **answers).redirect_chain[-1][0] == "/people/progress/"

    def test_steps_from_the_early_warning_plan_count_and_signs_end_the_invitation(self, pat_client, pat):
        services.warning_sign_add(person=pat, stage="emotional", sign="Snapping at people",
                                  what_i_will_do="Ten minutes of breathing", who_i_will_contact="Sam")
        body = check_in(pat_client, cravings="9").content.decode()
        assert "Ten minutes of breathing" in body and "Sam" in body
        assert "choose signs for Pathways to watch for" not in body

    def test_the_person_can_turn_it_off(self, pat_client, pat, safety_plan):
        response = pat_client.post("/warning-signs/hard-days/", {}, follow=True)
        assert "you will not see that block" in response.content.decode()
        assert not EarlyWarningSetting.objects.get(person=pat).answer_hard_days
        assert check_in(pat_client, cravings="9").redirect_chain[-1][0] == "/people/progress/"


class TestARiskAnswerSavedAgain:
    def test_says_who_was_told_earlier_and_that_nobody_was_told_again(self, pat_client, pat, sam):
        _, token = circle_services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
        member = circle_services.invitation_accept(token=token, supporter=sam)
        circle_services.grant_create(member=member, items={"crisis_alerts": "view"}, purpose="x", signature="Pat")
        first = check_in(pat_client, self_harm_thoughts="some").content.decode()
        assert "we let Sam know just now" in first
        again = check_in(pat_client, self_harm_thoughts="some", is_lapse="on").content.decode()
        assert "Earlier today, at" in again and "we let Sam know that you may need support" in again
        assert "Nobody was told again" in again
        assert "About the lapse you noted" in again  # the lapse is answered too, below the lines
