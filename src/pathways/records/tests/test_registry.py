"""Every model that holds something about a person is in an app's personal_data holding, so the download and
the deletion cannot forget it when a model is added."""
from django.apps import apps
from django.conf import settings

from pathways.lib.personal_data import holdings

# Fields that name a person without a foreign key: an address, or the access log's public id.
PERSONAL_FIELD_NAMES = {"email", "to", "person_ref", "viewer_ref"}


def _our_models():
    return [model for model in apps.get_models() if model.__module__.startswith("pathways.")]


def _refers_to_a_person(model, personal: set) -> bool:
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: the other side declares it
        if field.name in PERSONAL_FIELD_NAMES:
            return True
        related = getattr(field, "related_model", None)
        if related is not None and (related._meta.label == settings.AUTH_USER_MODEL or related in personal):
            return True
    return False


def models_holding_personal_data() -> set[str]:
    """Models with a relation to an account (or to such a model), or a field naming a person, to a fixed point."""
    personal: set = {apps.get_model(settings.AUTH_USER_MODEL)}
    changed = True
    while changed:
        changed = False
        for model in _our_models():
            if model not in personal and _refers_to_a_person(model, personal):
                personal.add(model)
                changed = True
    return {model._meta.label for model in personal}


def test_every_model_with_a_persons_data_is_in_a_holding():
    registered = {label for holding in holdings() for label in holding.models}
    missing = models_holding_personal_data() - registered
    assert not missing, f"Add these to their app's personal_data.py holding: {sorted(missing)}"


def test_every_registered_model_exists():
    for holding in holdings():
        for label in holding.models:
            apps.get_model(label)  # raises LookupError for a renamed or removed model


def test_the_finder_notices_a_new_model_that_refers_to_an_account():
    """The check above is only as good as its finder: a model with a foreign key to an account is found."""
    from django.db import models

    class Scratch(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "records"

    try:
        assert _refers_to_a_person(Scratch, set())
    finally:
        apps.all_models["records"].pop("scratch", None)
        apps.clear_cache()
