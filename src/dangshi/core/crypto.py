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


# Full-width digits, plus, hyphens and spaces as the plain ones, one character for one so that a
# match in the folded text is at the same place in the original.
_FOLD = {**{0xFF10 + i: 0x30 + i for i in range(10)}, 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x2010: ord("-"),
         0x2011: ord("-"), 0x2012: ord("-"), 0x2013: ord("-"), 0x2014: ord("-"), 0x2212: ord("-"),
         0x3000: ord(" "), 0x00A0: ord(" "), 0xFF0E: ord("."), 0xFF38: ord("X"), 0xFF58: ord("x")}
_SEP = r"[ \t.\-()]{0,2}"  # what people type between digit groups: 139-1234-5678, 139 1234 5678, (139)...
# A mainland mobile number (with +86, 0086 or 86 before it, groups split by separators) or an
# 18-character ID number, standing alone in free text.
PERSONAL_NUMBER = re.compile(
    rf"(?<![\d+])(?:(?:\+|00)?86{_SEP})?1{_SEP}[3-9](?:{_SEP}\d){{9}}(?![\d])"
    r"|(?<!\d)\d{17}[\dXx](?![\dA-Za-z])"
)


# A mainland mobile number as `fold_phone` gives it: 1, a second digit 3-9 (no network
# number starts 10-12), nine more digits.
MOBILE = re.compile(r"1[3-9]\d{9}")


def fold_digits(text: str) -> str:
    """Full-width digits and separators as ASCII, character for character (same length)."""
    return text.translate(_FOLD)


def fold_phone(raw: str) -> str:
    """A phone number as digits only, without +86/0086/86: `+86 139-1234-5678` and
    `１３９１２３４５６７８` both give 13912345678. A number with another country's code keeps
    its `+` (`+1 415…` → `+1415…`); anything else comes back as its digits."""
    folded = fold_digits(raw or "").strip()
    digits = "".join(ch for ch in folded if ch.isascii() and ch.isdigit())
    if folded.startswith("+") and not digits.startswith("86"):
        return "+" + digits  # another country's number: never a mainland mobile
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix):]
    return digits


def blank_personal_numbers(text: str, mark: str = "***") -> str:
    """Phone and ID numbers written into free text, replaced by `mark`: for whatever leaves a
    record for a public place or the audit log. Matched after folding full-width digits and
    separators, so that `+86 139-1234-5678` and `１３９１２３４５６７８` are found too."""
    if not text:
        return text
    folded = fold_digits(text)
    out, at = [], 0
    for match in PERSONAL_NUMBER.finditer(folded):
        out.append(text[at:match.start()])
        out.append(mark)
        at = match.end()
    out.append(text[at:])
    return "".join(out)


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234; `+86 138-1234-1234` and full-width digits the same."""
    if not phone:
        return ""
    phone = fold_phone(phone) or phone
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


def encrypt_bytes(data: bytes) -> bytes:
    """Bytes sealed with the field key (Fernet: encrypted, authenticated and time-stamped)."""
    return _keys()[0].encrypt(data)


def decrypt_bytes(token: bytes, *, ttl: int | None = None) -> bytes | None:
    """The bytes `encrypt_bytes` sealed, or None when older than `ttl` seconds or not ours."""
    try:
        return _keys()[0].decrypt(token, ttl=ttl)
    except InvalidToken:
        return None
