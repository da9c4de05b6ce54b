"""Why something failed, in the reader's language: a `Failure`'s reason as a short phrase (for a
list, a status line), a source's failure as a sentence (the answer to the command that met it)."""

from __future__ import annotations

import time

from bot.model import Failure, RateLimited, SourceError
from bot.render.i18n import Html, plain, t


def reason(language: str, failure: Failure) -> Html:
    """'nom de site introuvable : exemple.invalid', 'erreur HTTP 404' (safe HTML)."""
    return Html(t(language, f"reason_{failure.reason.value}", value=failure.value))


def source_error(language: str, error: SourceError, now: float | None = None) -> str:
    """The sentence for a source's failure: what kind of failure, and why."""
    if isinstance(error, RateLimited):
        minutes = max(1, round((error.reset_at - (now or time.time())) / 60))
        wait = (
            plain(language, "in_minutes", n=minutes) if minutes < 120 else plain(language, "in_hours", n=minutes // 60)
        )
        return t(language, "source_rate_limited", wait=wait)
    kind = error.kind if error.kind in _SENTENCES else "error"
    return t(language, f"source_{kind}", reason=reason(language, error.failure))


_SENTENCES = {"unreachable", "refused", "too_large", "bad_status", "not_a_feed", "malformed", "unauthorized"}
