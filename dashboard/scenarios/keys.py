"""Scenario ids and edit keys.

- An **id** (16 URL-safe characters, 96 random bits) names a scenario in its short share link,
  ``/studio?s=ID``. Knowing it lets anyone read the scenario, nothing more.
- An **edit key** (32 URL-safe characters, 192 random bits) lets its holder change, rename,
  delete and restore the scenario. It is shown once, in the creator's private edit link
  (``/studio?s=ID&key=KEY``), and kept in that browser's local storage. The store keeps only its
  SHA-256: a key this random cannot be guessed from its hash, so a slow password hash would add
  nothing, and a copy of the database gives no one the right to edit. A lost key cannot be
  recovered; the scenario stays readable and can be duplicated, and an administrator can issue a
  new key (``centrifuge scenarios key NAME``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ID_BYTES, KEY_BYTES = 12, 24
_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def well_formed(text: object) -> bool:
    """Whether ``text`` could be an id or a key (what a link may carry), before any lookup."""
    return isinstance(text, str) and bool(_SHAPE.fullmatch(text))


def matches(key: str | None, stored: str | None) -> bool:
    """Whether ``key`` is the edit key whose digest is ``stored`` (in constant time)."""
    if not stored or not well_formed(key):
        return False
    return hmac.compare_digest(digest(key), stored)
