"""Every Redis key Vigie uses. No other module spells a key name.

  vigie:user:{user_id}            hash    a member's profile: language, timezone, briefing_time
                                          ("HH:MM"), briefing_days (ISO weekdays, e.g. "12345"),
                                          first_name, username, active ("0" once Telegram said
                                          they blocked the bot), created (unix time)
  vigie:team:roles                hash    user_id -> "delegate" | "reader" (owners come from
                                          VIGIE_OWNER_IDS and are never stored)
  vigie:team:invite:{code}        hash    role, created_by; expires after INVITE_TTL; deleted
                                          when used (one-time)
  vigie:team:invite_tries:{user_id}  string  invitation codes tried by that user this hour
                                          (expires after the window)
  vigie:stranger:{user_id}        string  "1" once a non-member was told that access is by
                                          invitation (nothing else is kept about them)
  vigie:worker:heartbeat          string  unix time of the last worker heartbeat
  vigie:processes                 hash    host:pid -> "{mode} {unix time}" of each running process
                                          (bot, worker or both), refreshed every 10 s
  vigie:health:probe              string  written to prove that Redis accepts writes again after
                                          an outage (expires)
  vigie:console:seeded            string  unix time the console's samples were seeded (once: what
                                          the person changes afterwards stays)

Watching
  vigie:watches                   set     watch ids (bot.model.Watch.id_for: the slug of its name, hashed when not plain)
  vigie:watch:{id}                hash    name, query (as typed; normalized before groups existed), created_by, created
  vigie:watch:{id}:followers      set     user ids who follow the watch
  vigie:user:{user_id}:watches    set     watch ids the user follows
  vigie:watch:{id}:items          zset    item key -> published time (trimmed to the retention)
  vigie:watch:{id}:volume:{day}   hash    15-minute bucket (unix time // 900) -> items published
                                          in it, for the UTC day (unix time // 86400); expires
                                          when it no longer serves the usual (bot.volume)
  vigie:watch:{id}:crisis         string  JSON of the watch's crisis detector between ingest
                                          cycles (bot.crisis.Tracking)
  vigie:news:items                zset    general news (feeds that belong to no watch)
  vigie:following:items           zset    the posts of the X accounts followed (bot.following)
  vigie:item:{source}:{id}        string  JSON of an item and the other sources that carried it;
                                          expires after the retention
  vigie:seen:{day}                hash    fingerprint (item key, canonical URL, quoted post, text)
                                          -> item key stored that day (unix time // 86400), for
                                          deduplication; expires after the retention
  vigie:feeds                     set     feed ids (sha1 of the canonical URL, 12 hex)
  vigie:feed:{id}                 hash    url, title, targets (watch ids and/or "news", comma-
                                          separated), added_by, etag, last_modified, last_ok,
                                          last_error (why the last fetch failed, in codes: reason:value),
                                          error_kind, failures, paused, created
  vigie:feeds:due                 zset    feed id -> next poll time
  vigie:xq:{hash}                 hash    an X search query: query, since_id, next_poll
  vigie:x:limit:{endpoint}        string  unix time until which that endpoint is rate limited
                                          (and "trends:briefing": until when briefings leave the
                                          trends to the poll after a failed fetch)
  vigie:x:cost:{day|month}        hash    reads and micro-dollars per kind, per UTC day / month
  vigie:trends:{woeid}            string  JSON of the last trends for a place (expires)
  vigie:trends:places             zset    woeid -> last time someone asked for its trends (the
                                          places kept fresh by ingest)
  vigie:events:items              stream  new items per watch (watch, item), for alerts
  vigie:lock:{name}               string  a lease (one ingest cycle, one poller at a time): its
                                          holder's token, expiring unless renewed

Following (X accounts Vigie's account follows for the team: bot.following)
  vigie:following                 set     X user ids of the accounts followed
  vigie:following:{x_id}          hash    one of them (bot.model.Followed's fields): username, name,
                                          verified, pending ("1" while a protected account has not
                                          accepted), by, since, since_id (the newest post read),
                                          next_poll
  vigie:following:offer:{x_id}    hash    an account looked up with /follow, waiting for its Follow
                                          button (bot.model.XUser's fields); expires after an hour

Posting
  vigie:posting:hold              string  JSON {by (owner id), since (unix time), watch_id}: posting
                                          paused until an owner resumes (absent otherwise)
  vigie:draft:{id}                hash    a post on its way to X (bot.model.Draft's fields), and
                                          attempt:{part} -> unix time a sender called X for that
                                          part; open ones expire after a day, others after 30
  vigie:drafts:due                zset    draft id -> unix time its sender takes it (cooling-off
                                          over, or to take over from a dead sender)
  vigie:drafts:open               zset    draft id -> unix time it last changed (previews and
                                          approvals, expired after a day)
  vigie:posts:recent              list    the texts of the last 100 posts sent (newest first), for
                                          the duplicate warning
  vigie:guardrails                set     subjects to warn about (absent: the defaults; "" marks a
                                          list an owner emptied)
  vigie:user:{user_id}:expecting  string  what the member's next text is for ("post", "edit:{id}",
                                          "reject:{id}"); expires after 15 minutes

Briefings
  vigie:briefings:due             zset    user id -> unix time of their next briefing
  vigie:briefing:claim:{user}:{date}  string  set once the briefing of that local date is taken
                                          (exactly once across workers); expires after 3 days
  vigie:briefing:last:{user}      string  unix time up to which the last briefing reported
  vigie:briefing:{user}:{id}      string  JSON of a sent briefing's stories (the "More" button)
  vigie:user:{user_id}:muted      set     watch ids left out of the user's briefings

Receiving
  vigie:updates:pending           hash    update id -> JSON of an update fetched from Telegram and
                                          not yet handled (replayed after a crash)
  vigie:updates:handled           zset    update id -> unix time it was handled (kept 48 h): an
                                          update redelivered by Telegram is not handled again

Delivery
  vigie:dq:{chat_id}:{priority}   list    JSON messages waiting for that chat at that priority
                                          (0 crisis, 1 approval, 2 briefing and notices, 3 alert)
  vigie:dq:{chat_id}:sending      list    the message being sent to that chat (sent again by the
                                          next holder of the chat when its sender died)
  vigie:delivery:ready            zset    chat id -> priority * 10^13 + queue time (ms) of its
                                          first message: chats to take, first in line first
  vigie:delivery:later            zset    chat id -> Redis time (ms) before which it is not taken
                                          (Telegram's retry_after, a backoff)
  vigie:delivery:lease:{chat_id}  string  the token of the sender holding the chat (expires)
  vigie:delivery:depth            hash    priority -> messages waiting
  vigie:delivery:sent:{chat_id}   hash    purpose -> Telegram message id (expires after 30 days)
  vigie:delivery:blob:{sha256}    string  base64 of bytes to send (a chart), kept a day
  vigie:delivery:file:{sha256}    string  the Telegram file id those bytes were sent as
  vigie:delivery:failed           list    JSON {message, reason, at} of the last 1,000 failures
  vigie:delivery:stats:{date}     hash    sent, resent, retried, too_many, failed, dropped that
                                          UTC day (kept 8 days)
  vigie:delivery:totals           hash    the same, since the start (Prometheus counters)
  vigie:pacing:global             string  Redis time (ms) before which no message may be sent to
                                          Telegram by any process (the global rate, or a pause)
  vigie:pacing:chat:{chat_id}     string  the same for one chat (1/s private, 20/min group)
"""

