"""Posting and watching in the console, against its sample X server: the worker runs with it, so
a confirmed post goes out after its cooling-off and a new watch fills without a restart. And the
sample X server itself: the account's writes and reads in X API v2's shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import load_settings
from bot.model import BadStatus, Duplicate, NotFound, Unauthorized, XUser
from bot.samples import data
from bot.samples.server import APP_TOKEN, USER_TOKEN, SampleServer
from bot.sources.x import XSource
from bot.sources.x_account import XAccount
from tests.conftest import ROOT, product_env, vigie_cli
from tests.consolekit import start_console

LINK = "✅ Publié sur X :\nhttps://x.com/i/status/"


def _env(tmp_path: Path, cooling_off: int) -> dict[str, str]:
    return product_env(PYTHONPATH=str(ROOT), VIGIE_DATA_DIR=str(tmp_path / "data"), VIGIE_COOLING_OFF=str(cooling_off))


async def _console(script: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    """`printf SCRIPT | python -m bot console`: its exit code, output and errors."""
    return await vigie_cli("console", env=env, cwd=cwd, stdin=script.encode(), timeout=120)


async def test_a_confirmed_post_goes_out_after_its_cooling_off_and_shows_its_link(tmp_path):
    code, out, err = await _console("/post Bonjour de la console Vigie !\n1\n", _env(tmp_path, 3), tmp_path)
    assert code == 0 and err == ""
    preview = out.index("Aperçu de votre post sur X")
    countdown = out.index("⏳ Publication dans 3 s. Vous pouvez encore l’annuler.\n[1] ↩️ Annuler la publication")
    link = out.index(LINK)  # end of input waited for it
    assert preview < countdown < link
    assert out[countdown:link].count("✎ (message modifié)") >= 1  # the countdown, edited into the link
    assert out[link:].split("\n")[1].removeprefix("https://x.com/i/status/").isdigit()
    assert "[1] 🗑 Supprimer de X" in out[link:]


async def test_undo_in_time_sends_nothing(tmp_path):
    script = "/post Zorglub annonce une nouveauté\n1\n1\n/watch add Zorglub zorglub\n"
    code, out, err = await _console(script, _env(tmp_path, 60), tmp_path)
    assert code == 0 and err == ""
    assert "↩️ Publication annulée : rien n’a été envoyé à X." in out
    assert "Publié sur X" not in out
    assert "Sur X, aucun post ne correspond ces 7 derniers jours" in out  # the sample X has no such post
    assert "Fin de l’entrée" not in out  # nothing was left to wait for


async def test_a_new_watch_fills_as_the_worker_searches_without_a_restart(tmp_path):
    console = await start_console(_env(tmp_path, 1), tmp_path)
    await console.say("/settings calme non")  # topic alerts come at once, whatever the time of day
    at = await console.shows("sans heures calmes")
    await console.say("/watch add Vigie vigie")
    at = await console.shows("les nouveaux arriveront au fil des passages (X est interrogé toutes les 30 s).", at)
    await console.say("/alert Vigie")
    at = await console.shows("🔔 Alerte activée sur Vigie", at)
    await console.say("/post Vigie veille pour vous, en direct de la console.")
    at = await console.shows("[1] ✅ Publier", at)
    await console.say("1")
    at = await console.shows(LINK, at)
    # The worker's next search of the watch finds the post, and the alert tells it.
    at = await console.shows("🔔 Vigie : 1 nouvelle publication", at, timeout=120)
    await console.say("/watch Vigie")
    await console.shows("• Vigie veille pour vous, en direct de la console. — @vigie_exemple", at)
    code, err = await console.close()
    assert code == 0 and err == ""


@pytest.fixture
async def samples():
    server = SampleServer()
    await server.start()
    yield server
    await server.stop()


async def test_the_sample_x_server_answers_the_accounts_writes_in_xs_shapes(samples):
    settings = load_settings(
        x_bearer_token=SecretStr(APP_TOKEN), x_user_access_token=SecretStr(USER_TOKEN), x_api_url=samples.url
    )
    async with XAccount(settings) as account:
        me = await account.me()
        assert (me.username, me.name) == data.ACCOUNT[:2]
        fnac = await account.lookup("@fnac")
        assert (fnac.username, fnac.verified, fnac.followers) == ("Fnac", True, 912_000)
        author = await account.lookup("marie_conso")
        assert author == XUser(id=author.id, username="marie_conso", name="Marie L.")
        with pytest.raises(NotFound, match="Could not find user with username"):
            await account.lookup("personne_ici")

        first = await account.create_post("Vigie publie depuis la console #Fnac")
        with pytest.raises(Duplicate):
            await account.create_post("Vigie publie depuis la console #Fnac")
        with pytest.raises(BadStatus) as caught:
            await account.create_post("é" * 281)
        assert caught.value.status == 400 and "too long" in caught.value.detail
        with pytest.raises(NotFound, match="deleted or not visible"):
            await account.create_post("Une réponse à rien", reply_to="1234567890")
        reply = await account.create_post("Et une réponse.", reply_to=first)
        assert int(reply) > int(first)
        assert await account.recent_posts() == [
            (reply, "Et une réponse."),
            (first, "Vigie publie depuis la console #Fnac"),
        ]

        assert await account.follow(fnac.id) is True
        assert await account.follow((await account.lookup("cercle_prive")).id) is False  # protected: pending
        assert (await account.me()).id == me.id
        await account.unfollow(fnac.id)

        search = XSource(settings)
        try:
            found = await search.search("fnac", None)
        finally:
            await search.close()
        assert first in [item.id for item in found.items]  # search sees the account's posts
        assert await account.delete_post(first) is True
        assert await account.delete_post(first) is False
        assert await account.recent_posts() == [(reply, "Et une réponse.")]

    app_only = settings.model_copy(update={"x_user_access_token": SecretStr(APP_TOKEN)})
    async with XAccount(app_only) as refused:
        with pytest.raises(Unauthorized, match="Application-Only is forbidden"):
            await refused.create_post("Pas avec ce jeton")


async def test_follow_and_the_journal_work_in_the_console(tmp_path):
    script = "/follow @Fnac\n1\n/journal\n"
    code, out, err = await _console(script, _env(tmp_path, 0), tmp_path)
    assert code == 0 and err == ""
    assert "Suivre ce compte sur X ?\nFnac — @Fnac" in out
    assert "✅ Vous suivez maintenant @Fnac sur X" in out
    assert "Journal des actions sur X (la dernière)" in out and "· abonnement · @Fnac · 0,015 $" in out


async def test_a_reply_to_a_post_of_the_briefing_in_the_console(tmp_path):
    script = "/briefing\n> /post Merci pour votre retour, on regarde\n1\n3\n"
    code, out, err = await _console(script, _env(tmp_path, 0), tmp_path)
    assert code == 0 and err == ""
    assert "[1] ↩️ Répondre à @julien_b" in out  # the briefing's X post, offered
    assert "↩️ En réponse à https://x.com/julien_b/status/" in out
    assert LINK in out
