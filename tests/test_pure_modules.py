"""Table-driven tests of pure modules: the briefing schedule across DST, canonical URLs,
duplicate fingerprints, story clustering, the mapping of model types to Redis hashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clustering import cluster
from bot.model import Feed, Item, Profile, StoredItem, Watch
from bot.normalize import fingerprints
from bot.schedule import local_date, next_due
from bot.store.mapping import from_hash, to_hash
from bot.text import canonical_url
from bot.watches import tokens_of


def _utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


# ---------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("zone", "at", "days", "after", "due"),
    [
        ("Europe/Paris", "07:30", "1234567", "2026-01-14T12:00", "2026-01-15T06:30"),  # winter: UTC+1
        ("Europe/Paris", "07:30", "1234567", "2026-07-14T12:00", "2026-07-15T05:30"),  # summer: UTC+2
        ("Europe/Paris", "02:30", "1234567", "2026-03-28T12:00", "2026-03-29T01:30"),  # skipped by DST: 03:30 local
        ("Europe/Paris", "02:30", "1234567", "2026-10-24T12:00", "2026-10-25T00:30"),  # twice that night: the first
        ("Europe/Paris", "02:30", "1234567", "2026-10-25T00:30", "2026-10-26T01:30"),  # ...and not again that day
        ("Europe/Paris", "07:30", "1", "2026-11-24T12:00", "2026-11-30T06:30"),  # Tuesday -> next Monday
        ("America/New_York", "06:45", "12345", "2026-11-20T20:00", "2026-11-23T11:45"),  # Friday evening -> Monday
        (
            "Asia/Tokyo",
            "08:00",
            "1234567",
            "2026-11-22T22:59",
            "2026-11-22T23:00",
        ),  # a minute before, already Monday there
    ],
)
def test_the_next_briefing_is_at_the_users_wall_time(zone, at, days, after, due):
    profile = Profile(1, "fr", zone, briefing_time=at, briefing_days=frozenset(int(d) for d in days))
    assert next_due(profile, _utc(after)) == _utc(due)


def test_no_day_chosen_means_no_briefing():
    assert next_due(Profile(1, "fr", "Europe/Paris", briefing_days=frozenset()), _utc("2026-11-22T12:00")) is None


@pytest.mark.parametrize(
    ("zone", "moment", "date"),
    [("Europe/Paris", "2026-06-01T23:30", "2026-06-02"), ("America/New_York", "2026-06-02T01:30", "2026-06-01")],
)
def test_a_briefing_belongs_to_the_users_local_date(zone, moment, date):
    assert local_date(Profile(1, "fr", zone), _utc(moment)) == date


# ---------------------------------------------------------------- canonical URLs


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.Example.com/a/?utm_source=x&b=2&a=1#frag", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/?fbclid=abc&gclid=d&xtor=RSS-1", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("ftp://example.com/a", "ftp://example.com/a"),
        ("not a url", "not a url"),
    ],
)
def test_the_same_article_has_one_url(url, canonical):
    assert canonical_url(url) == canonical


# ---------------------------------------------------------------- fingerprints

LONG = "La Fnac ouvre un nouveau magasin à Lyon avec un rayon de réparation et un atelier"


def _prints(**fields) -> tuple[str, ...]:
    item = Item(**{"source": "rss", "id": "1", "url": "", "title": "", "text": "", "published": 0, **fields})
    return fingerprints(item, tokens_of(item))


def test_fingerprints_say_when_two_items_are_the_same_story():
    article = _prints(url="https://www.journal.example/a?utm_source=x", text=LONG)
    assert article[0] == _prints(url="https://journal.example/a", text="autre chose")[0]  # the same page
    assert article[1] == _prints(id="2", url="https://other.example/b", text=LONG + " !")[1]  # the same words
    assert len(_prints(url="https://journal.example/a", text="Trop court pour un texte")) == 1  # under 8 words
    post = _prints(source="x", id="10", text="Un message")
    quote = _prints(source="x", id="11", text="Je cite ce message", original_id="10")
    assert post[0] == quote[0] == "o:10"  # a quote is the story of the post it carries
    assert _prints(source="x", id="12", text="Un message")[0] != post[0]


# ---------------------------------------------------------------- clustering


def _stored(
    n: int, text: str, *, source: str = "rss", url: str = "", links: tuple[str, ...] = (), language: str = ""
) -> StoredItem:
    item = Item(source=source, id=str(n), url=url, title="", text=text, published=0, links=links, language=language)
    return StoredItem(item)


def test_items_about_the_same_event_cluster_and_others_do_not():
    items = [
        _stored(0, "La Fnac teste la livraison en deux heures à Lyon.", url="https://journal.example/fnac-lyon"),
        _stored(1, "Super nouvelle !", source="x", links=("https://www.journal.example/fnac-lyon?utm_source=x",)),
        _stored(2, "Livraison express : la Fnac teste les deux heures à Lyon, quartier par quartier."),
        _stored(3, "Darty ouvre dix ateliers de réparation supplémentaires cette année."),
        _stored(4, "Darty ouvre dix ateliers de réparation supplémentaires cette année."),
        _stored(5, "Les ventes de livres repartent à la hausse au troisième trimestre."),
    ]
    groups = sorted(sorted(group) for group in cluster(items))
    assert groups == [[0, 1, 2], [3, 4], [5]]  # a shared page, strong word overlap; the same words; alone


def test_a_complaint_naming_the_brand_and_an_english_paraphrase_are_told_apart_and_together():
    items = [
        _stored(
            0, "La Fnac teste la livraison en deux heures à Lyon. L’enseigne étend son service express.", language="fr"
        ),
        _stored(1, "Livrée en deux heures par la @Fnac à Lyon, bluffant ! #Fnac", source="x", language="fr"),
        _stored(2, "Toujours pas de réponse du SAV @Fnac après deux semaines… #Fnac", source="x", language="fr"),
        _stored(3, "Darty et la Fnac misent sur la réparation des appareils.", language="fr"),
        _stored(4, "Fnac and Darty double down on repair workshops.", source="x", language="en"),
    ]
    groups = sorted(sorted(group) for group in cluster(items))
    assert groups == [[0, 1], [2], [3, 4]]  # a reaction naming it; a complaint apart; the same names


def test_look_alike_items_do_not_chain_into_one_story():
    items = [
        _stored(0, "Nordavia ouvre quarante magasins en Espagne, à Valence."),
        _stored(1, "Nordavia ouvre quarante magasins en Espagne : Valence, Madrid, Séville, Bilbao.", source="x"),
        _stored(2, "Madrid, Séville, Bilbao, Valence : l’Espagne accueille le tournoi de tennis.", source="x"),
    ]
    groups = sorted(sorted(group) for group in cluster(items))
    assert groups == [[0, 1], [2]]  # 2 is close to 1, not to the story's lead (0)


# -- the store's one mapping to Redis hashes ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        Feed(
            "f1", "https://a.example/rss", title="Café", targets=frozenset({":news", "fnac"}), paused=True, failures=3
        ),
        Feed("f2", "https://b.example/atom"),
        Profile(7, "en", "Europe/London", briefing_time="06:45", briefing_days=frozenset({1, 3, 7}), first_name="Zoé"),
        Watch("fnac", "Fnac", "fnac OR @fnac", 7, 1700000000.5),
    ],
    ids=lambda v: type(v).__name__,
)
def test_a_hash_gives_back_what_was_stored(value):
    key_field = {Feed: "id", Profile: "user_id", Watch: "id"}[type(value)]
    stored = to_hash(value, exclude=(key_field,))
    assert all(isinstance(v, str | int | float) for v in stored.values())
    text = {k: str(v) for k, v in stored.items()}  # Redis gives strings back
    assert from_hash(type(value), text, **{key_field: getattr(value, key_field)}) == value
