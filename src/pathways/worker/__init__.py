"""The background worker (`manage.py run_worker`): every app's periodic jobs, then the email outbox.

It sits near the top of the floor plan because it calls into many apps; no app imports it.
"""
