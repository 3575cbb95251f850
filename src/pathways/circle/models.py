"""The person's circle, the consents (grants) that let supporters see something, and the access log."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from pathways.people.models import Role
from pathways.vault.fields import EncryptedCharField


class Category(models.TextChoices):
    """Parts of a person's record that can be shared, each on its own."""

    PLAN = "plan", "my recovery plan"
    CHECKINS = "checkins", "my daily check-ins"
    MEASURES = "measures", "my recovery measures"
    USE_LOG = "use_log", "my use log"
    SAFETY_PLAN = "safety_plan", "my safety plan"
    NOTES = "notes", "notes about our sessions"
    EARLY_WARNING = "early_warning", "early-warning alerts"
    CRISIS_ALERTS = "crisis_alerts", "crisis alerts"
    ABOUT_ME = "about_me", "about me"
    REACH_ME = "reach_me", "how to reach me"
    MESSAGES = "messages", "our messages"
    # Offered only where the person's organisation keeps counselling notes apart (Organisation.counselling_notes_apart).
    COUNSELLING_NOTES = "counselling_notes", "notes about counselling"


class Access(models.TextChoices):
    """How much a grant allows, in increasing order."""

    VIEW = "view", "see"
    SUGGEST = "suggest", "see and suggest changes"
    WRITE = "write", "see and write"


class Change(models.TextChoices):
    """Changes to what a person shares, written to the access log beside the reads (`AccessLogEntry.action`)."""

    GRANT_SIGNED = "grant_signed", "You signed a consent for them"
    GRANT_REVOKED = "grant_revoked", "You revoked a consent"
    GRANT_EXPIRED = "grant_expired", "A consent reached its end date"
    MEMBER_REMOVED = "member_removed", "You took them out of your circle"
    EMERGENCY_OPENED = "emergency_opened", "They opened your record with emergency access"
    EMERGENCY_CLOSED = "emergency_closed", "Their emergency access ended"
    SUPPORTER_LEFT = "supporter_left", "They deleted their account, so what you shared with them ended"
    # Written by an organisation admin about an account of their organisation (the viewer is the admin).
    ACCOUNT_DEACTIVATED = "account_deactivated", "Your organisation deactivated your account"
    ACCOUNT_REACTIVATED = "account_reactivated", "Your organisation reactivated your account"
    TWO_STEP_RESET = "two_step_reset", "Your organisation reset your two-step sign-in"
    PROFESSIONAL_NAMED = "professional_named", "Your organisation named your professional"
    PROFESSIONAL_CLEARED = "professional_cleared", "Your organisation no longer names them as your professional"
    STAFF_DEACTIVATED = "staff_deactivated", "Their organisation deactivated their account, so what you shared ended"


# Changes to someone's account that leave what the person shares as it was (the log says so, not "Sharing ended").
SHARING_UNCHANGED = frozenset({Change.ACCOUNT_REACTIVATED, Change.TWO_STEP_RESET, Change.PROFESSIONAL_NAMED,
                               Change.PROFESSIONAL_CLEARED})


ACCESS_RANK = {Access.VIEW: 1, Access.SUGGEST: 2, Access.WRITE: 3}
# Only the plan takes suggestions and only notes can be written by a supporter; everything else is view.
ALLOWED_ACCESS = {category: {Access.VIEW} for category in Category}
ALLOWED_ACCESS[Category.PLAN] = {Access.VIEW, Access.SUGGEST}
ALLOWED_ACCESS[Category.NOTES] = {Access.VIEW, Access.WRITE}
ALLOWED_ACCESS[Category.COUNSELLING_NOTES] = {Access.VIEW, Access.WRITE}
ALLOWED_ACCESS[Category.MESSAGES] = {Access.WRITE}  # a conversation is read and written, or not at all


class SupporterRole(models.TextChoices):
    PEER_SUPPORTER = "peer_supporter", "peer supporter (expert by experience)"
    PROFESSIONAL = "professional", "professional (expert by profession)"
    ALLY = "ally", "ally (family, friend or sponsor)"


ALERT_ROUNDS = 3


class CircleMember(models.Model):
    """Someone in the person's circle. Removing them ends every grant they hold."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle")
    # Kept (supporter emptied, membership ended) when the supporter deletes their account: the person's
    # record of who was in their circle, and of what they shared with them, is the person's own.
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="supporting")
    role = models.CharField(max_length=20, choices=SupporterRole.choices)
    relationship = EncryptedCharField("how the person describes them", max_length=120, blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    # The person's chosen order for crisis alerts (safety.escalation): round 1 is told at once; each later round
    # only if nobody has answered after the person's chosen wait. Matters only while crisis alerts are shared.
    alert_round = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1),
                                                                          MaxValueValidator(ALERT_ROUNDS)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "supporter"], condition=models.Q(removed_at__isnull=True),
                                    name="one_current_membership_per_supporter"),
        ]


class CircleInvitation(models.Model):
    """A single-use, expiring link the person gives to someone they want in their circle."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_invitations")
    role = models.CharField(max_length=20, choices=SupporterRole.choices)
    name = EncryptedCharField("their name", max_length=150)
    email = models.EmailField(blank=True)
    relationship = EncryptedCharField(max_length=120, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now


class Grant(models.Model):
    """A consent to disclose, modelled on what 42 CFR Part 2 §2.31 requires a written consent to hold.

    A signed grant never changes: to share more or less, the person revokes it and signs a new one.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_given")
    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="grants")
    # Emptied when the recipient deletes their account; the grant has ended by then and names "a deleted account".
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="grants_held")
    recipient_name = EncryptedCharField(max_length=150)
    purpose = EncryptedCharField(max_length=300)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty means until the person revokes it.")
    expiry_event = EncryptedCharField(max_length=200, blank=True)
    signature = EncryptedCharField("typed name", max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = EncryptedCharField(max_length=200, blank=True)
    # When the end date passing was written to the access log (once; see consent_log.endings_record).
    expiry_logged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the person stopped sharing one part, the consent this one replaced (it covers the rest).
    replaces = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-signed_at", "-pk"]

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class GrantItem(models.Model):
    """One category a grant covers, and how much it allows."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=20, choices=Category.choices)
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.VIEW)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grant", "category"], name="one_item_per_category")]


