"""Messages in the member's language, always: every error a member can meet is told from the
catalogs, in French and in English, end to end through the local Bot API, feed and X servers.
A French answer holds no English word, and no answer holds a system error ("Errno", an
exception's name)."""

from __future__ import annotations

import re

import pytest

from bot.feeds import typed_url
from bot.ingest import Ingest
from bot.model import NEWS, Failure, Feed, Reason, TrendsView, feed_id
from bot.render.failures import reason
from bot.render.watching import trends_screen
from bot.roles import Role
from bot.text import canonical_url
from tests.conftest import OWNER_ID, free_port, running_bot

# Words of the English messages and of the system errors that leaked into French answers.
ENGLISH = {
    "the", "is", "not", "only", "are", "fetched", "read", "address", "addresses", "private", "reserved",
    "failed", "error", "connection", "refused", "timeout", "timed", "out", "unreachable", "resolves",
    "redirects", "large", "found", "bytes", "call", "known", "unknown", "choose", "delegate", "reader", "name",
    "feed", "server", "answered", "with", "written", "unusual", "form", "credentials", "too", "many", "requests",
}  # fmt: skip
SYSTEM = re.compile(r"Errno|Traceback|\b[A-Z]\w*(Error|Exception)\b|\bos error\b", re.IGNORECASE)
_ECHOED = re.compile(r"\S+://\S+|/\w+|\b[\w-]+(\.[\w-]+)+(:\d+)?\S*|« [^»]* »|“[^”]*”")  # URLs, commands, hosts, quotes


def english_words(text: str) -> set[str]:
    """English words of `text`, what it echoes (addresses, hosts, quoted input) aside."""
    return {w for w in re.findall(r"[^\W\d_]+", _ECHOED.sub(" ", text)) if w.lower() in ENGLISH}


def check(language: str, command: str, text: str) -> None:
    """A member's answer: no system error in any language, no English in French."""
    assert not SYSTEM.search(text), (command, text)
    if language == "fr":
        assert not english_words(text), (command, english_words(text), text)


# (command, what the answer says in French, in English); {feeds} is the local feed server.
FEED_ERRORS = [
    (
        "/feed add ftp://example.com/rss",
        "Adresse refusée : seules les adresses http:// et https:// sont lues.",
        "Address refused: only http:// and https:// addresses are read.",
    ),
    (
        "/feed add http://192.168.1.1/rss",
        "Adresse refusée : 192.168.1.1 est une adresse privée ou réservée.",
        "Address refused: 192.168.1.1 is a private or reserved address.",
    ),
    (
        "/feed add http://0x7f000001/rss",
        "Adresse refusée : 127.0.0.1, écrite sous une forme inhabituelle.",
        "Address refused: 127.0.0.1, written in an unusual form.",
    ),
    (
        "/feed add http://localhost/rss",
        "Adresse refusée : localhost est un nom local.",
        "Address refused: localhost is a local name.",
    ),
    (
        "/feed add http://anne:secret@example.com/rss",
        "Adresse refusée : une adresse avec identifiant ou mot de passe n’est pas lue.",
        "Address refused: an address with a user name or password is not read.",
    ),
    (
        "/feed add http://nonexistent.invalid/rss",
        "Site injoignable (nom de site introuvable : nonexistent.invalid). Vérifiez l’adresse, ou réessayez plus tard.",
        "The site cannot be reached (site name not found: nonexistent.invalid). Check the address, or try again later.",
    ),
    (
        "/feed add http://127.0.0.1:{closed}/rss",
        "Site injoignable (connexion refusée).",
        "The site cannot be reached (connection refused).",
    ),
    (
        "/feed add {feeds}/hang",
        "Site injoignable (pas de réponse à temps).",
        "The site cannot be reached (no answer in time).",
    ),
    (
        "/feed add {feeds}/missing.xml",
        "Le serveur a répondu par une erreur HTTP 404.",
        "The server answered with an HTTP error 404.",
    ),
    (
        "/feed add {feeds}/failing.xml",
        "Le serveur a répondu par une erreur HTTP 500.",
        "The server answered with an HTTP error 500.",
    ),
    (
        "/feed add {feeds}/html",
        "Cette adresse n’est pas un flux RSS ou Atom",
        "This address is not an RSS or Atom feed",
    ),
    (
        "/feed add {feeds}/huge.xml",
        "Réponse trop volumineuse (plus de 10 Mo)",
        "The response is too large (over 10 MB)",
    ),
    (
        "/feed add {feeds}/redirect-loop",
        "Adresse refusée : plus de 5 redirections.",
        "Address refused: more than 5 redirects.",
    ),
    (
        "/feed add {feeds}/redirect-private",
        "Adresse refusée : 10.0.0.1 est une adresse privée ou réservée.",
        "Address refused: 10.0.0.1 is a private or reserved address.",
    ),
    (
        "/feed add {host}/rss-sample.xml",  # no scheme: tried as https, which this server does not speak
        "Site injoignable (échec de la connexion sécurisée). Vérifiez l’adresse, ou réessayez plus tard.\n"
        "Adresse sans http:// ni https:// : j’ai essayé https://{host}/rss-sample.xml",
        "The site cannot be reached (secure connection failed). Check the address, or try again later.\n"
        "No http:// or https:// in the address: I tried https://{host}/rss-sample.xml",
    ),
    (
        "/feed add nonexistent.invalid/rss",
        "Site injoignable (nom de site introuvable : nonexistent.invalid). Vérifiez l’adresse, ou réessayez plus tard.\n"
        "Adresse sans http:// ni https:// : j’ai essayé https://nonexistent.invalid/rss",
        "The site cannot be reached (site name not found: nonexistent.invalid). Check the address, or try again later.\n"
        "No http:// or https:// in the address: I tried https://nonexistent.invalid/rss",
    ),
    (
        "/team add chef 555",
        "Rôle inconnu : « chef ». Choisissez délégué ou lecteur",
        "Unknown role: “chef”. Choose delegate or reader",
    ),
    ("/trends", "Les tendances demandent un accès à l’API X", "Trends need access to the X API"),
]
# Answers already from the catalogs, walked for English words and system errors all the same.
OTHER_ERRORS = [
    "/watch Darty",
    "/watch add Fnac fnac OR",
    "/watch add Fnac fnac url:x",
    "/settings fuseau Mars/Olympus",
    "/settings heure 25:00",
    "/settings calme jamais",
    "/settings alertes 999",
    "/settings délai 5",
    "/alert Fnac min:beaucoup",
    "/alert Darty",
    "/guardrails ajouter",
    "/journal beaucoup",
    "/follow ???",
    "/team add délégué abc",
    "/team rm abc",
    "/inconnue",
]


