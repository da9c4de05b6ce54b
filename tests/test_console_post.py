"""The console's sample X server: the account's writes and reads in X API v2's shapes, as
bot.sources.x_account and bot.sources.x read them."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.config import load_settings
from bot.model import BadStatus, Duplicate, NotFound, Unauthorized, XUser
from bot.samples import data
from bot.samples.server import APP_TOKEN, USER_TOKEN, SampleServer
from bot.sources.x import XSource
from bot.sources.x_account import XAccount


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
