"""Every Redis key Vigie uses. No other module spells a key name.

    vigie:user:{user_id}            hash    a member's profile: language, timezone, briefing_time
                                            ("HH:MM"), briefing_days (ISO weekdays, e.g. "12345"),
                                            first_name, username, created (unix time)
    vigie:team:roles                hash    user_id -> "delegate" | "reader" (owners come from
                                            VIGIE_OWNER_IDS and are never stored)
    vigie:team:invite:{code}        hash    role, created_by; expires after INVITE_TTL; deleted
                                            when used (one-time)
    vigie:stranger:{user_id}        string  "1" once a non-member was told that access is by
                                            invitation (nothing else is kept about them)
    vigie:worker:heartbeat          string  unix time of the last worker heartbeat
"""

PREFIX = "vigie"


def user(user_id: int) -> str:
    return f"{PREFIX}:user:{user_id}"


TEAM_ROLES = f"{PREFIX}:team:roles"


def invite(code: str) -> str:
    return f"{PREFIX}:team:invite:{code}"


def stranger(user_id: int) -> str:
    return f"{PREFIX}:stranger:{user_id}"


WORKER_HEARTBEAT = f"{PREFIX}:worker:heartbeat"