PREFIX = "vigie"


def user(user_id: int) -> str:
    return f"{PREFIX}:user:{user_id}"


TEAM_ROLES = f"{PREFIX}:team:roles"


def invite(code: str) -> str:
    return f"{PREFIX}:team:invite:{code}"


def invite_tries(user_id: int) -> str:
    return f"{PREFIX}:team:invite_tries:{user_id}"


def stranger(user_id: int) -> str:
    return f"{PREFIX}:stranger:{user_id}"


WORKER_HEARTBEAT = f"{PREFIX}:worker:heartbeat"
PROCESSES = f"{PREFIX}:processes"
HEALTH_PROBE = f"{PREFIX}:health:probe"
CONSOLE_SEEDED = f"{PREFIX}:console:seeded"


WATCHES = f"{PREFIX}:watches"


def watch(watch_id: str) -> str:
    return f"{PREFIX}:watch:{watch_id}"


def watch_followers(watch_id: str) -> str:
    return f"{PREFIX}:watch:{watch_id}:followers"


def user_watches(user_id: int) -> str:
    return f"{PREFIX}:user:{user_id}:watches"


def watch_items(watch_id: str) -> str:
    return f"{PREFIX}:watch:{watch_id}:items"


FOLLOWING = f"{PREFIX}:following"


def followed(x_user_id: str) -> str:
    return f"{PREFIX}:following:{x_user_id}"


def follow_offer(x_user_id: str) -> str:
    return f"{PREFIX}:following:offer:{x_user_id}"


POSTING_HOLD = f"{PREFIX}:posting:hold"
DRAFTS_DUE = f"{PREFIX}:drafts:due"
DRAFTS_OPEN = f"{PREFIX}:drafts:open"
POSTS_RECENT = f"{PREFIX}:posts:recent"
JOURNAL = f"{PREFIX}:journal"  # list of JSON JournalEntry, newest first (bot.store.journal)
GUARDRAILS = f"{PREFIX}:guardrails"


def draft(draft_id: str) -> str:
    return f"{PREFIX}:draft:{draft_id}"


def expecting(user_id: int) -> str:
    return f"{PREFIX}:user:{user_id}:expecting"


def watch_crisis(watch_id: str) -> str:
    return f"{PREFIX}:watch:{watch_id}:crisis"


def watch_crisis_message(watch_id: str) -> str:
    """The latest crisis alert's message (bot.model.CrisisMessage) while its episode lasts."""
    return f"{PREFIX}:watch:{watch_id}:crisis:message"


def watch_crisis_following(watch_id: str) -> str:
    """The chats that follow the evolution of the watch's crisis."""
    return f"{PREFIX}:watch:{watch_id}:crisis:following"