@pytest.fixture
async def walking_bot(settings, tg, feeds):
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host}), feed_timeout=2) as running:
        yield running


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_every_feed_error_is_told_in_the_members_language(walking_bot, tg, feeds, language):
    feeds.fail_next("/failing.xml", 500)
    host = feeds.url.removeprefix("http://")
    values = {"feeds": feeds.url, "host": host, "closed": free_port()}
    asking = Members(walking_bot, tg, language)
    for command, french, english in FEED_ERRORS:
        command = command.format(**values)
        answer = await asking.ask(command)
        assert (french if language == "fr" else english).format(**values) in answer["text"], (command, answer["text"])
        check(language, command, answer["text"])
    for command in OTHER_ERRORS:
        check(language, command, (await asking.ask(command))["text"])
    assert await walking_bot.services.store.feeds.all() == []


class Members:
    """Who asks: the owner for the owners' commands, else a new delegate each time (a private
    chat gets about one message a second: one chat each keeps the walk fast)."""

    OWNERS_ONLY = ("/team", "/journal", "/follow", "/status", "/guardrails", "/settings délai", "/settings cooling")

    def __init__(self, bot, tg, language: str) -> None:
        self.bot, self.tg, self.language = bot, tg, language
        self.next_id = 7000

    async def ask(self, command: str) -> dict:
        if command.startswith(self.OWNERS_ONLY):
            return await self.tg.ask(self.tg.user(OWNER_ID, language_code=self.language), command)
        self.next_id += 1
        await self.bot.services.store.team.grant(self.next_id, Role.DELEGATE)
        return await self.tg.ask(self.tg.user(self.next_id, language_code=self.language), command)


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_x_failures_are_told_in_the_members_language(x_bot, tg, language):
    running, x = x_bot
    owner = tg.user(OWNER_ID, language_code=language)
    expected = {
        503: ("Le serveur a répondu par une erreur HTTP 503.", "The server answered with an HTTP error 503."),
        401: ("Les identifiants ont été refusés.", "The credentials were refused."),
        429: ("Trop de requêtes : nouvel essai dans 1 min.", "Too many requests: next try in 1 min."),
    }
    for status, (french, english) in expected.items():
        x.fail_next("trends", status)
        answer = await tg.ask(owner, "/trends")
        assert answer["text"] == (french if language == "fr" else english), answer["text"]
        check(language, "/trends", answer["text"])
    x.fail_next("trends", 200, malformed=True)
    answer = await tg.ask(owner, "/trends")
    assert answer["text"] == (
        "Réponse illisible du service." if language == "fr" else "Unreadable answer from the service."
    )

    x.fail_next("search", 503)
    added = await tg.ask(owner, "/watch add Fnac fnac")
    french = "X n’a pas pu être interrogé tout de suite (erreur HTTP 503)"
    assert (french if language == "fr" else "X could not be searched just now (HTTP error 503)") in added["text"]
    check(language, "/watch add", added["text"])


