"""Many writers at once on one SQLite file, through the real services and pages; prints what happened as JSON.

Run as `python concurrent_writers.py WRITERS EACH CLIENTS POSTS` with DJANGO_SETTINGS_MODULE and DATABASE_URL set.
Every thread has its own database connection (Django gives each thread one) and closes it when done.

Services: each writer completes EACH distinct steps of one shared plan (read-modify-write: the service
re-reads the step under lock), saves EACH check-ins for distinct (person, day) pairs of ten shared people,
and changes one shared person's check-in for today. Pages: CLIENTS test clients, each signed in, post
check-ins to /checkin/ at the same time, POSTS each (two of them for the same person's today).
"""
import json
import sys
import threading
import traceback
from datetime import timedelta

CHECKIN_PEOPLE = 10


def main(writers: int, each: int, clients: int, posts: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from pathways.checkins.models import DailyCheckIn, UseLog
    from pathways.checkins.services import daily_checkin_save
    from pathways.people.models import User
    from pathways.plans.models import PlanChange, Step, StepStatus, Win
    from pathways.plans.services import goal_create, plan_create, step_complete, step_create

    today = timezone.localdate()
    owner = User.objects.create_user(email="shared@example.org")
    plan = plan_create(person=owner)
    goal = goal_create(plan=plan, actor=owner, dimension="health", title="Sleep before midnight")
    step_ids = [step_create(goal=goal, actor=owner, text=f"step {n}").pk for n in range(writers * each)]
    people = [User.objects.create_user(email=f"person{n}@example.org") for n in range(CHECKIN_PEOPLE)]
    visitors = [User.objects.create_user(email=f"visitor{n}@example.org") for n in range(clients - 1)]
    for visitor in visitors:
        plan_create(person=visitor)
    changes_before = PlanChange.objects.filter(plan=plan).count()
    connection.close()

    errors: list[str] = []
    statuses: list[int] = []
    start = threading.Barrier(writers + clients, timeout=60)  # broken, not hung, if a thread fails first

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(each):
                step = Step.objects.get(pk=step_ids[number * each + n])  # as a page would, before the transaction
                step_complete(step=step, actor=owner)
                person = people[number % CHECKIN_PEOPLE]
                day = today - timedelta(days=(number // CHECKIN_PEOPLE) * each + n)
                daily_checkin_save(person=person, day=day, answers={"mood": 1 + n % 5, "note": f"w{number} n{n}"},
                                   use={"used": "no", "what": f"w{number}"})
            daily_checkin_save(person=owner, day=today, answers={"mood": 1 + number % 5, "note": f"writer {number}"},
                               use={"what": f"writer {number}"})
        except Exception:
            errors.append(traceback.format_exc())
            start.abort()
        finally:
            connection.close()

    def visitor(number: int) -> None:
        try:
            person = visitors[number] if number < len(visitors) else visitors[0]  # the last shares the first's
            client = Client(raise_request_exception=False)
            client.force_login(person)
            start.wait()
            for n in range(posts):
                back = n if number < len(visitors) else 0  # the two on one account both change today's only
                response = client.post(f"/checkin/?day={today - timedelta(days=back)}",
                                       {"mood": str(1 + n % 5), "cravings": "2", "note": f"v{number} n{n}"})
                statuses.append(response.status_code)
        except Exception:
            errors.append(traceback.format_exc())
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    threads += [threading.Thread(target=visitor, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    shared_today = DailyCheckIn.objects.select_related("use").filter(person=owner, day=today).first()
    return {
        "errors": errors,
        "statuses": statuses,
        "steps_done": Step.objects.filter(pk__in=step_ids, status=StepStatus.DONE, completed_at__isnull=False).count(),
        "wins": Win.objects.filter(step_id__in=step_ids).count(),
        "step_done_history": sorted(change.details["step"]  # details are encrypted: read in Python
                                    for change in PlanChange.objects.filter(plan=plan, action="step_done")),
        "other_history": PlanChange.objects.filter(plan=plan).exclude(action="step_done").count() - changes_before,
        "step_ids": step_ids,
        "writer_checkins": DailyCheckIn.objects.filter(person__in=people).count(),
        "writer_use_logs": UseLog.objects.filter(checkin__person__in=people, used="no").count(),
        "shared_today": shared_today and [shared_today.note, shared_today.mood, shared_today.use.what],
        "visitor_checkins": sorted([email, str(day)] for email, day in DailyCheckIn.objects.filter(
            person__in=visitors).values_list("person__email", "day")),
    }


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:5])), default=str))
