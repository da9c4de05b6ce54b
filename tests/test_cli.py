"""The command line as an operator uses it: `python -m bot serve | run | check | console`."""

from __future__ import annotations

import configparser
import re

import redis

from bot.briefing import WORD_BUDGET
from bot.store import keys
from tests.conftest import OWNER_ID, ROOT, product_env, vigie_cli, wait_until
from tests.faultkit import Vigie, env_for, running

PYTHON_PATH = {"PYTHONPATH": str(ROOT)}


async def test_serve_without_a_token_exits_2_with_one_clear_line(tmp_path):
    code, out, err = await vigie_cli("serve", env=product_env(**PYTHON_PATH), cwd=tmp_path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "TELEGRAM_BOT_TOKEN is not set" in err


async def test_a_bad_setting_is_named_and_refused(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_TIMEZONE="Mars/Olympus", VIGIE_OWNER_IDS="12,abc")
    code, _, err = await vigie_cli("check", env=env, cwd=tmp_path)
    assert code == 2
    assert "VIGIE_TIMEZONE" in err and "Mars/Olympus" in err
    assert "VIGIE_OWNER_IDS" in err and "abc" in err


async def test_check_reports_each_service_and_never_prints_a_secret(tg, clean_redis, tmp_path):
    bearer = "x-bearer-secret-" + "9" * 20
    env = product_env(
        **PYTHON_PATH,
        TELEGRAM_BOT_TOKEN=tg.token,
        TELEGRAM_API_URL=tg.url,
        X_BEARER_TOKEN=bearer,
        X_API_URL="http://127.0.0.1:9",  # nothing listens there: X is down
        REDIS_URL=clean_redis,
    )
    code, out, err = await vigie_cli("check", env=env, cwd=tmp_path)
    assert code == 1
    lines = {line.split(" (")[0].split()[0]: line for line in out.splitlines()}
    assert lines["redis"].endswith("ok")
    assert lines["telegram"].endswith("ok, @vigie_test_bot")
    assert "failed" in lines["x"]
    for secret in (tg.token, bearer, tg.token.split(":")[1]):
        assert secret not in out + err

    del env["X_BEARER_TOKEN"]
    code, out, _ = await vigie_cli("check", env=env, cwd=tmp_path)
    assert code == 0
    assert "not configured" in [line for line in out.splitlines() if line.startswith("x ")][0]


async def test_run_answers_start_and_help_registers_commands_and_starts_the_worker(tg, clean_redis, tmp_path):
    vigie = Vigie("run", env_for(tg, clean_redis, [OWNER_ID]), tmp_path)
    async with running(vigie):
        owner = tg.user(OWNER_ID, "Claire")
        await tg.send_text(owner, "/start")
        [welcome] = await tg.wait_for_messages(OWNER_ID, 1, timeout=30)
        assert "Je suis Vigie" in welcome["text"]
        await tg.send_text(owner, "/help")
        [help_text] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "/settings" in help_text["text"]
        assert {c["command"] for c in tg.commands("fr")} >= {"start", "help", "settings"}
        assert {c["command"] for c in tg.commands("en")} >= {"start", "help", "settings"}
        client = redis.Redis.from_url(clean_redis)
        await wait_until(lambda: client.get(keys.WORKER_HEARTBEAT) is not None, timeout=15)
        client.close()
        code = await vigie.stop()
    logs = vigie.output()
    assert code == 0, logs
    assert "receiving updates by long polling" in logs
    assert tg.token not in logs and tg.token.split(":")[1] not in logs


async def test_console_settings_survive_a_restart(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=b"/start\n/settings\n1\n2\n")
    assert code == 0, err
    assert "Je suis Vigie" in out
    assert "[1] Langue" in out and "[2] English" in out
    assert "Language: English" in out

    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=b"/settings\n/help\n")
    assert code == 0, err
    assert "Language: English" in out
    assert "Vigie commands" in out
    assert (tmp_path / "data" / "console" / "redis" / "appendonly.aof").exists()  # its own data


async def test_make_run_without_a_token_opens_the_console(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    code, out, err = await vigie_cli("run", "--fallback-console", env=env, cwd=tmp_path, stdin=b"/start\n")
    assert code == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in err
    assert "Je suis Vigie" in out


async def test_console_shows_watches_feeds_and_trends_on_sample_data(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    script = b"/watch\n/watch Fnac\n/feed\n/trends\n/trends Paris\n/briefing\n1\n"
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=script)
    assert code == 0, err
    assert "• Fnac — Fnac OR @Fnac OR #Fnac — 6 en 24 h · suivie ✓" in out
    assert "Livrée en deux heures par la @Fnac à Lyon, bluffant ! #Fnac — @marie_conso, il y a" in out
    assert "— Distribution Hebdo (exemple), La Lettre de l’Économie (exemple), il y a" in out
    assert "✅ dernier relevé" in out
    assert "1. #Fnac — 12\u202f400 posts ⭐ Fnac" in out and "Tendances X — Paris" in out
    briefing = out[out.index("☀️ Votre briefing") :]
    assert "Fnac — 6 mentions" in briefing and "Actualités" in briefing and "[1] ➕ 1" in briefing
    assert "Pour aller plus loin" in briefing  # button 1 pressed: the story in detail

    code, again, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=b"/watch\n/feed\n")
    assert code == 0, err
    assert "— 6 en 24 h" in again  # a restart reads nothing twice
    assert again.count("(exemple.invalid) →") == 2  # the sample feeds, served by this run


