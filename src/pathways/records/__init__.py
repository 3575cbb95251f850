"""Whole-record work: a person's download of everything Pathways holds about them, and deleting their account.

It sits above every domain app in the floor plan and imports none of their models: each app says what it
holds about a person in its own `personal_data.py` (pathways.lib.personal_data), and this app walks that list.
"""
