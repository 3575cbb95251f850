"""What the reports app holds about a person (see pathways.lib.personal_data): nothing.

An outcome report refers to an organisation, which names its on-duty professional, so the registry's search
finds it; it holds only counts and means over people, so an account's download and deletion leave it alone.
"""
from pathways.lib.personal_data import holds

holds("outcome_reports", models=["reports.OutcomeReport"])
