"""Finding one's way: /help lists each command with an example, `/help NAME` gives its details
(sub-commands, arguments, examples), in French and in English."""

from __future__ import annotations

import pytest

from bot.render import menus
from bot.render.i18n import CATALOGS
from bot.roles import Role
from handlers.commands import COMMANDS
from tests.conftest import OWNER_ID

READER_ID = 6060


async def test_help_lists_every_command_with_an_example_and_says_how_to_see_one_in_detail(bot, tg):
    owner = tg.user(OWNER_ID)
    listing = (await tg.ask(owner, "/help"))["text"]
    lines = [line for line in listing.splitlines() if line.startswith("/")]
    assert [line.split(" ")[0] for line in lines] == [f"/{c.name}" for c in COMMANDS]
    assert all(" (ex. : /" in line for line in lines), lines
    assert (
        "/watch — Les veilles : sujets, marques, personnes suivies (ex. : /watch add Fnac Fnac OR @Fnac -emploi)"
        in lines
    )
    assert "/settings — Langue, fuseau horaire, heure et jours du briefing (ex. : /settings heure 7h30)" in lines
    assert listing.endswith("Le détail d’une commande : /help watch, /help settings…")

    await tg.ask(owner, "/settings langue en")
    english = (await tg.ask(owner, "/help"))["text"]
    assert "/trends — X trends for a place (France by default) (e.g. /trends London)" in english
    assert english.endswith("A command in detail: /help watch, /help settings…")


async def test_help_on_a_command_gives_its_sub_commands_arguments_and_examples(bot, tg):
    owner = tg.user(OWNER_ID)
    watch = (await tg.ask(owner, "/help watch"))["text"]
    assert watch.startswith("/watch — Les veilles : sujets, marques, personnes suivies\n\n")
    assert "/watch add NOM REQUÊTE, par exemple /watch add Fnac" in watch and "/watch rm NOM" in watch
    feed = (await tg.ask(owner, "/help /feed"))["text"]
    assert "/feed rm NUMÉRO (dans la liste de /feed) ou /feed rm URL" in feed
    assert "/trends Paris, /trends Londres" in (await tg.ask(owner, "/help Trends"))["text"]
    unknown = (await tg.ask(owner, "/help veille"))["text"]
    assert unknown.startswith("Je ne connais pas la commande « veille ».\n\nCommandes de Vigie")

    await tg.ask(owner, "/settings langue en")
    english = (await tg.ask(owner, "/help settings"))["text"]
    assert "/settings time 07:30" in english and "/settings cooling 2min" in english  # an owner's cooling-off too


@pytest.mark.parametrize("language", list(CATALOGS))
@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_has_its_details_in_both_languages(name, language):
    text, _ = menus.help_command_screen(language, name, cooling=True)
    head, _, details = text.partition("\n\n")
    assert head.startswith(f"<b>/{name}</b> — ") and f"/{name}" in details


async def test_help_on_a_command_above_the_senders_role_says_who_may_use_it(bot, tg, services):
    await services.store.team.grant(READER_ID, Role.READER)
    reader = tg.user(READER_ID, language_code="en")
    assert (await tg.ask(reader, "/help team"))["text"] == "This action is for owners only."
    settings = (await tg.ask(reader, "/help settings"))["text"]
    assert "/settings time 07:30" in settings and "cooling" not in settings