def test_stale_trends_say_why_in_the_readers_language():
    view = TrendsView(23424819, 0.0, [], Failure(Reason.DNS, "api.x.com"))
    french, _ = trends_screen("fr", view, {})
    english, _ = trends_screen("en", view, {})
    assert "⚠️ X ne répond pas (nom de site introuvable : api.x.com) : voici les dernières tendances connues." in french
    assert "⚠️ X does not answer (site name not found: api.x.com): here are the last known trends." in english
    check("fr", "stale trends", french)


async def test_a_failing_feed_is_shown_in_the_readers_language(walking_bot, tg, feeds):
    services = walking_bot.services
    french, english = tg.user(OWNER_ID), tg.user(OWNER_ID + 1, language_code="en")
    await services.store.team.grant(OWNER_ID + 1, Role.READER)
    await tg.ask(french, f"/feed add {feeds.feed_url('/atom-sample.xml')}")
    [feed] = await services.store.feeds.all()
    feeds.fail_next("/atom-sample.xml", 500)
    await Ingest(services).cycle(now=feed.next_poll)
    listing = await tg.ask(french, "/feed")
    assert "⚠️ erreur HTTP 500 (1 échec(s))" in listing["text"], listing["text"]
    check("fr", "/feed", listing["text"])
    assert "⚠️ HTTP error 500 (1 failure(s))" in (await tg.ask(english, "/feed"))["text"]
    status = await tg.ask(french, "/status")
    assert "erreur HTTP 500 (1 fois)" in status["text"], status["text"]

    # A failure stored before reasons had codes: told in words, never in the English stored.
    url = "https://vieux.example/rss"
    old = Feed(feed_id(canonical_url(url)), url, "Vieux", frozenset({NEWS}), failures=3, paused=True)
    old.last_error, old.error_kind = "[Errno 111] Connect call failed ('10.0.0.1', 443)", "unreachable"
    await services.store.feeds.save(old)
    listing = await tg.ask(french, "/feed")
    assert "⏸ en pause après une journée d’échecs : échec de la lecture." in listing["text"], listing["text"]
    check("fr", "/feed", listing["text"])


def test_every_reason_has_words_in_both_languages():
    for code in Reason:
        for language in ("fr", "en"):
            assert reason(language, Failure(code, "x")), code
        check("fr", code.value, reason("fr", Failure(code, "exemple.fr")))


@pytest.mark.parametrize(
    ("typed", "tried"),
    [
        ("www.lemonde.fr/rss/une.xml", "https://www.lemonde.fr/rss/une.xml"),
        ("lemonde.fr/rss", "https://lemonde.fr/rss"),
        ("//lemonde.fr/rss", "https://lemonde.fr/rss"),
        ("lemonde.fr:8443/rss", "https://lemonde.fr:8443/rss"),
        (" http://lemonde.fr/rss ", "http://lemonde.fr/rss"),
        ("HTTPS://lemonde.fr/rss", "HTTPS://lemonde.fr/rss"),
        ("file:///etc/passwd", "file:///etc/passwd"),  # a scheme typed is kept, and refused
    ],
)
def test_an_address_without_a_scheme_is_tried_as_https(typed, tried):
    assert typed_url(typed) == tried


async def test_a_feed_is_removed_by_its_address_without_a_scheme(walking_bot, tg):
    url = "https://www.lemonde.fr/rss/une.xml"
    await walking_bot.services.store.feeds.save(Feed(feed_id(canonical_url(url)), url, "Le Monde", frozenset({NEWS})))
    owner = tg.user(OWNER_ID)
    asked = await tg.ask(owner, "/feed rm www.lemonde.fr/rss/une.xml")
    assert asked["text"].startswith("Retirer le flux Le Monde ?")
    await tg.press(owner, asked, "🗑 Retirer")
    removed = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert removed["text"].startswith("Flux retiré : Le Monde.")
    assert await walking_bot.services.store.feeds.all() == []