class AlertPreference(models.Model):
    """How the person's crisis alerts travel when nobody answers: the wait between rounds of their circle, and
    whether their organisation's on-duty professional may be told after the last round. No row: the defaults."""

    DEFAULT_WAIT_MINUTES = 15

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference")
    wait_minutes = models.PositiveSmallIntegerField(default=DEFAULT_WAIT_MINUTES,
                                                    validators=[MinValueValidator(1), MaxValueValidator(240)])
    on_duty_allowed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)


class EmergencyAccess(models.Model):
    """A professional opened a record without a grant, giving a reason; it lasts at most an hour."""

    MAX_MINUTES = 60

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emergency_accesses")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedCharField(max_length=500)
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    person_told_at = models.DateTimeField(null=True, blank=True)
    # When its ending was written to the access log (once; see consent_log.endings_record).
    end_logged_at = models.DateTimeField(null=True, blank=True, editable=False)


class AccessLogQuerySet(models.QuerySet):
    def reads(self):
        """Someone else opened (or was refused) part of the person's record."""
        return self.filter(action__in=Access.values)

    def changes(self):
        """A change to what the person shares: a consent signed, revoked or ended, a member removed, emergency access."""
        return self.filter(action__in=Change.values)


class AccessLogEntry(models.Model):
    """One read of a person's data by someone else (allowed or refused), or one change to what the person
    shares (`action` is then a `Change`). Never updated, never deleted.

    People are referred to by their public ids, not foreign keys: deleting an account removes the only
    link from the id to a person, which de-identifies the entries without touching them. The viewer is the
    other person involved: who read, or whom the change is about. For a read, `allowed` says whether it was
    allowed; for a change, whether it opened access (True) or ended it (False).

    Each entry's digest is an HMAC-SHA256, under a key kept outside the database (PATHWAYS_ACCESS_LOG_KEYS,
    named by `key_id`), of its own fields and the previous entry's digest, so editing, deleting or reordering
    any entry breaks the chain from that point on, and nobody without the key can rebuild it
    (`manage.py verify_access_log`; with `--checkpoint`, removing entries from the end is found too).
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    person_ref = models.CharField(max_length=36, db_index=True)
    viewer_ref = models.CharField(max_length=36, db_index=True)
    viewer_name = EncryptedCharField(max_length=150)
    viewer_role = models.CharField(max_length=40)
    category = models.CharField(max_length=20)
    action = models.CharField(max_length=20, choices=Access.choices + Change.choices)
    allowed = models.BooleanField()
    grant_ref = models.CharField(max_length=36, blank=True)
    emergency = models.BooleanField(default=False)
    purpose = EncryptedCharField(max_length=500, blank=True)
    source = models.CharField("where from (IP address)", max_length=64, blank=True)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    key_id = models.CharField("which access-log key signed it", max_length=16, blank=True)

    HASHED_FIELDS = ("sequence", "at", "person_ref", "viewer_ref", "viewer_name", "viewer_role", "category",
                     "action", "allowed", "grant_ref", "emergency", "purpose", "source", "previous_digest", "key_id")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]

    @property
    def is_change(self) -> bool:
        return self.action in Change.values

    @property
    def change_label(self) -> str:
        return dict(Change.choices).get(self.action, "")

    @property
    def outcome_label(self) -> str:
        if self.action in SHARING_UNCHANGED:
            return "What you share did not change"
        return "Sharing started" if self.allowed else "Sharing ended"

    @property
    def category_label(self) -> str:
        return dict(Category.choices).get(self.category, self.category)

    @property
    def viewer_role_label(self) -> str:
        """The viewer's role in words ("peer supporter"), not the stored code ("peer_supporter")."""
        words = {**dict(Role.choices), SupporterRole.ALLY: "ally"}
        return ", ".join(words.get(code, code.replace("_", " ")) for code in self.viewer_role.split(","))

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("access log entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("access log entries are never deleted")


class AccessLogHead(models.Model):
    """The single row that serialises appends to the chain (locked with SELECT ... FOR UPDATE)."""

    sequence = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="0" * 64)


class AccessLogCheckpoint(models.Model):
    """The single row remembering the last checkpoint sent outside the database (circle/checkpoints.py), so a
    new one is written only when the log has moved. Losing or editing it only causes an extra checkpoint."""

    sequence = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    written_at = models.DateTimeField(null=True, blank=True)
