"""What verification holds about a person (see pathways.lib.personal_data): an email change waiting to be
confirmed. It is not exported and goes with the account."""
from pathways.lib.personal_data import holds

holds("email_change", models=["verification.EmailChange"])