# An argument left out: the usage, with an example (never "?"); (command, example) per language.
EMPTY = {
    "fr": [
        ("/watch rm", "Quelle veille ? Par exemple /watch rm Fnac"),
        ("/watch follow", "/watch follow Fnac"),
        ("/watch unfollow", "/watch unfollow Fnac"),
        ("/watch baisses", "Par exemple /watch baisses Fnac oui (ou non)"),
        ("/watch add", "/watch add Fnac Fnac OR @Fnac"),
        ("/watch add Fnac", "/watch add Fnac Fnac OR @Fnac"),
        ("/feed add", "/feed add https://www.lemonde.fr/rss/une.xml"),
        ("/feed rm", "/feed add https://www.lemonde.fr/rss/une.xml"),
        ("/alert", "/alert Fnac min:50 sources:x"),
        ("/alert off", "/alert Fnac min:50 sources:x"),
        ("/team add", "/team add lecteur 123456789"),
        ("/team add délégué", "/team add lecteur 123456789"),
        ("/team rm", "/team add lecteur 123456789"),
        ("/settings fuseau", "Quel fuseau horaire ? Par exemple /settings fuseau Europe/Paris"),
        ("/settings heure", "Par exemple /settings heure 07:30"),
        ("/settings jours", "Par exemple /settings jours lun,mer,ven"),
        ("/settings calme", "Par exemple /settings calme 22:00-07:00"),
        ("/settings alertes", "Par exemple /settings alertes 10"),
        ("/settings délai", "Par exemple /settings délai 90s"),
        ("/settings langue", "Quelle langue ? /settings langue fr (français) ou /settings langue en"),
        ("/settings langue klingon", "Quelle langue ? /settings langue fr"),
        ("/guardrails add", "/guardrails add grève"),
        ("/guardrails rm", "/guardrails add grève"),
    ],
    "en": [
        ("/watch rm", "Which watch? For example /watch rm Fnac"),
        ("/watch follow", "/watch follow Fnac"),
        ("/watch unfollow", "/watch unfollow Fnac"),
        ("/watch drops", "For example /watch drops Fnac on (or off)"),
        ("/watch add", "/watch add Fnac Fnac OR @Fnac"),
        ("/watch add Fnac", "/watch add Fnac Fnac OR @Fnac"),
        ("/feed add", "/feed add https://www.lemonde.fr/rss/une.xml"),
        ("/feed rm", "/feed add https://www.lemonde.fr/rss/une.xml"),
        ("/alert", "/alert Fnac min:50 sources:x"),
        ("/alert off", "/alert Fnac min:50 sources:x"),
        ("/team add", "/team add reader 123456789"),
        ("/team add delegate", "/team add reader 123456789"),
        ("/team rm", "/team add reader 123456789"),
        ("/settings timezone", "Which time zone? For example /settings timezone Europe/London"),
        ("/settings time", "For example /settings time 07:30"),
        ("/settings days", "For example /settings days mon,wed,fri"),
        ("/settings quiet", "For example /settings quiet 22:00-07:00"),
        ("/settings alerts", "For example /settings alerts 10"),
        ("/settings cooling", "For example /settings cooling 90s"),
        ("/settings language", "Which language? /settings language en (English) or /settings language fr"),
        ("/guardrails add", "/guardrails add strike"),
        ("/guardrails rm", "/guardrails add strike"),
    ],
}


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_an_argument_left_out_gets_the_usage_with_an_example(walking_bot, tg, language):
    asking = Members(walking_bot, tg, language)
    for command, example in EMPTY[language]:
        text = (await asking.ask(command))["text"]
        assert example in text, (command, text)
        assert not re.search(r"« \? »|“\?”|: \?[ .]|\?\.$", text), (command, text)
        check(language, command, text)


@pytest.mark.parametrize(
    ("language", "typed", "woeid", "title"),
    [
        ("en", "London", 44418, "X trends — London"),
        ("fr", "London", 44418, "Tendances X — Londres"),
        ("fr", "londres", 44418, "Tendances X — Londres"),
        ("en", "LONDRES", 44418, "X trends — London"),
        ("fr", "montreal", 3534, "Tendances X — Montréal"),
        ("en", "Montréal", 3534, "X trends — Montreal"),
        ("fr", "etats unis", 23424977, "Tendances X — États-Unis"),
        ("en", "États-Unis", 23424977, "X trends — United States"),
        ("en", "geneve", 782538, "X trends — Geneva"),
        ("fr", "", 23424819, "Tendances X — France"),
        ("en", "monde", 1, "X trends — Worldwide"),
    ],
)
async def test_trends_name_the_place_in_the_members_language(x_bot, tg, language, typed, woeid, title):
    _, x = x_bot
    x.set_trends(woeid, [("#Vigie", 1200)])
    answer = await tg.ask(tg.user(OWNER_ID, language_code=language), f"/trends {typed}".strip())
    assert answer["text"].startswith(title + " ("), answer["text"]
    assert "1. #Vigie" in answer["text"]
