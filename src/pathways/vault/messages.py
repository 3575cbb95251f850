"""Messages ("Added your goal “…”") kept only in an encrypted cookie, never in the session table.

Confirmations quote what the person typed. Django's default storage falls back to the session (a database
row) when the cookie is full, and its cookie is signed but readable; this one is a cookie only, encrypted
with the field keys, so typed text is neither in the database nor readable from the browser's cookie store.
"""
from django.contrib.messages.storage.cookie import CookieStorage

from . import keys


class EncryptedCookieStorage(CookieStorage):
    def _encode_parts(self, messages, encode_empty=False):
        signed = super()._encode_parts(messages, encode_empty=encode_empty)
        return keys.encrypt(signed) if signed else signed

    def _decode(self, data):
        if not data:
            return None
        try:
            signed = keys.decrypt(data, where="the messages cookie")
        except keys.UndecryptableValue:
            self.used = True  # as Django does for a cookie it cannot trust: drop it
            return None
        return super()._decode(signed)
