"""What the directory holds about a person (see pathways.lib.personal_data): nothing.

A service refers to an organisation, which names its on-duty professional, so the registry's search finds it; a
service is the programme's public information, so an account's download and deletion leave it alone. The services
a person saved are in their plan (pathways.plans.personal_data).
"""
from pathways.lib.personal_data import holds

holds("directory", models=["directory.Service"])
