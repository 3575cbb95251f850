"""Model fields whose text is stored as a Fernet token, so the database alone reveals none of it.

The Python value is the plain text: forms, validation and templates see no difference. The column is
`text` whatever the field, because a token is about 4/3 of the text plus 57 characters; the plain-text
limit (max_length) is still checked by forms, by full_clean and, for the char variant, before every write.
Empty text is stored as "" and None as NULL, so `filter(note="")` still works. No other lookup does: a
token differs each time, so selectors sort and match these values in Python.
"""
import json

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import keys


class EmptyOnlyExact(Exact):
    """`field=""` works (empty text is stored as it is); comparing with any other text cannot, so it is refused."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(f"{self.lhs.target.model._meta.label}.{self.lhs.target.name} is encrypted at rest, so SQL "
                             "can only tell whether it is empty; compare its values in Python.")
        return super().get_prep_lookup()


class EncryptedMixin:
    """Encrypts on the way to the database, decrypts on the way back."""

    def where(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_lookup(self, lookup_name):
        # Any other lookup (iexact, contains, in, ...) would silently match nothing: Django then says it is unsupported.
        return {"exact": EmptyOnlyExact, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def to_text(self, value) -> str:
        return value

    def from_text(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_text(keys.decrypt(value, where=self.where()))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keys.encrypt(self.to_text(value))

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A one-line text field (a text input in forms) stored encrypted."""

    def get_prep_value(self, value):
        # The column no longer limits the length, so the limit PostgreSQL used to enforce is kept here.
        if isinstance(value, str) and self.max_length is not None and len(value) > self.max_length:
            raise ValueError(f"{self.where()} is {len(value)} characters; at most {self.max_length} fit.")
        return super().get_prep_value(value)


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A multi-line text field stored encrypted."""


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """JSON that carries typed text (history details, explanations, names), stored as one encrypted document."""

    def to_text(self, value) -> str:
        return json.dumps(value, separators=(",", ":"))

    def from_text(self, text: str):
        return json.loads(text)

    def get_prep_value(self, value):
        # Skip TextField's str() of the value: the whole structure is serialised, then encrypted.
        if value is None:
            return None
        return keys.encrypt(self.to_text(value))

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return self.value_from_object(obj)  # as JSONField does: serializers write the structure itself

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})


def encrypted_fields(models_to_walk):
    """(model, field) for every encrypted field of the concrete, managed models given."""
    for model in models_to_walk:
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedMixin):
                yield model, field