def watch_cells(watch_id: str) -> str:
    """The groups (crisis cells) the watch's crisis alerts also go to: chat id -> [language, zone]."""
    return f"{PREFIX}:watch:{watch_id}:cells"


def watch_alerted(watch_id: str) -> str:
    """The chats with a topic alert on the watch."""
    return f"{PREFIX}:watch:{watch_id}:alerted"


def chat_alerts(chat_id: int) -> str:
    """A chat's topic alerts: watch id -> its Subscription (JSON)."""
    return f"{PREFIX}:chat:{chat_id}:alerts"


def alert_pending(chat_id: int, watch_id: str) -> str:
    """The keys of the items waiting to be told in a chat's next topic alert on a watch."""
    return f"{PREFIX}:alerts:pending:{chat_id}:{watch_id}"


def alert_sent(chat_id: int, watch_id: str) -> str:
    """When the chat's last topic alert on the watch was queued (unix seconds)."""
    return f"{PREFIX}:alerts:sent:{chat_id}:{watch_id}"


ALERTS_PENDING = f"{PREFIX}:alerts:pending"  # "{chat}:{watch}" of every pending list


def watch_volume(watch_id: str, day: int) -> str:
    return f"{PREFIX}:watch:{watch_id}:volume:{day}"


NEWS_ITEMS = f"{PREFIX}:news:items"
FOLLOWED_ITEMS = f"{PREFIX}:following:items"


def items_new(day: str) -> str:
    """Per source ("x", "feed:{id}"): the items it brought that were new, that UTC day."""
    return f"{PREFIX}:items:new:{day}"


def item(item_key: str) -> str:
    return f"{PREFIX}:item:{item_key}"


def seen_bucket(day: int) -> str:
    return f"{PREFIX}:seen:{day}"


FEEDS = f"{PREFIX}:feeds"
FEEDS_DUE = f"{PREFIX}:feeds:due"


def feed(feed_id: str) -> str:
    return f"{PREFIX}:feed:{feed_id}"


def x_query(query_hash: str) -> str:
    return f"{PREFIX}:xq:{query_hash}"


def x_limit(endpoint: str) -> str:
    return f"{PREFIX}:x:limit:{endpoint}"


X_QUOTAS = f"{PREFIX}:x:quotas"  # endpoint -> "remaining reset", X's last rate-limit headers


def x_cost(period: str) -> str:
    return f"{PREFIX}:x:cost:{period}"


def trends(woeid: int) -> str:
    return f"{PREFIX}:trends:{woeid}"


TRENDS_PLACES = f"{PREFIX}:trends:places"


ITEM_EVENTS = f"{PREFIX}:events:items"


def lock(name: str) -> str:
    return f"{PREFIX}:lock:{name}"


DELIVERY_QUEUE = f"{PREFIX}:dq:"  # + "{chat_id}:{priority}" (the scripts append it)
DELIVERY_LEASE = f"{PREFIX}:delivery:lease:"  # + chat id
DELIVERY_READY = f"{PREFIX}:delivery:ready"
DELIVERY_LATER = f"{PREFIX}:delivery:later"
DELIVERY_DEPTH = f"{PREFIX}:delivery:depth"
DELIVERY_FAILED = f"{PREFIX}:delivery:failed"
DELIVERY_TOTALS = f"{PREFIX}:delivery:totals"


def delivery_queue(chat_id: int, priority: int) -> str:
    return f"{DELIVERY_QUEUE}{chat_id}:{priority}"


def delivery_sending(chat_id: int) -> str:
    return f"{DELIVERY_QUEUE}{chat_id}:sending"


def delivery_lease(chat_id: int) -> str:
    return f"{DELIVERY_LEASE}{chat_id}"


def delivery_sent(chat_id: int) -> str:
    return f"{PREFIX}:delivery:sent:{chat_id}"


def delivery_blob(digest: str) -> str:
    return f"{PREFIX}:delivery:blob:{digest}"


def delivery_file(digest: str) -> str:
    return f"{PREFIX}:delivery:file:{digest}"


def delivery_stats(day: str) -> str:
    return f"{PREFIX}:delivery:stats:{day}"


PACING_GLOBAL = f"{PREFIX}:pacing:global"


def pacing_chat(chat_id: int | str) -> str:
    return f"{PREFIX}:pacing:chat:{chat_id}"


PENDING_UPDATES = f"{PREFIX}:updates:pending"
HANDLED_UPDATES = f"{PREFIX}:updates:handled"

BRIEFINGS_DUE = f"{PREFIX}:briefings:due"


def briefing_claim(user_id: int, date: str) -> str:
    return f"{PREFIX}:briefing:claim:{user_id}:{date}"


def briefing_last(user_id: int) -> str:
    return f"{PREFIX}:briefing:last:{user_id}"


def briefing(user_id: int, briefing_id: str) -> str:
    return f"{PREFIX}:briefing:{user_id}:{briefing_id}"


def muted(user_id: int) -> str:
    return f"{PREFIX}:user:{user_id}:muted"
