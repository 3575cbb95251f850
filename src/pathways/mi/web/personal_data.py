"""What listening feedback holds about a person (see pathways.lib.personal_data): transcripts they saved."""
from pathways.lib.personal_data import holds

from .models import SavedTranscript


def export_saved_transcripts(user) -> list[dict]:
    return [{"public_id": str(t["public_id"]), "title": t["title"], "text": t["text"], "created_at": t["created_at"]}
            for t in SavedTranscript.objects.filter(owner=user).order_by("created_at", "pk")
            .values("public_id", "title", "text", "created_at")]


holds("saved_transcripts", models=["mi_web.SavedTranscript"], export=export_saved_transcripts)
