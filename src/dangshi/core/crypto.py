"""Personal data at rest: Fernet-encrypted columns, HMAC digests for lookups, masks for display.

Ciphertext is randomised, so equality lookups (a duplicate ID number) go through a
keyed digest column instead; the digest is useless without FIELD_ENCRYPTION_KEY.
"""

import base64
import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _keys() -> tuple[Fernet, bytes]:
    seed = settings.FIELD_ENCRYPTION_KEY.encode()
    enc = hashlib.sha256(b"dangshi-field-encryption:" + seed).digest()
    mac = hashlib.sha256(b"dangshi-field-digest:" + seed).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _keys()[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("encrypted value cannot be read with this FIELD_ENCRYPTION_KEY") from None


def digest(value: str) -> str:
    """Keyed digest of a normalised value, for unique constraints and lookups."""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python sees the clear value.

    Never filter on it (ciphertexts differ for equal values): keep a digest column.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else (value or "")


# A mainland mobile number or an 18-character ID number, standing alone in free text.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def blank_personal_numbers(text: str, mark: str = "***") -> str:
    """Phone and ID numbers written into free text, replaced by `mark`: for whatever leaves a
    record for a public place or the audit log."""
    return PERSONAL_NUMBER.sub(mark, text)


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(number: str) -> str:
    """420106199001011234 → 420***********1234."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_name(name: str) -> str:
    """For citizens on public pages: 张三丰 → 张**."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
