"""What the sign-ins app holds about a person (see pathways.lib.personal_data): where they are signed in and
forms kept across a session that ended. Nothing of it is exported: it describes devices, not the person's
recovery, and it all goes with the account."""
from pathways.lib.personal_data import holds

from .services import sessions_end


def end_every_session(user) -> None:
    """Any other signed-in session of this account ends (the current one is ended by the view's logout)."""
    sessions_end(user=user)


holds("sign_ins", models=["signins.AccountSession", "signins.TimedOutSession", "signins.HeldForm"],
      forget=end_every_session)
