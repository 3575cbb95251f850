"""The learning library: short pieces in our own words about recovery, loaded from Markdown files that an
organisation can add to, hide or replace."""
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pathways.people.models import Organisation


class Audience(models.TextChoices):
    PERSON = "person", "People in recovery"
    SUPPORTER = "supporter", "Supporters"
    FAMILY = "family", "Families"


class Dimension(models.TextChoices):
    """The four dimensions of recovery, as the plan names them (plans sits above this app, so not imported)."""

    HEALTH = "health", "Health"
    HOME = "home", "Home"
    PURPOSE = "purpose", "Purpose"
    COMMUNITY = "community", "Community"


class Piece(models.Model):
    """One piece. Without an organisation it ships with Pathways; an organisation's row with the same slug
    replaces it for that organisation's people, and one marked hidden hides it from them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="library_pieces")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200, blank=True)  # blank only on a row that just hides a shipped piece
    summary = models.TextField(blank=True)
    audience = models.JSONField(default=list, blank=True)  # Audience values
    dimensions = models.JSONField(default=list, blank=True)  # Dimension values; none for a general piece
    content_note = models.TextField(blank=True)  # shown before the body, e.g. "mentions overdose"
    sources = models.JSONField(default=list, blank=True)  # [{"title": ..., "url": ...}]
    last_reviewed = models.DateField(null=True, blank=True)
    body_markdown = models.TextField(blank=True)  # the source, as written
    body_html = models.TextField(blank=True)  # rendered and sanitised when loaded, so pages never render Markdown
    hidden = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="library_one_piece_per_slug"),
            # NULLs differ from each other in a unique index, so shipped pieces need their own.
            models.UniqueConstraint(fields=["slug"], condition=Q(organisation__isnull=True),
                                    name="library_one_shipped_piece_per_slug"),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    def audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audience if value in Audience.values]

    def dimension_labels(self) -> list[str]:
        return [Dimension(value).label for value in self.dimensions if value in Dimension.values]