async def test_demo_crisis_in_the_console_replays_a_crisis_and_saves_its_chart(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=b"/demo crisis\n")
    assert code == 0, err
    assert "🚨 Pic de mentions : Fnac" in out and "l’habituel pour un" in out
    chart = tmp_path / "data" / "console" / "crisis-demo.png"
    assert f"Graphique : {chart}" in out and chart.read_bytes().startswith(b"\x89PNG")


async def test_the_console_never_touches_a_configured_redis_or_x(clean_redis, tmp_path):
    (tmp_path / ".env").write_text(
        f"REDIS_URL={clean_redis}\nX_BEARER_TOKEN=real-bearer-token-0123456789\nX_API_URL=http://127.0.0.1:9\n"
    )
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=b"/watch\n/settings\n")
    assert code == 0, err
    assert "Fnac" in out and "Réglages" in out  # the samples, on the console's own Redis
    configured = redis.Redis.from_url(clean_redis)
    assert configured.dbsize() == 0  # nothing written to the deployment's Redis
    configured.close()
    assert "real-bearer-token" not in out + err


async def test_an_api_url_without_a_host_is_a_configuration_error(tmp_path):
    env = product_env(**PYTHON_PATH, X_API_URL="api.x.com", TELEGRAM_API_URL="ftp://telegram.example")
    code, _, err = await vigie_cli("check", env=env, cwd=tmp_path)
    assert code == 2
    assert "X_API_URL" in err and "TELEGRAM_API_URL" in err and "not an http(s) URL with a host" in err


# Each distinct event of the console samples, by the texts that tell it (titles and posts).
SAMPLE_EVENTS = {
    "Lyon delivery": (
        "La Fnac teste la livraison en deux heures à Lyon",
        "La Fnac étend la livraison express à Lyon",
        "Livrée en deux heures par la @Fnac à Lyon",
    ),
    "repair": ("Darty et la Fnac misent sur la réparation", "Fnac and Darty double down on repair"),
    "own brands": ("les marques de distributeur gagnent du terrain", "les marques de distributeur pèsent un tiers"),
    "sport chain": ("Une enseigne de sport annonce 40 ouvertures", "Une enseigne de sport prévoit 40 ouvertures"),
    "complaint": ("Toujours pas de réponse du SAV @Fnac",),
    "books": ("Les ventes de livres repartent à la hausse",),
    "rents": ("Le commerce de centre-ville face à la hausse des loyers",),
}


async def test_five_overlapping_watches_tell_each_event_once_within_the_reading_budget(tmp_path):
    env = product_env(**PYTHON_PATH, VIGIE_DATA_DIR=str(tmp_path / "data"))
    watches = "".join(f"/watch add {name} {name}\n" for name in ("Lyon", "livraison", "Darty", "SAV", "livres"))
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=f"{watches}/briefing\n".encode())
    assert code == 0, err
    briefing = out[out.index("☀️ Votre briefing") :]
    lines = [re.sub(r"^\d+\. ", "", line) for line in briefing.splitlines() if re.match(r"\d+\. ", line)]
    told = [[event for event, texts in SAMPLE_EVENTS.items() if any(t in line for t in texts)] for line in lines]
    assert all(len(events) == 1 for events in told), lines  # one event per story
    assert sorted(e for [e] in told) == sorted(SAMPLE_EVENTS)  # each event once, the complaint included
    assert sum(len(re.findall(r"\w+", line)) for line in lines) <= WORD_BUDGET
    assert "Lyon — 2 mentions · voir" in briefing  # told under the watch with most of its items
    assert re.search(r"La Fnac teste la livraison .* · aussi : Lyon, livraison", briefing)


def test_the_systemd_unit_runs_the_product_and_does_not_restart_on_a_configuration_error():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy" / "vigie.service")
    service = unit["Service"]
    home = service["WorkingDirectory"]
    assert service["ExecStart"] == f"{home}/.venv/bin/python -m bot run"
    assert service["RestartPreventExitStatus"] == "2"  # what `serve`/`run` exit with on bad settings
    assert service["ReadWritePaths"] == f"{home}/data"  # VIGIE_DATA_DIR's default, from there
