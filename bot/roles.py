"""Roles and what each may do. Owners come from VIGIE_OWNER_IDS; owners grant the others."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """Ordered: a higher role may do everything a lower one may."""

    STRANGER = 0
    READER = 1
    DELEGATE = 2
    OWNER = 3

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def grantable(cls, name: str) -> Role | None:
        """The role an owner may grant by that name ("delegate" or "reader"), else None."""
        return {"delegate": cls.DELEGATE, "reader": cls.READER}.get(name.lower())
