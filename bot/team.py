"""Managing the team: who holds which role, granting, revoking, invitations."""

from __future__ import annotations

from enum import Enum

from bot.config import Settings
from bot.model import Person, Profile, Roster
from bot.render.i18n import CATALOGS, plain
from bot.roles import Role
from bot.store import Store
from bot.watches import fold

INVITE_PREFIX = "inv_"


class Outcome(Enum):
    GRANTED = "granted"
    ALREADY = "already"
    REVOKED = "revoked"
    NOT_MEMBER = "not_member"
    OWNER_FIXED = "owner_fixed"


def typed_role(text: str) -> Role | None:
    """The role an owner grants by typing its name, in French or English, whatever the case and
    accents ('délégué', 'delegue', 'delegate', 'lecteur', 'reader'); None for another word."""
    typed = fold(text.strip())
    for role in (Role.DELEGATE, Role.READER):
        names = {role.key} | {plain(language, f"role_{role.key}") for language in CATALOGS}
        if typed in {fold(name) for name in names}:
            return role
    return None


def display_name(user_id: int, profile: Profile | None) -> str:
    """'Anne (@anne)', 'Anne', or the bare id for someone who never wrote to the bot."""
    if not profile or not (profile.first_name or profile.username):
        return str(user_id)
    if profile.username:
        return f"{profile.first_name} (@{profile.username})".strip()
    return profile.first_name


async def name_of(store: Store, user_id: int) -> str:
    return display_name(user_id, await store.users.get(user_id))


async def role_of(store: Store, owner_ids: frozenset[int], user_id: int) -> Role:
    """Owners come from the settings (never stored); everyone else holds the role granted."""
    return Role.OWNER if user_id in owner_ids else await store.team.role(user_id)


async def roles(store: Store, owner_ids: frozenset[int]) -> dict[int, Role]:
    """Everyone's role, as `role_of` gives it (those without one are left out)."""
    return {**await store.team.members(), **dict.fromkeys(owner_ids, Role.OWNER)}


async def roster(store: Store, settings: Settings) -> Roster:
    everyone = await roles(store, settings.owner_ids)
    profiles = await store.users.get_many(sorted(everyone))

    def people(role: Role) -> list[Person]:
        return [Person(uid, display_name(uid, profiles.get(uid))) for uid in sorted(everyone) if everyone[uid] is role]

    return Roster(owners=people(Role.OWNER), delegates=people(Role.DELEGATE), readers=people(Role.READER))


async def grant(store: Store, settings: Settings, user_id: int, role: Role) -> Outcome:
    if user_id in settings.owner_ids:
        return Outcome.OWNER_FIXED
    if await store.team.role(user_id) is role:
        return Outcome.ALREADY
    await store.team.grant(user_id, role)
    return Outcome.GRANTED


async def revoke(store: Store, settings: Settings, user_id: int) -> Outcome:
    if user_id in settings.owner_ids:
        return Outcome.OWNER_FIXED
    if not await store.team.revoke(user_id):
        return Outcome.NOT_MEMBER
    await store.briefings.schedule(user_id, None)
    return Outcome.REVOKED


async def create_invite_link(store: Store, role: Role, owner_id: int, bot_username: str) -> str:
    code = await store.team.create_invite(role, owner_id)
    return f"https://t.me/{bot_username}?start={INVITE_PREFIX}{code}"


async def first_contact(store: Store, user_id: int) -> bool:
    """True the first time a stranger is answered: each is told once, then ignored."""
    return await store.team.first_contact(user_id)


async def join_with_invite(store: Store, user_id: int, payload: str) -> Role | None:
    """Consume an invitation from a /start payload; the role granted, or None (also past
    INVITE_GUESSES tries in an hour, when the code is not even looked at)."""
    if not payload.startswith(INVITE_PREFIX) or not await store.team.may_try_invite(user_id):
        return None
    role = await store.team.use_invite(payload[len(INVITE_PREFIX) :])
    if role:
        await store.team.grant(user_id, role)
    return role
