"""Accounts, the organisations people belong to, their roles there, and invitations to join."""
import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from pathways.vault.fields import EncryptedCharField, EncryptedTextField

from .time_zones import validate_time_zone


class Organisation(models.Model):
    """A programme that runs Pathways; a person who signs up alone gets a personal one."""

    name = models.CharField(max_length=200)
    is_personal = models.BooleanField(default=False)
    # Defaults for its people: the crisis lines they see before choosing a country, and their clock.
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. GB.")
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone],
                                 help_text="IANA name, e.g. Europe/London.")
    # Told of a person's crisis alert when nobody in their circle answered in time, if the person allowed it.
    on_duty_professional = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True,
                                             related_name="+")
    # Counselling notes shared under a consent category of their own, apart from other session notes.
    counselling_notes_apart = models.BooleanField(default=False)
    # Whether a person who has not said either way is counted in programme statistics, and the notice that tells
    # people so (the organisation's own words; people may change their answer at any time).
    statistics_by_default = models.BooleanField(default=False)
    statistics_notice = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class AccountManager(UserManager):
    """Accounts are identified by email address, not a separate user name."""

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Anyone who signs in: a person in recovery, a supporter, or an organisation admin."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    # The id used in URLs and in the access log, so neither reveals row counts or outlives a deletion.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = EncryptedCharField("full name", max_length=150, blank=True)
    preferred_name = EncryptedCharField(max_length=80, blank=True)
    pronouns = EncryptedCharField(max_length=40, blank=True)
    home_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    # Empty: the organisation's time zone, else the site's (pathways.people.time_zones).
    time_zone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone],
                                 help_text="IANA name, e.g. America/Chicago.")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = AccountManager()

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name or self.email.split("@")[0]

    def __str__(self) -> str:
        return self.display_name


class Role(models.TextChoices):
    PERSON = "person", "person in recovery"
    PEER_SUPPORTER = "peer_supporter", "peer supporter"
    PROFESSIONAL = "professional", "professional"
    ADMIN = "admin", "organisation admin"


STAFF_ROLES = (Role.PEER_SUPPORTER, Role.PROFESSIONAL, Role.ADMIN)


class Membership(models.Model):
    """What someone is in an organisation: a person it serves, a member of staff, or an admin."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Set while an admin has deactivated the account (it left the programme); the record is kept.
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # For a person: the organisation's professional who is their key contact. Naming one shares nothing;
    # the person decides whether to add them to their circle and what to share.
    professional = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # For a person: whether they are counted in programme statistics. Empty: they have not said, and the
    # organisation's default (Organisation.statistics_by_default) applies.
    statistics_consent = models.BooleanField(null=True, blank=True)
    statistics_consent_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "role"], name="one_role_once_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class PersonProfile(models.Model):
    """The person's own words about who they are and what helps them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    culture = EncryptedTextField(blank=True, max_length=2000)
    language = EncryptedCharField(max_length=200, blank=True)
    faith = EncryptedTextField(blank=True, max_length=2000)
    what_helps = EncryptedTextField(blank=True, max_length=4000)
    # Shared on its own ("how to reach me"), so a supporter answering an alert knows what the person wants.
    how_to_reach_me = EncryptedTextField(blank=True, max_length=1000)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code; chooses the crisis lines shown.")
    updated_at = models.DateTimeField(auto_now=True)


def token_digest(token: str) -> str:
    """Only a digest of an invitation token is stored, so a database copy cannot be used to join."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class OrganisationInvitation(models.Model):
    """A single-use, expiring invitation to join an organisation as a person or as staff."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    # Empty for an organisation's first admin, invited from the server (`manage.py create_organisation`).
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now


class PendingSignUp(models.Model):
    """A sign-up waiting for its email address to be confirmed by the link sent to it.

    What was typed is kept encrypted, like the account's own names, and the password only as Django's password
    hash. The link's token is made by the worker when it sends the email, and only its digest is stored, so
    neither this row nor the outbox ever holds a usable link.
    """

    email = models.EmailField()
    password_hash = models.CharField(max_length=128)
    name = EncryptedCharField(max_length=150, blank=True)
    preferred_name = EncryptedCharField(max_length=80, blank=True)
    pronouns = EncryptedCharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
