"""`manage.py check` (and every command that runs checks) reports a missing or malformed field key."""
from django.conf import settings
from django.core.checks import Error, Warning, register

from .keys import key_problem


@register()
def field_keys_check(app_configs, **kwargs):
    found = list(getattr(settings, "PATHWAYS_FIELD_KEYS", []))
    if not found:
        return [Error("No field encryption keys are configured.", hint="Set PATHWAYS_FIELD_KEYS "
                      "(or PATHWAYS_FIELD_KEYS_FILE); `manage.py rotate_field_keys --generate` makes one.",
                      id="pathways.E001")]
    problems = [Error(f"PATHWAYS_FIELD_KEYS: key {position} {problem}.",
                      hint="Each key is 32 random bytes in URL-safe base64, as `rotate_field_keys --generate` prints.",
                      id="pathways.E002")
                for position, key in enumerate(found, start=1) if (problem := key_problem(key))]
    if len(set(found)) < len(found):
        problems.append(Warning("PATHWAYS_FIELD_KEYS lists the same key twice.", id="pathways.W001"))
    return problems
