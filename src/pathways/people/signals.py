"""Signals other apps listen to, so people never imports the apps above it.

`person_joined` is sent, inside the joining transaction, when an account becomes a person an organisation
serves (role PERSON): the plans app starts their plan then (plans/receivers.py).
"""
from django.dispatch import Signal

person_joined = Signal()  # keyword arguments: person (User), organisation (Organisation)
