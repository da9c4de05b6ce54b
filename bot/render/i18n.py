"""What the bot says, in French and English. Handlers never hold user-facing strings.

Messages are Telegram HTML. `t()` escapes every value it inserts unless the value is
marked `Html` (already-safe markup built by the renderer, content included), and shortens a
plain value (a name, a title, an argument echoed back) past MAX_VALUE characters: a 100 KB
argument must not make the reply too long to send.
"""

from __future__ import annotations

import html

DEFAULT_LANGUAGE = "fr"
MAX_VALUE = 1000


class Html(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""


FR: dict[str, str] = {
    # onboarding and access
    "welcome": "Bonjour {name} 👋 Je suis <b>Vigie</b>, votre veille X et presse.",
    "welcome_watch": "• Je <b>surveille</b> les tendances, vos marques, vos noms et les sources de votre secteur.",
    "welcome_watch_feeds": (
        "• Je <b>surveille</b> les flux d’actualité de votre secteur "
        "(la veille sur X n’est pas configurée : X_BEARER_TOKEN)."
    ),
    "welcome_brief": "• Je vous <b>briefe</b> chaque matin, en une minute de lecture.",
    "welcome_alert": "• Je vous <b>alerte</b> en temps réel sur les veilles que vous choisissez (/alert).",
    "welcome_post_owner": "• Je <b>publie</b> pour vous sur X : aperçu, confirmation, puis un délai pour annuler (/post).",
    "welcome_post_delegate": "• Vous <b>préparez</b> des posts X qu’un propriétaire valide avant publication (/post).",
    "welcome_settings": "Vos réglages : {summary}\nModifiez-les avec /settings, et /help liste les commandes.",
    "welcome_role": "Vous avez rejoint l’équipe comme <b>{role}</b>.",
    "stranger": (
        "Bonjour ! Vigie fonctionne sur invitation. Demandez un lien d’invitation "
        "à la personne qui gère Vigie dans votre entreprise."
    ),
    "invite_invalid": "Ce lien d’invitation n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau.",
    "invite_already_member": "Vous faites déjà partie de l’équipe ({role}) : ce lien n’a rien changé.",
    # help
    "help_title": "<b>Commandes de Vigie</b>",
    "help_role": "Votre rôle : <b>{role}</b>.",
    "help_line": "/{name} — {description} (ex. : {example})",
    "help_more": "Le détail d’une commande : <code>/help watch</code>, <code>/help settings</code>…",
    "help_unknown": "Je ne connais pas la commande « {value} ».",
    "help_command_title": "<b>/{name}</b> — {description}",
    "help_example_start": "<code>/start</code>",
    "help_example_help": "<code>/help watch</code>",
    "help_example_briefing": "<code>/briefing</code>",
    "help_example_settings": "<code>/settings heure 7h30</code>",
    "help_example_watch": "<code>/watch add Fnac Fnac OR @Fnac -emploi</code>",
    "help_example_feed": "<code>/feed add https://www.lemonde.fr/economie/rss_full.xml</code>",
    "help_example_trends": "<code>/trends Lyon</code>",
    "help_example_alert": "<code>/alert Fnac min:50</code>",
    "help_example_alerts": "<code>/alerts</code>",
    "help_example_post": "<code>/post Nos magasins restent ouverts dimanche.</code>",
    "help_example_guardrails": "<code>/guardrails add grève</code>",
    "help_example_follow": "<code>/follow @Fnac</code>",
    "help_example_unfollow": "<code>/unfollow @Fnac</code>",
    "help_example_journal": "<code>/journal 50</code>",
    "help_example_team": "<code>/team add reader 123456789</code>",
    "help_example_status": "<code>/status</code>",
    "help_start": (
        "<code>/start</code> : la présentation de Vigie et vos réglages. Ouvert depuis un lien d’invitation, "
        "il vous fait entrer dans l’équipe."
    ),
    "help_help": (
        "<code>/help</code> : les commandes de votre rôle, chacune avec un exemple.\n"
        "<code>/help COMMANDE</code> : le détail d’une commande, par exemple <code>/help feed</code>."
    ),
    "help_briefing": (
        "<code>/briefing</code> : le briefing tout de suite, avec ce qui est arrivé depuis le dernier. "
        "Il arrive aussi seul chaque jour choisi, à votre heure (<code>/settings heure 7h30</code>, "
        "<code>/settings jours lun-ven</code>).\n"
        "Sous le briefing : ➕ N détaille l’histoire N, 🔕 retire une veille de vos briefings."
    ),
    "help_trends": (
        "<code>/trends</code> : les tendances X en France.\n"
        "<code>/trends Paris</code>, <code>/trends Londres</code>, <code>/trends New York</code> : celles d’un autre lieu "
        "(ou son WOEID, par exemple <code>/trends 615702</code>).\n"
        "⭐ marque celles qui concernent vos veilles."
    ),
    "help_alerts": (
        "<code>/alerts</code> : vos alertes en temps réel, chacune avec un bouton pour l’arrêter.\n"
        "<code>/alert Fnac</code> en crée une, <code>/alert off Fnac</code> l’arrête."
    ),
    "help_post": (
        "<code>/post TEXTE</code> : un post sur X, montré en aperçu avant de partir. "
        "<code>/post</code> seul : le texte est demandé ensuite.\n"
        "En réponse à une alerte ou à un briefing, <code>/post</code> propose de répondre à un de ses posts X ou de le citer.\n"
        "Un propriétaire publie (avec un délai pour annuler), un délégué envoie son brouillon aux propriétaires."
    ),
    "help_journal": (
        "<code>/journal</code> : les 20 dernières actions sur X (brouillons, validations, posts, abonnements), "
        "<code>/journal 50</code> pour en voir plus (100 au plus)."
    ),
    "help_status": (
        "<code>/status</code> : l’état de Vigie : processus, files d’envoi, flux en échec, dépense X, Redis."
    ),
    "cmd_start": "Présentation et premiers réglages",
    "cmd_help": "Les commandes disponibles",
    "cmd_settings": "Langue, fuseau horaire, heure et jours du briefing",
    "cmd_team": "L’équipe : délégués, lecteurs, invitations",
    "cmd_status": "L’état de Vigie : envois, sources, X, processus",
    "status_title": "<b>État de Vigie</b>",
    "status_processes": "Processus : {processes} · réception des messages : {polling} · worker vu {beat}",
    "status_yes": "active",
    "status_no": "aucune",
    "status_never": "jamais",
    "status_queues": "En attente : {depth}{oldest}",
    "status_crisis": "crises {n}",
    "status_approval": "validations {n}",
    "status_briefing": "briefings {n}",
    "status_alert": "alertes {n}",
    "status_oldest": " (le plus ancien : {when})",
    "status_today": "Aujourd’hui : {sent} envoyés · {resent} renvoyés après un arrêt · {retried} réessais · {failed} échecs · {too_many} refus 429 · {dropped} abandonnés (bot bloqué)",
    "status_feeds": "Flux : {total}, dont {failing} en échec",
    "status_items": "Nouveaux aujourd’hui : {sources}",
    "status_items_more": " et {n} autres sources",
    "status_items_none": "Nouveaux aujourd’hui : rien encore",
    "status_feed_failing": " • {host} : {error} ({failures} fois), prochain essai {next}, dernier succès {last_ok}",
    "status_feed_paused": " • {host} : en pause après {failures} échecs ({error}), dernier succès {last_ok}",
    "status_x": (
        "X : aujourd’hui {today} lectures et {today_acts} actions ({today_usd} $), "
        "ce mois {month} lectures et {month_acts} actions ({month_usd} $) ; les actions : posts, suppressions, abonnements et désabonnements"
    ),
    "status_x_quotas": " · requêtes restantes : {quotas}",
    "status_x_quota": "{endpoint} {left} (renouvelées {reset})",
    "status_x_limited": " · limité par X : {endpoints}",
    "status_redis": "Redis : {memory} en mémoire · {persistence} · dernier enregistrement {saved}",
    "status_aof": "journal AOF",
    "status_rdb": "instantanés RDB seulement",
    # console
    "console_edited": "✎ (message modifié)",
    "console_too_long": "⚠️ Ce message dépasse la limite de Telegram ({length} caractères, {limit} au plus) : Telegram le refuserait.",
    "console_waiting": "⏳ Fin de l’entrée : j’attends que les publications confirmées ({n}) partent sur X, au plus {seconds} s (Ctrl-C pour quitter sans attendre).",
    "console_left_pending": "La console s’arrête avant l’envoi des publications confirmées ({n}) : elles partiront au prochain lancement de la console.",
    # roles
    "role_owner": "propriétaire",
    "role_delegate": "délégué",
    "role_reader": "lecteur",
    # settings
    "settings_title": "<b>Réglages</b>\n{summary}",
    "settings_summary": "Langue : {language} · Fuseau : {timezone} · Briefing : {time}, {days} · Alertes : au plus une toutes les {every} min, {quiet}",
    "settings_quiet": "heures calmes {hours}",
    "settings_no_quiet": "sans heures calmes",
    "settings_language": "Langue",
    "settings_timezone": "Fuseau horaire",
    "settings_time": "Heure du briefing",
    "settings_days": "Jours du briefing",
    "settings_open": "⚙️ Réglages",
    "settings_done": "✔️ Terminé",
    "settings_back": "‹ Retour",
    "settings_pick_language": "Choisissez la langue de Vigie :",
    "settings_pick_timezone": (
        "Choisissez votre fuseau horaire (actuel : {timezone}).\n"
        "Un autre ? Tapez une ville ou un fuseau, par exemple <code>/settings fuseau Sydney</code> "
        "ou <code>/settings fuseau America/Toronto</code>."
    ),
    "settings_pick_hour": (
        "À quelle heure voulez-vous votre briefing ? (actuel : {time})\n"
        "Une autre heure, à la minute près : tapez-la, par exemple <code>/settings heure 18h10</code>."
    ),
    "settings_pick_minute": "Briefing à {hour} h et :",
    "settings_pick_days": (
        "Les jours où vous recevez le briefing (ou tapez-les : <code>/settings jours lun,mer,ven</code>, "
        "<code>/settings jours lun-ven</code>) :"
    ),
    "settings_weekdays": "Semaine",
    "settings_everyday": "Tous les jours",
    "settings_saved": "Enregistré ✅",
    "settings_bad_timezone": (
        "Fuseau horaire inconnu : {value}. Tapez une ville ou un fuseau, par exemple "
        "<code>/settings fuseau Paris</code> ou <code>/settings fuseau Europe/Paris</code>."
    ),
    "settings_bad_time": "Heure invalide : {value}. Exemple : <code>/settings heure 07:30</code>.",
    "settings_bad_days": (
        "Jours incompris : {value}. Exemples : <code>/settings jours lun,mer,ven</code>, "
        "<code>/settings jours lun-ven</code>, <code>/settings jours semaine</code>, <code>/settings jours tous</code>."
    ),
    "settings_typed": "Tout se tape aussi, par exemple <code>/settings heure 18h10</code> : <code>/help settings</code>.",
    "settings_usage": (
        "Utilisez les boutons de /settings, ou tapez :\n"
        "<code>/settings langue en</code> (English) ou <code>fr</code>\n"
        "<code>/settings fuseau Montréal</code> (une ville, ou un fuseau : <code>/settings fuseau Europe/Paris</code>)\n"
        "<code>/settings heure 07:30</code> (n’importe quelle heure : <code>18h10</code>, <code>6h</code>)\n"
        "<code>/settings jours lun,mer,ven</code> (ou <code>lun-ven</code>, <code>semaine</code>, <code>tous</code>)\n"
        "<code>/settings calme 22:00-07:00</code> (heures calmes des alertes ; <code>/settings calme non</code> sans)\n"
        "<code>/settings alertes 10</code> (au plus une alerte par veille toutes les 10 min, de 1 à 240)"
    ),
    "settings_need_timezone": (
        "Quel fuseau horaire ? Par exemple <code>/settings fuseau Europe/Paris</code>, ou choisissez-le dans /settings."
    ),
    "settings_need_time": "À quelle heure voulez-vous le briefing ? Par exemple <code>/settings heure 07:30</code>.",
    "settings_need_days": (
        "Quels jours voulez-vous le briefing ? Par exemple <code>/settings jours lun,mer,ven</code>, "
        "<code>lun-ven</code> ou <code>tous</code>."
    ),
    "settings_need_quiet": (
        "Quelles heures calmes ? Par exemple <code>/settings calme 22:00-07:00</code>, "
        "ou <code>/settings calme non</code> pour aucune."
    ),
    "settings_need_every": (
        "Au plus une alerte par veille toutes les combien de minutes ? "
        "Par exemple <code>/settings alertes 10</code> (de 1 à 240)."
    ),
    "settings_need_cooling": (
        "Quel délai avant publication ? Par exemple <code>/settings délai 90s</code>, <code>/settings délai 2min</code> "
        "ou <code>/settings délai défaut</code> (de 0 à 10 min)."
    ),
    "settings_need_language": (
        "Quelle langue ? <code>/settings langue fr</code> (français) ou <code>/settings langue en</code> (anglais)."
    ),
    "settings_bad_quiet": "Heures calmes invalides : {value}. Exemple : <code>/settings calme 22:00-07:00</code>, ou <code>/settings calme non</code>.",
    "settings_bad_every": "Intervalle invalide : {value}. Exemple : <code>/settings alertes 10</code> (minutes, de 1 à 240).",
    # cooling-off and guardrails
    "settings_cooling": "⏳ Délai avant publication",
    "settings_cooling_summary": " · Délai avant publication : {cooling}",
    "settings_cooling_default": "{duration} (par défaut)",
    "settings_pick_cooling": (
        "<b>Délai avant publication</b> : après ✅ Publier (ou votre validation d’un brouillon), le post attend "
        "ce temps avec un bouton ↩️ Annuler la publication avant de partir sur X. Actuel : {current}.\n"
        "Une autre durée, de 0 à 10 min : <code>/settings délai 90s</code>."
    ),
    "settings_usage_cooling": (
        "\n<code>/settings délai 2min</code> (délai avant publication de vos posts, de 0 à 10 min ; "
        "<code>/settings délai défaut</code> pour celui de Vigie)"
    ),
    "settings_bad_cooling": (
        "Délai incompris : {value}. Exemples : <code>/settings délai 90s</code>, <code>/settings délai 2min</code>, "
        "<code>/settings délai 0</code>, <code>/settings délai défaut</code>."
    ),
    "settings_cooling_unit": (
        "{value} secondes ou {value} minutes ? Précisez l’unité : <code>/settings délai {value}s</code> "
        "ou <code>/settings délai {value}min</code>."
    ),
    "settings_cooling_range": (
        "Délai hors limites : {value}. Le délai avant publication va de 0 à 10 minutes. "
        "Exemple : <code>/settings délai 5min</code>."
    ),
    "cmd_guardrails": "Les sujets sensibles signalés avant de publier",
    "guardrails_title": "<b>Garde-fous de publication</b>",
    "guardrails_intro": (
        "Avant qu’un post parte sur X, Vigie signale ces mots et expressions (mots entiers, sans tenir compte "
        "des majuscules ni des accents) et demande de confirmer : rien n’est bloqué."
    ),
    "guardrails_group_politics": "Politique",
    "guardrails_group_religion": "Religion",
    "guardrails_group_personal": "Vie personnelle",
    "guardrails_group_polemic": "Polémique",
    "guardrails_group_added": "Ajoutés par l’équipe",
    "guardrails_line": "<b>{group}</b> : {subjects}",
    "guardrails_none": "Aucun sujet : Vigie ne signale plus de sujet sensible.",
    "guardrails_removed_defaults": "Retirés de la liste par défaut : {subjects}",
    "guardrails_view_only": "Seuls les propriétaires modifient cette liste.",
    "guardrails_usage": (
        "Modifier la liste (propriétaires) :\n"
        "<code>/guardrails add grève</code> : ajouter un mot, ou une expression de 4 mots au plus "
        "(<code>/guardrails add vie privée</code>) ; plusieurs, séparés par des virgules\n"
        "<code>/guardrails rm vacances</code> : retirer\n"
        "<code>/guardrails reset</code> : revenir à la liste par défaut\n"
        "En français aussi : <code>ajouter</code>, <code>retirer</code>, <code>défaut</code>."
    ),
    "guardrails_unknown": "Je ne connais pas « {value} » pour /guardrails.",
    "guardrails_empty": "Il manque le mot ou l’expression.",
    "guardrails_no_word": "« {value} » ne contient aucun mot.",
    "guardrails_too_many_words": "« {value} » a trop de mots : 4 au plus, pour une expression précise.",
    "guardrails_too_long": "« {value} » est trop long : 40 caractères au plus.",
    "guardrails_full": "La liste est pleine ({value} sujets au plus) : retirez-en d’abord.",
    "guardrails_added": "✅ Ajouté : {subjects}. Les prochains aperçus de /post en tiennent compte.",
    "guardrails_already": "Déjà dans la liste : {subjects}.",
    "guardrails_removed": "🗑 Retiré : {subjects}.",
    "guardrails_not_there": "Pas dans la liste : {subjects}. <code>/guardrails</code> la montre.",
    "guardrails_reset_ask": "<b>Revenir à la liste par défaut ?</b>",
    "guardrails_reset_drops": "Ajoutés par l’équipe, ils seront retirés : {subjects}",
    "guardrails_reset_brings": "Retirés de la liste par défaut, ils reviendront : {subjects}",
    "guardrails_reset_already": "La liste est déjà celle par défaut : rien à rétablir.",
    "guardrails_reset_button": "♻️ Rétablir la liste par défaut",
    "guardrails_reset_done": "♻️ La liste par défaut est rétablie. <code>/guardrails</code> la montre.",
    "guardrails_reset_stale": (
        "La liste a changé depuis cette question : rien n’a été rétabli. "
        "Tapez <code>/guardrails reset</code> pour la voir et confirmer à nouveau."
    ),
    "days_every": "tous les jours",
    "days_weekdays": "du lundi au vendredi",
    "days_none": "aucun jour (briefing en pause)",
    "day_names": "lun,mar,mer,jeu,ven,sam,dim",
    "language_name": "Français",
    # team
    "team_title": "<b>L’équipe</b>",
    "team_owners": "Propriétaires : {names}",
    "team_delegates": "Délégués : {names}",
    "team_readers": "Lecteurs : {names}",
    "team_nobody": "personne",
    "team_help": (
        "Ajouter quelqu’un : transférez-moi un de ses messages, ou tapez "
        "<code>/team add délégué 123456789</code> (ou <code>lecteur</code>), ou créez un lien d’invitation. "
        "Retirer : <code>/team rm 123456789</code> ou les boutons ci-dessous."
    ),
    "team_invite_delegate": "🔗 Invitation délégué",
    "team_invite_reader": "🔗 Invitation lecteur",
    "team_remove": "Retirer {name}",
    "team_remove_ask": (
        "Retirer <b>{name}</b> ({role}) de l’équipe ? {name} ne recevra plus ni briefings ni alertes et "
        "ne pourra plus utiliser Vigie ; les veilles et les flux restent. {name} en sera prévenu."
    ),
    "team_remove_confirm": "🗑 Retirer",
    "team_removed_notice": "Vous ne faites plus partie de l’équipe Vigie : vous ne recevrez plus ni briefings ni alertes.",
    "team_invite_link": (
        "Lien d’invitation <b>{role}</b>, à usage unique, valable 7 jours :\n{link}\n"
        "Envoyez-le à la personne concernée."
    ),
    "team_granted": "{name} est maintenant <b>{role}</b>.",
    "team_already": "{name} est déjà <b>{role}</b>.",
    "team_revoked": "{name} ne fait plus partie de l’équipe.",
    "team_not_member": "{name} ne fait pas partie de l’équipe.",
    "team_owner_fixed": "{name} est propriétaire (réglage VIGIE_OWNER_IDS) : ce rôle ne se change pas ici.",
    "team_bad_id": "« {value} » n’est pas un identifiant Telegram (un nombre, par exemple 123456789).",
    "team_bad_role": (
        "Rôle inconnu : « {value} ». Choisissez délégué ou lecteur, par exemple <code>/team add délégué 123456789</code>."
    ),
    "team_usage": (
        "Utilisation : <code>/team</code> (l’équipe), <code>/team add délégué|lecteur ID</code>, "
        "<code>/team rm ID</code>. Par exemple <code>/team add lecteur 123456789</code>."
    ),
    "team_forward_who": "Message transféré de {name} (id {user_id}). Quel rôle lui donner ?",
    "team_forward_hidden": (
        "{name} masque son compte dans les messages transférés : je ne vois pas son identifiant. "
        "Créez plutôt un lien d’invitation avec /team."
    ),
    "team_make_delegate": "Délégué",
    "team_make_reader": "Lecteur",
    "team_cancel": "Annuler",
    "team_cancelled": "Rien n’a été changé.",
    "team_welcome_notice": "Vous avez été ajouté à l’équipe Vigie comme <b>{role}</b>. Tapez /start pour commencer.",
    # generic answers
    "owner_only": "Cette action est réservée aux propriétaires.",
    "unknown_command": "Commande inconnue : {command}. Tapez /help pour voir les commandes.",
    "text_not_understood": "Je ne comprends que les commandes. Tapez /help pour les voir.",
    "button_expired": "Ce bouton n’est plus valable.",
    "error": "Désolé, un incident m’a empêché de répondre. Réessayez dans un instant.",
    "back_soon": (
        "Un incident technique me ralentit : je reviens dans un instant. "
        "Votre message est gardé et je vous réponds dès que possible."
    ),
    # watches
    "cmd_watch": "Les veilles : sujets, marques, personnes suivies",
    "cmd_feed": "Les flux RSS/Atom de votre secteur",
    "cmd_trends": "Les tendances X d’un lieu (France par défaut)",
    "cmd_alert": "Des alertes en temps réel sur une veille, avec filtres",
    "cmd_alerts": "Vos alertes, pour en arrêter une",
    "alert_usage": (
        "Usage : <code>/alert VEILLE [min:50] [sources:x|news] [verified] [lang:fr]</code>\n"
        "Ex. : <code>/alert Fnac min:50 sources:x</code> — chaque nouvelle publication sur X avec au moins 50 "
        "interactions (les filtres min et verified ne portent que sur X ; un article de presse les passe).\n"
        "<code>/alert off Fnac</code> pour l’arrêter, <code>/alerts</code> pour la liste."
    ),
    "alert_bad_filter": "Filtre incompris : « {value} ». Filtres possibles : min:50, sources:x, sources:news, verified, lang:fr.",
    "alert_started": "🔔 Alerte activée sur <b>{watch}</b> ({filters}) : au plus un message toutes les {every} min, le reste compté dedans.",
    "alert_started_quiet": (
        "🔔 Alerte activée sur <b>{watch}</b> ({filters}) : au plus un message toutes les {every} min, le reste compté dedans. "
        "Pendant vos heures calmes ({quiet}), elles attendent : si votre briefing tombe pendant celles-ci ou au plus 2 h après, elles arrivent avec lui (celles d’ici là aussi), sinon ensemble à la fin des heures calmes. Les alertes de crise passent toujours."
    ),
    "alert_stopped": "🔕 Alerte arrêtée sur <b>{watch}</b>.",
    "alert_none": "Vous n’aviez pas d’alerte sur <b>{watch}</b>.",
    "alert_filter_min": "≥ {n} interactions sur X",
    "alert_filter_x": "X seulement",
    "alert_filter_news": "presse seulement",
    "alert_filter_verified": "comptes X vérifiés",
    "alert_filter_language": "en {language}",
    "alert_filter_none": "sans filtre",
    "cell_on": "🚨 Les alertes de crise sur <b>{watch}</b> viendront aussi dans ce groupe. Seuls les membres de l’équipe Vigie peuvent utiliser leurs boutons. <code>/alert off {watch} ici</code> pour arrêter.",
    "cell_off": "Les alertes de crise sur <b>{watch}</b> ne viendront plus dans ce groupe.",
    "cell_usage": "Dans un groupe : <code>/alert VEILLE ici</code> pour y recevoir ses alertes de crise (propriétaires).",
    "cell_private": "<code>/alert VEILLE ici</code> se tape dans un groupe où Vigie a été ajouté : ses alertes de crise y viendront aussi.",
    "alerts_empty": "Aucune alerte. <code>/alert Fnac</code> pour en créer une.",
    "alerts_title": "<b>Vos alertes</b>",
    "alerts_line": "• <b>{watch}</b> : {filters}",
    "alert_stop_button": "🔕 Arrêter {watch}",
    "watch_usage": (
        "<code>/watch</code> : la liste · <code>/watch NOM</code> : les derniers éléments\n"
        "<code>/watch add NOM REQUÊTE</code>, par exemple "
        "<code>/watch add Fnac Fnac OR @Fnac OR #Fnac -emploi lang:fr</code>\n"
        "<code>/watch rm NOM</code> · <code>/watch follow NOM</code> · <code>/watch unfollow NOM</code>\n"
        "<code>/watch baisses NOM oui</code> : signaler aussi une baisse inhabituelle des mentions"
    ),
    "watch_list_title": "<b>Veilles</b> (volume sur 24 h)",
    "watch_list_line": "• <b>{name}</b> — {query} — {volume} en 24 h{followed}",
    "watch_followed_mark": " · suivie ✓",
    "watch_muted_mark": " · 🔕 hors de vos briefings",
    "watch_unmute": "🔔 Remettre {name} dans le briefing",
    "watch_list_empty": "Aucune veille pour l’instant. Créez-en une : <code>/watch add Fnac Fnac OR @Fnac lang:fr</code>",
    "watch_list_add": (
        "Ajouter une veille : <code>/watch add NOM REQUÊTE</code>, par exemple "
        "<code>/watch add Darty Darty OR @Darty -emploi</code>. <code>/help watch</code> pour le détail."
    ),
    "watch_created": "Veille <b>{name}</b> créée : {query}\nVous la suivez.",
    "watch_first_no_x": "X n’est pas configuré (X_BEARER_TOKEN) : elle recueille les articles des flux qui lui correspondent, au fil des passages.",
    "watch_first_postponed": "X n’a pas pu être interrogé tout de suite ({reason}) : la première recherche viendra au prochain passage.",
    "watch_first_limited": "X limite les requêtes pour l’instant : la première recherche viendra au prochain passage.",
    "watch_first_none": "Sur X, aucun post ne correspond ces 7 derniers jours ; les nouveaux arriveront au fil des passages (X est interrogé toutes les {every}).",
    "watch_first_one": "Sur X, 1 post correspond {span} :",
    "watch_first_many": "Sur X, {count} posts correspondent {span}. Les plus repris :",
    "watch_first_post": '• <b>@{author}</b> : « {text} » — <a href="{url}">voir le post</a> ({likes} ♥, {reposts} 🔁)',
    "span_hour": "cette dernière heure",
    "span_hours": "ces {n} dernières heures",
    "span_days": "ces {n} derniers jours",
    "watch_x_rejected_and": (
        "X refuse cette requête : « and » y est ambigu. Pour exiger deux termes, séparez-les d’un simple espace "
        '(<code>Fnac Darty</code>) ; pour chercher le mot « and », mettez-le entre guillemets (<code>"and"</code>). '
        "Rien n’a été créé."
    ),
    "watch_x_rejected": "X refuse cette requête. Son explication, en anglais : « {words} ». Rien n’a été créé : corrigez-la et recommencez.",
    "watch_exists": "Une veille « {value} » existe déjà : <code>/watch {value}</code> pour la voir.",
    "watch_bad_name": (
        "Nom de veille invalide : « {value} » (40 caractères au plus : lettres de toute écriture, chiffres, espaces, "
        "ponctuation, symboles ou emoji, sans caractère invisible)."
    ),
    "watch_unknown": "Aucune veille nommée « {value} ». <code>/watch</code> les liste.",
    "watch_which": "Quelle veille ? Par exemple <code>/watch {action} Fnac</code> ; <code>/watch</code> les liste.",
    "watch_which_drops": (
        "Quelle veille ? Par exemple <code>/watch baisses Fnac oui</code> (ou <code>non</code>) : "
        "signaler aussi une baisse inhabituelle de ses mentions."
    ),
    "watch_rm_confirm": "Supprimer la veille <b>{name}</b> et ce qu’elle a collecté ?",
    "watch_rm_followers": "• Ses {n} abonnés ne la recevront plus, ni dans leur briefing ni en alerte.",
    "watch_rm_followers_one": "• Son abonné ne la recevra plus, ni dans son briefing ni en alerte.",
    "watch_rm_feeds_gone": "• Ces flux, qui ne servent qu’à elle, seront retirés : {titles}.",
    "watch_rm_feeds_kept": "• Ces flux restent, pour d’autres veilles ou les actualités : {titles}.",
    "watch_rm_yes": "Supprimer",
    "watch_removed": "Veille <b>{name}</b> supprimée.",
    "watch_followed": "Vous suivez maintenant <b>{name}</b>.",
    "watch_unfollowed": "Vous ne suivez plus <b>{name}</b>.",
    "watch_follow": "Suivre {name}",
    "watch_unfollow": "Ne plus suivre {name}",
    "watch_show": "Voir {name}",
    "watch_items_title": "<b>{name}</b> — {query}",
    "watch_items_empty": "Rien de collecté pour l’instant.",
    "watch_items_order": "Les plus récents d’abord :",
    "watch_item_line": "{headline} — {sources}, {when}",
    "watch_item_more": " et {n} autres sources",
    "watch_item_more_one": " et 1 autre source",
    "delegate_only": "Cette action est réservée aux propriétaires et aux délégués.",
    "query_empty": "La requête est vide. Exemple : <code>Fnac OR @Fnac -emploi lang:fr</code>.",
    "query_empty_phrase": "Une expression entre guillemets est vide.",
    "query_bad_handle": "Compte invalide : « {value} » (1 à 15 lettres, chiffres ou _).",
    "query_bad_term": "Terme invalide : « {value} ».",
    "query_unsupported": 'Terme non pris en charge : « {value} ». Utilisez des mots, "expressions", @comptes, #hashtags, $cashtags, from:compte, -exclusions, (groupes), lang:fr et OR.',
    "query_dangling_or": "OR doit relier deux termes, par exemple <code>Fnac OR Darty</code>.",
    "query_bad_language": "Langue invalide : « {value} » (deux lettres, par exemple lang:fr).",
    "query_only_exclusions": "Il faut au moins un terme recherché, pas seulement des exclusions.",
    "query_too_long": "La requête est trop longue pour X ({value} caractères, 512 au plus).",
    "query_unclosed_quote": (
        'Un guillemet n’est pas refermé dans « {value} » : fermez l’expression (<code>"Fnac Darty"</code>) '
        "ou retirez le guillemet."
    ),
    "query_unclosed_paren": "Une parenthèse n’est pas refermée dans « {value} ». Exemple : <code>(Fnac OR Darty) -promo</code>.",
    "query_unopened_paren": (
        "Une parenthèse fermante n’a pas d’ouvrante dans « {value} ». Exemple : <code>(Fnac OR Darty) -promo</code>."
    ),
    "query_empty_group": "Des parenthèses vides : mettez-y au moins un terme, par exemple <code>(Fnac OR Darty)</code>.",
    "query_lone_minus": (
        "Un « - » seul : collez-le à ce qu’il exclut, par exemple <code>-emploi</code> ou <code>-(promo OR soldes)</code>."
    ),
    "query_lang_where": (
        "{value} vaut pour toute la requête : placez-le hors des parenthèses, sans OR ni « - », "
        "par exemple <code>(Fnac OR Darty) lang:fr</code>."
    ),
    "query_two_languages": "Une seule langue par requête : {value}.",
    "watch_query_syntax": (
        'Dans la requête : des mots (tous requis), des <code>"expressions exactes"</code>, @comptes, #hashtags, '
        "$cashtags, <code>from:compte</code> (ses posts) ; <code>OR</code> entre deux termes (l’un ou l’autre) ; "
        "<code>-terme</code> pour exclure ; des parenthèses pour grouper : <code>(Fnac OR Darty) -promo</code> ; "
        "<code>lang:fr</code> pour une langue. <code>Fnac OR @Fnac -emploi</code> se lit "
        "<code>(Fnac OR @Fnac) -emploi</code>. La requête est montrée telle que tapée."
    ),
    # briefing
    "cmd_briefing": "Le briefing maintenant (depuis le dernier)",
    "brief_title": "<b>☀️ Votre briefing</b> — {date}",
    "brief_since": "Depuis le {date} à {time}.",
    "brief_crisis_ongoing": "🚨 <b>Crise en cours : {watch}</b>, pic de mentions depuis {date} à {time}, {ratio}× l’habituel.",
    "brief_crisis_over": "🚨 <b>{watch}</b> : pic de mentions {date} à {time}, {ratio}× l’habituel, revenu à la normale depuis.",
    "brief_late": "⏰ Avec {minutes} min de retard : Vigie était indisponible à l’heure prévue.",
    "brief_watch": "<b>{name}</b> — {count} mentions{ratio}",
    "brief_watch_one": "<b>{name}</b> — {count} mention{ratio}",
    "brief_ratio": ", {ratio}× l’habituel",
    "crisis_title_raised": "🚨 <b>Pic de mentions : {watch}</b>",
    "crisis_title_worse": "🚨 <b>La crise s’aggrave : {watch}</b>",
    "crisis_title_ongoing": "🚨 <b>Pic de mentions : {watch}</b> (en cours)",
    "crisis_title_over": "✅ <b>Retour à la normale : {watch}</b>",
    "crisis_updated": "Mis à jour à {time}, toutes les 30 min tant que cela dure.",
    "crisis_terms": "Nouveau dans la conversation : {terms}",
    "crisis_follow_button": "📈 Suivre l’évolution",
    "crisis_unfollow_button": "✓ Évolution suivie (arrêter)",
    "crisis_following": "Ce message sera mis à jour toutes les 30 min tant que cela dure, puis une dernière fois au retour à la normale.",
    "crisis_not_following": "Vous ne suivez plus l’évolution de ce message.",
    "crisis_over_already": "Cet épisode est terminé : il n’y a plus d’évolution à suivre.",
    "topic_title": "🔔 <b>{watch}</b> : {n} nouvelles publications",
    "topic_title_one": "🔔 <b>{watch}</b> : 1 nouvelle publication",
    "topic_line": "• {time} {who} : {item}",
    "topic_on_x": "{author} (@{handle}, X)",
    "topic_outlet": "{outlet}",
    "topic_more": "… et {n} autres.",
    "topic_more_one": "… et 1 autre.",
    "crisis_rate_weeks": "{count} mentions en {minutes} min depuis {time}, {ratio}× l’habituel pour un {day} à cette heure.",
    "crisis_rate_days": "{count} mentions en {minutes} min depuis {time}, {ratio}× l’habituel de ces derniers jours à cette heure.",
    "crisis_drivers": "Ce qui fait réagir :",
    "drop_title_raised": "📉 <b>Mentions inhabituellement basses : {watch}</b>",
    "drop_title_ongoing": "📉 <b>Mentions inhabituellement basses : {watch}</b> (en cours)",
    "drop_rate_weeks": "{count} mentions en {minutes} min depuis {time}, contre {usual} d’habitude pour un {day} à cette heure.",
    "drop_rate_days": "{count} mentions en {minutes} min depuis {time}, contre {usual} d’habitude ces derniers jours à cette heure.",
    "drop_check": "Une baisse peut aussi venir d’une source en panne : un propriétaire le voit dans /status.",
    "watch_drops_on": "📉 <b>{name}</b> : une baisse inhabituelle des mentions sera aussi signalée à ceux qui suivent la veille.",
    "watch_drops_off": "<b>{name}</b> : les baisses de mentions ne sont plus signalées, seuls les pics.",
    "watch_drops_usage": "Pour signaler aussi les baisses inhabituelles : <code>/watch baisses {name} oui</code> (ou <code>non</code>).",
    "crisis_share": "Sur les {read} dernières publications de l’heure : X {x} %, presse {news} %.",
    "crisis_pause_button": "⏸ Suspendre les publications",
    "crisis_draft_button": "✍️ Préparer une réponse",
    "chart_title": "{watch} — mentions sur {hours} h",
    "chart_mentions": "Mentions",
    "chart_usual": "Habituel",
    "chart_band": "Écart normal",
    "chart_alert": "Alerte",
    "chart_per_quarter": "Mentions par quart d’heure",
    "chart_per_hour": "Mentions par heure",
    "chart_per_minutes": "Mentions par {minutes} min",
    "chart_days": "lun.,mar.,mer.,jeu.,ven.,sam.,dim.",
    "posting_paused": "⏸ Publications suspendues : tant qu’un propriétaire ne les reprend pas, Vigie ne publiera rien sur X.",
    "posting_already_paused": "⏸ Les publications sont déjà {held}.",
    "posting_resume_button": "▶️ Reprendre les publications",
    "posting_resumed": "▶️ Publications reprises.",
    "posting_not_paused": "Les publications n’étaient pas suspendues.",
    "posting_hold": "suspendues par {name} {when}",
    "posting_hold_crisis": " (crise : {watch})",
    "status_posting_open": "Publications : autorisées",
    "status_posting_held": "Publications : ⏸ {held}",
    # posting
    "cmd_post": "Publier sur X (aperçu, confirmation, annulation possible)",
    # the journal (/journal)
    "cmd_journal": "Le journal des actions sur X : brouillons, validations, posts, abonnements",
    "journal_title": "<b>Journal des actions sur X</b> (les {n} dernières, la plus récente d’abord)",
    "journal_title_one": "<b>Journal des actions sur X</b> (la dernière)",
    "journal_empty": "Le journal est vide : aucun brouillon, post ni abonnement pour l’instant. /post pour écrire un post.",
    "journal_line": "{icon} {when} · <b>{who}</b> · {act} · {what}",
    "journal_quoted": "« {text} »",
    "journal_cost": "{usd} $",
    "journal_pending": "demande envoyée (compte protégé)",
    "journal_why": "{why}{reason}",
    "journal_why_no_account": "aucun compte X configuré",
    "journal_why_budget": "budget X dépassé",
    "journal_why_duplicate": "doublon refusé par X",
    "journal_why_refused": "refusé par X",
    "journal_why_unreachable": "X injoignable",
    "journal_why_unlisted": "peut-être publié (X dit l’avoir, sans le montrer)",
    "journal_usage": "Usage : <code>/journal</code> (les 20 dernières actions) ou <code>/journal 50</code> (jusqu’à {max}).",
    "journal_drafted": "brouillon",
    "journal_submitted": "envoyé pour validation",
    "journal_approved": "approuvé",
    "journal_rejected": "refusé",
    "journal_cancelled": "annulé",
    "journal_expired": "expiré",
    "journal_undone": "publication annulée à temps",
    "journal_posted": "publié",
    "journal_failed": "non publié",
    "journal_deleted": "supprimé de X",
    "journal_followed": "abonnement",
    "journal_unfollowed": "désabonnement",
    "post_ask_text": "✍️ Envoyez le texte du post dans votre prochain message.",
    "post_ask_edit": "✏️ Envoyez le nouveau texte dans votre prochain message.",
    "post_private_only": "Les publications se préparent en message privé avec Vigie.",
    "post_no_account": (
        "Publier demande le compte X de Vigie (X_USER_ACCESS_TOKEN, ou les quatre réglages OAuth 1.0a), "
        "qui n’est pas configuré : rien ne peut être publié pour l’instant."
    ),
    "post_preview_title": "<b>Aperçu de votre post sur X</b>",
    "post_length": "{n}/280 caractères comptés par X.",
    "post_too_long": "⛔ Trop long : {n}/280 caractères comptés par X, {over} de trop (barrés).",
    "post_thread_length": "🧵 Un fil de {n} posts.",
    "post_replying": "↩️ En réponse à {url}",
    "post_quoting": "🔁 En citant {url}",
    "post_targets": "↩️ Vous pouvez aussi répondre à un post X du message, ou le citer (boutons ci-dessous).",
    "post_reply_button": "↩️ Répondre à {who}",
    "post_quote_button": "🔁 Citer {who}",
    "post_target_post": "post {n}",
    "post_ask_answer": (
        "✍️ Envoyez le texte de votre réponse dans votre prochain message. "
        "Vous pourrez ensuite répondre à un post de l’alerte ou le citer."
    ),
    "caution_subject": "⚠️ Sujet sensible : {detail}.",
    "caution_duplicate": "⚠️ Ce texte reprend un post récent : X refuse les doublons.",
    "caution_link": "⚠️ Contient un lien : X facture 0,20 $ au lieu de 0,015 $.",
    "caution_crisis": "⚠️ Crise en cours sur {detail}, et ce post en parle.",
    "caution_paused": "⚠️ Les publications sont suspendues par {detail} : le post attendra leur reprise.",
    "post_sure": "<b>Publier malgré ces avertissements ?</b>",
    "post_publish_button": "✅ Publier",
    "post_submit_button": "📤 Envoyer pour validation",
    "post_sure_button": "✅ Oui, publier quand même",
    "post_thread_button": "🧵 Publier en fil de {n} posts",
    "post_edit_button": "✏️ Modifier",
    "post_cancel_button": "✖️ Annuler",
    "post_undo_button": "↩️ Annuler la publication",
    "post_delete_button": "🗑 Supprimer de X",
    "post_countdown": "⏳ Publication dans {seconds} s. Vous pouvez encore l’annuler.",
    "post_held": "⏸ En attente : les publications sont suspendues par {name}. Le post partira à leur reprise.",
    "post_sent": "✅ Publié sur X :\n{links}",
    "post_sent_author": "✅ Votre post a été publié sur X (validé par {name}) :\n{links}",
    "post_failed": "❌ Non publié : {reason}",
    "post_partly_sent": "⚠️ En partie publié sur X :\n{links}\nLa suite n’est pas partie : {reason}",
    "post_failed_no_account": "aucun compte X n’est configuré pour publier (X_USER_ACCESS_TOKEN).",
    "post_failed_budget": "le budget X du mois serait dépassé ({spent} $ dépensés + {cost} $ pour ce post, budget {budget} $).",
    "post_failed_duplicate": "X refuse ce texte comme doublon d’un post déjà publié.",
    "post_failed_refused": "X l’a refusé ({reason}).",
    "post_failed_unreachable": "X ne répond pas après plusieurs essais. Réessayez plus tard.",
    "post_failed_unlisted": (
        "X dit avoir déjà ce texte mais ne le montre pas parmi les posts du compte : "
        "vérifiez le compte sur X avant de le publier à nouveau."
    ),
    "post_cancelled": "✖️ Brouillon annulé : rien n’a été publié.",
    "post_undone": "↩️ Publication annulée : rien n’a été envoyé à X.",
    "post_too_late": "Trop tard : le post est déjà parti sur X. Vous pouvez le supprimer.",
    "post_deleted": "🗑 Post supprimé de X.",
    "post_delete_failed": "La suppression a échoué : {reason}",
    "post_gone": "Ce brouillon n’est plus modifiable ({state}).",
    "post_way_too_long": "Ce texte fait {n} caractères : au-delà de {max}, même un fil serait illisible. Raccourcissez-le.",
    "post_not_yours": "Ce brouillon n’est pas le vôtre.",
    "post_submitted": "📤 Envoyé aux propriétaires pour validation. Je vous dirai leur décision.",
    "draft_approval_title": "📝 <b>Brouillon de {author} à valider</b>",
    "draft_approve_button": "✅ Approuver",
    "draft_reject_button": "❌ Rejeter",
    "draft_own": "Vous ne pouvez pas approuver votre propre brouillon.",
    "draft_approved_author": "✅ {name} a approuvé votre brouillon : publication dans {seconds} s.",
    "draft_approved_other": "✅ Approuvé par {name}.",
    "draft_reject_ask": "❌ Pourquoi ce rejet ? Envoyez la raison dans votre prochain message ; {author} la recevra.",
    "draft_rejected": "❌ Brouillon rejeté. {author} a reçu votre raison.",
    "draft_rejected_author": "❌ {name} a rejeté votre brouillon : {reason}",
    "draft_expired": "⌛ Ce brouillon a expiré après 24 h sans suite : rien n’a été publié.",
    "state_preview": "en aperçu",
    "state_approval": "en attente de validation",
    "state_cooling": "en attente de publication, encore annulable",
    "state_sending": "en cours d’envoi à X",
    "state_sent": "déjà publié",
    "state_failed": "échoué",
    "state_deleted": "supprimé de X",
    "state_cancelled": "annulé",
    # following
    "cmd_follow": "Suivre un compte sur X : ses posts arrivent dans votre briefing",
    "cmd_unfollow": "Ne plus suivre un compte sur X",
    "follow_usage": (
        "Usage : <code>/follow @compte</code>, par exemple <code>/follow @Fnac</code> : Vigie le suit avec son compte X "
        "et ses posts arrivent dans votre briefing.\n"
        "<code>/follow</code> seul liste les comptes suivis, <code>/unfollow @compte</code> en retire un."
    ),
    "follow_bad_handle": "« {value} » n’est pas un compte X : 1 à 15 lettres, chiffres ou _, avec ou sans @.",
    "follow_private_only": "Les comptes suivis se gèrent en message privé avec Vigie.",
    "follow_card_title": "<b>Suivre ce compte sur X ?</b>",
    "follow_card_verified": " · ✔️ compte vérifié",
    "follow_card_followers": "👥 {n} abonnés{verified}",
    "follow_card_followers_one": "👥 {n} abonné{verified}",
    "follow_card_protected": "🔒 Compte protégé : il devra accepter la demande avant que ses posts n’arrivent.",
    "follow_card_then": "Vigie le suivra avec son compte X, et ses posts arriveront dans votre briefing.",
    "follow_button": "✅ Suivre",
    "follow_cancel_button": "✖️ Annuler",
    "follow_done": "✅ Vous suivez maintenant @{username} sur X ; ses posts arriveront dans votre briefing.",
    "follow_pending": (
        "📨 Demande envoyée à @{username} : ce compte est protégé. "
        "Ses posts arriveront dans votre briefing dès qu’il l’aura acceptée."
    ),
    "follow_already": "Vigie suit déjà @{username} sur X : ses posts arrivent dans votre briefing.",
    "follow_already_pending": "Vigie a déjà demandé à suivre @{username} (compte protégé) : ses posts arriveront dès qu’il l’aura acceptée.",
    "follow_expired": "Cette proposition n’est plus valable (une heure au plus) : tapez à nouveau <code>/follow @compte</code>.",
    "follow_cancelled": "✖️ Annulé : rien n’a été demandé à X.",
    "unfollow_usage": "Usage : <code>/unfollow @compte</code>, par exemple <code>/unfollow @Fnac</code>. <code>/follow</code> liste les comptes suivis.",
    "unfollow_card_title": "<b>Ne plus suivre @{username} sur X ?</b>\nSes posts n’arriveront plus dans votre briefing.",
    "unfollow_button": "Ne plus suivre",
    "unfollow_list_button": "Ne plus suivre @{username}",
    "unfollow_done": "Vous ne suivez plus @{username} sur X ; ses posts n’arriveront plus dans votre briefing.",
    "unfollow_unknown": "Vigie ne suit pas @{username}. <code>/follow</code> liste les comptes suivis.",
    "unfollow_gone": "Vigie ne suit déjà plus ce compte.",
    "follow_list_title": "<b>Comptes suivis sur X</b> (leurs posts arrivent dans votre briefing)",
    "follow_list_line": "• <b>{name}</b> @{username}{mark}",
    "follow_list_pending": " — 🔒 en attente de son accord",
    "follow_list_empty": "Vigie ne suit encore aucun compte sur X.",
    "follow_list_help": "<code>/follow @compte</code> pour en suivre un, <code>/unfollow @compte</code> pour arrêter.",
    "follow_error_no_account": (
        "Suivre un compte demande le compte X de Vigie (X_USER_ACCESS_TOKEN, ou les quatre réglages OAuth 1.0a), "
        "qui n’est pas configuré."
    ),
    "follow_error_budget": "Refusé : le budget X du mois serait dépassé ({spent} $ dépensés + {cost} $ pour {what}, budget {budget} $).",
    "follow_what_look_up": "chercher ce compte",
    "follow_what_follow": "cet abonnement",
    "follow_what_unfollow": "ce désabonnement",
    "follow_error_rate_limited": "X limite ces requêtes pour l’instant : réessayez dans {wait}.",
    "follow_wait_minutes": "{n} min",
    "follow_wait_hours": "{n} h",
    "follow_error_not_found": "Aucun compte X ne s’appelle @{username}. Vérifiez l’orthographe.",
    "follow_error_gone": "Ce compte n’existe plus sur X.",
    "follow_error_suspended": "X a suspendu ce compte : impossible de le suivre.",
    "follow_error_follow_limit": "X n’autorise plus de nouvel abonnement aujourd’hui (limite quotidienne atteinte) : réessayez demain.",
    "follow_error_unauthorized": "X refuse les identifiants du compte de Vigie pour cette action : vérifiez X_USER_ACCESS_TOKEN et son droit <code>follows.write</code>.",
    "follow_error_refused": "X a refusé la demande (erreur {status}).",
    "follow_error_failed": "X ne répond pas correctement pour l’instant : réessayez dans quelques minutes.",
    "follow_brief_title": "<b>Comptes suivis sur X</b>",
    "follow_brief_more": "… et {n} autres : <code>/follow</code>",
    "brief_quiet": "<b>{name}</b> — rien de nouveau",
    "brief_story": "{n}. {headline} — {text} <i>({sources})</i>",
    "brief_headline": "{n}. {headline} <i>({sources})</i>",
    "brief_post": '{n}. « {text} » — <a href="{link}">@{author}</a>',
    "brief_news": "<b>Actualités</b>",
    "brief_also": " · <i>aussi : {names}</i>",
    "brief_see": " · voir {numbers}",
    "brief_watch_more": "… et {n} autres : <code>/watch {name}</code>",
    "brief_watch_more_one": "… et {n} autre : <code>/watch {name}</code>",
    "brief_news_more": "… et {n} autres",
    "brief_news_more_one": "… et {n} autre",
    "brief_trends": "<b>Tendances X — {place}</b>{age} : {names}",
    "brief_nothing": "Rien de nouveau sur vos {n} veilles.",
    "brief_nothing_one": "Rien de nouveau sur votre veille.",
    "brief_nothing_watched": "Rien de nouveau : vous ne suivez aucune veille (/watch les liste, pour en suivre).",
    "brief_next": "Prochain briefing : le {date} à {time}.",
    "brief_next_none": "Aucun briefing n’est prévu : choisissez des jours avec /settings.",
    "brief_more_button": "➕ {n}",
    "brief_mute_button": "🔕 {name}",
    "brief_more": "<b>{n}.</b> {text}",
    "brief_more_links": "Pour aller plus loin : {links}",
    "brief_more_others": "et {n} autres",
    "brief_more_by": "✍️ {who}, le {date} à {time}",
    "brief_more_who": "{name} (@{author})",
    "brief_muted": "<b>{name}</b> ne figurera plus dans vos briefings (vous gardez ses alertes). /watch la montre « hors de vos briefings », avec un bouton pour l’y remettre.",
    "brief_unmute_button": "↩️ Annuler",
    "brief_unmuted": "<b>{name}</b> figure de nouveau dans vos briefings.",
    "brief_expired": "Ce briefing est trop ancien pour être détaillé.",
    "day_long": "lundi,mardi,mercredi,jeudi,vendredi,samedi,dimanche",
    "month_long": "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre",
    # trends
    "trends_title": "<b>Tendances X — {place}</b> ({when})",
    "trends_line": "{rank}. {name}{count}{watches}",
    "trends_count": " — {count} posts",
    "trends_watch_mark": " ⭐ {names}",
    "trends_empty": "X ne donne aucune tendance pour ce lieu en ce moment.",
    "trends_stale": "⚠️ X ne répond pas ({reason}) : voici les dernières tendances connues.",
    "trends_unknown_place": "Lieu inconnu : « {value} ». Essayez France, Paris, Lyon, Belgique, Suisse, Canada, Londres, New York… ou un WOEID.",
    "trends_no_x": "Les tendances demandent un accès à l’API X (X_BEARER_TOKEN), qui n’est pas configuré.",
    # feeds
    "feed_usage": (
        "<code>/feed</code> : la liste et leur santé\n"
        "<code>/feed add URL</code> (actualités générales) ou <code>/feed add URL NOM_DE_VEILLE</code>, "
        "par exemple <code>/feed add https://www.lemonde.fr/rss/une.xml</code>\n"
        "<code>/feed rm NUMÉRO</code> (dans la liste de <code>/feed</code>) ou <code>/feed rm URL</code>"
    ),
    "feed_added": "Flux ajouté : <b>{title}</b> → {target}\nDernier article : {last}",
    "feed_tried": "Adresse sans http:// ni https:// : j’ai essayé {url}",
    "feed_already": "Ce flux est déjà là : <b>{title}</b> → {targets}. Rien n’a changé.",
    "feed_attached": (
        "Ce flux était déjà là (<b>{title}</b> → {before}) : il alimente maintenant aussi {target}.\n"
        "Dernier article : {last}"
    ),
    "feed_restarted": "Flux relancé : <b>{title}</b> → {target}\nDernier article : {last}",
    "feed_no_items": "aucun article pour l’instant",
    "feed_news": "actualités générales",
    "feed_list_title": "<b>Flux</b>",
    "feed_list_empty": "Aucun flux. Ajoutez-en un : <code>/feed add https://www.lemonde.fr/rss/une.xml</code>",
    "feed_list_add": (
        "Ajouter un flux : <code>/feed add URL</code> (actualités générales) ou <code>/feed add URL NOM_DE_VEILLE</code>. "
        "Retirer : <code>/feed rm {n}</code> (son numéro) ou les boutons ci-dessous."
    ),
    "feed_line": "{n}. <b>{title}</b> ({host}) → {targets}\n   {health}",
    "feed_ok": "✅ dernier relevé {when}, prochain {next}",
    "feed_failing": "⚠️ {error} ({failures} échec(s)), prochain essai {when}",
    "feed_paused": "⏸ en pause après une journée d’échecs : {error}. <code>/feed add</code> à nouveau pour le relancer.",
    "feed_pending": "⏳ premier relevé en attente",
    "feed_paused_notice": (
        "⏸ Le flux <b>{title}</b> échoue depuis une journée ({error}) : je le mets en pause.\n"
        "Pour le relancer : <code>/feed add {url}</code>"
    ),
    "feed_removed": "Flux retiré : <b>{title}</b>.",
    "feed_rm_confirm": (
        "Retirer le flux <b>{title}</b> ? Ses nouveaux articles ne viendront plus dans : {targets} "
        "(ceux déjà reçus restent)."
    ),
    "feed_rm_yes": "🗑 Retirer",
    "feed_unknown": "Aucun flux à cette adresse. <code>/feed</code> les liste.",
    "feed_unknown_number": "Pas de flux n° {value} : <code>/feed</code> les liste, numérotés.",
    "feed_remove": "Retirer {title}",
    "source_unreachable": "Site injoignable ({reason}). Vérifiez l’adresse, ou réessayez plus tard.",
    "source_refused": "Adresse refusée : {reason}.",
    "source_too_large": "Réponse trop volumineuse ({reason}) : ce n’est pas un flux raisonnable.",
    "source_bad_status": "Le serveur a répondu par une {reason}.",
    "source_not_a_feed": "Cette adresse n’est pas un flux RSS ou Atom (c’est peut-être une page web : cherchez le lien « RSS » du site).",
    "source_malformed": "Réponse illisible du service.",
    "source_unauthorized": "Les identifiants ont été refusés.",
    "source_rate_limited": "Trop de requêtes : nouvel essai {wait}.",
    "source_error": "Échec : {reason}.",
    # why a source failed (bot.model.Reason), short enough for a list
    "reason_not_http": "seules les adresses http:// et https:// sont lues",
    "reason_bad_url": "adresse mal formée",
    "reason_no_host": "l’adresse ne nomme aucun site",
    "reason_credentials": "une adresse avec identifiant ou mot de passe n’est pas lue",
    "reason_private": "{value} est une adresse privée ou réservée",
    "reason_unusual": "{value}, écrite sous une forme inhabituelle",
    "reason_local_name": "{value} est un nom local",
    "reason_resolves_private": "{value} mène à une adresse privée",
    "reason_redirects": "plus de {value} redirections",
    "reason_dns": "nom de site introuvable : {value}",
    "reason_connection_refused": "connexion refusée",
    "reason_timeout": "pas de réponse à temps",
    "reason_tls": "échec de la connexion sécurisée",
    "reason_disconnected": "le serveur a coupé la connexion",
    "reason_network": "connexion impossible",
    "reason_status": "erreur HTTP {value}",
    "reason_too_large": "plus de {value} Mo",
    "reason_not_a_feed": "ce n’est pas un flux RSS ou Atom",
    "reason_rate_limited": "trop de requêtes",
    "reason_unauthorized": "identifiants refusés",
    "reason_malformed": "réponse illisible",
    "reason_other": "échec de la lecture",
    "ago_minutes": "il y a {n} min",
    "ago_hours": "il y a {n} h",
    "ago_days": "il y a {n} j",
    "in_minutes": "dans {n} min",
    "in_hours": "dans {n} h",
    "just_now": "à l’instant",
    # the terminal console
    "console_intro": (
        "Vigie, en console. Essayez /start et /help ; tapez un numéro pour appuyer sur un bouton ; "
        "« > texte » répond au dernier message de Vigie (> /post … pour répondre à un post X qu’il montre) ; "
        "Ctrl-D pour quitter."
    ),
    "console_no_button": "(pas de bouton {number} dans le dernier message à boutons)",
    "console_buttons_gone": "(le dernier message à boutons n’en a plus : Vigie les a retirés, il n’y a plus rien à appuyer)",
    "console_demo_chart": "Graphique : {path}",
    "console_demo_no_watch": "(la veille d’exemple a été supprimée : pas de crise à rejouer)",
}

EN: dict[str, str] = {
    "welcome": "Hello {name} 👋 I am <b>Vigie</b>, your X and news watch.",
    "welcome_watch": "• I <b>watch</b> trends, your brands, your names and your sector’s sources.",
    "welcome_watch_feeds": "• I <b>watch</b> your sector’s news feeds (watching X is not configured: X_BEARER_TOKEN).",
    "welcome_brief": "• I <b>brief</b> you every morning, in one minute of reading.",
    "welcome_alert": "• I <b>alert</b> you in real time on the watches you choose (/alert).",
    "welcome_post_owner": "• I <b>post</b> for you on X: preview, confirmation, then a delay to cancel (/post).",
    "welcome_post_delegate": "• You <b>draft</b> X posts that an owner approves before they go out (/post).",
    "welcome_settings": "Your settings: {summary}\nChange them with /settings; /help lists the commands.",
    "welcome_role": "You joined the team as <b>{role}</b>.",
    "stranger": (
        "Hello! Vigie is by invitation only. Ask the person who runs Vigie in your company for an invitation link."
    ),
    "invite_invalid": "This invitation link is no longer valid (already used or expired). Ask for a new one.",
    "invite_already_member": "You are already on the team ({role}): this link changed nothing.",
    "help_title": "<b>Vigie commands</b>",
    "help_role": "Your role: <b>{role}</b>.",
    "help_line": "/{name} — {description} (e.g. {example})",
    "help_more": "A command in detail: <code>/help watch</code>, <code>/help settings</code>…",
    "help_unknown": "I do not know the command “{value}”.",
    "help_command_title": "<b>/{name}</b> — {description}",
    "help_example_start": "<code>/start</code>",
    "help_example_help": "<code>/help watch</code>",
    "help_example_briefing": "<code>/briefing</code>",
    "help_example_settings": "<code>/settings time 7:30</code>",
    "help_example_watch": "<code>/watch add Fnac Fnac OR @Fnac -job</code>",
    "help_example_feed": "<code>/feed add https://feeds.bbci.co.uk/news/business/rss.xml</code>",
    "help_example_trends": "<code>/trends London</code>",
    "help_example_alert": "<code>/alert Fnac min:50</code>",
    "help_example_alerts": "<code>/alerts</code>",
    "help_example_post": "<code>/post Our stores stay open on Sunday.</code>",
    "help_example_guardrails": "<code>/guardrails add strike</code>",
    "help_example_follow": "<code>/follow @Fnac</code>",
    "help_example_unfollow": "<code>/unfollow @Fnac</code>",
    "help_example_journal": "<code>/journal 50</code>",
    "help_example_team": "<code>/team add reader 123456789</code>",
    "help_example_status": "<code>/status</code>",
    "help_start": (
        "<code>/start</code>: Vigie’s introduction and your settings. Opened from an invitation link, "
        "it brings you into the team."
    ),
    "help_help": (
        "<code>/help</code>: the commands of your role, each with an example.\n"
        "<code>/help COMMAND</code>: a command in detail, for example <code>/help feed</code>."
    ),
    "help_briefing": (
        "<code>/briefing</code>: the briefing right now, with what came since the last one. "
        "It also comes by itself on the days you chose, at your time (<code>/settings time 7:30</code>, "
        "<code>/settings days mon-fri</code>).\n"
        "Under the briefing: ➕ N tells story N in detail, 🔕 leaves a watch out of your briefings."
    ),
    "help_trends": (
        "<code>/trends</code>: X trends in France.\n"
        "<code>/trends Paris</code>, <code>/trends London</code>, <code>/trends New York</code>: another place’s "
        "(or its WOEID, for example <code>/trends 615702</code>).\n"
        "⭐ marks those about your watches."
    ),
    "help_alerts": (
        "<code>/alerts</code>: your real-time alerts, each with a button to stop it.\n"
        "<code>/alert Fnac</code> creates one, <code>/alert off Fnac</code> stops it."
    ),
    "help_post": (
        "<code>/post TEXT</code>: a post on X, shown as a preview before it goes. "
        "<code>/post</code> alone: the text is asked next.\n"
        "In reply to an alert or a briefing, <code>/post</code> offers to reply to one of its X posts or to quote it.\n"
        "An owner publishes (with a delay to undo it), a delegate sends the draft to the owners."
    ),
    "help_journal": (
        "<code>/journal</code>: the latest 20 actions on X (drafts, approvals, posts, follows), "
        "<code>/journal 50</code> to see more (100 at most)."
    ),
    "help_status": "<code>/status</code>: how Vigie is doing: processes, sending queues, failing feeds, X spend, Redis.",
    "cmd_start": "Introduction and first settings",
    "cmd_help": "The available commands",
    "cmd_settings": "Language, time zone, briefing time and days",
    "cmd_team": "The team: delegates, readers, invitations",
    "cmd_status": "How Vigie is doing: sending, sources, X, processes",
    "status_title": "<b>Vigie status</b>",
    "status_processes": "Processes: {processes} · receiving messages: {polling} · worker seen {beat}",
    "status_yes": "on",
    "status_no": "nobody",
    "status_never": "never",
    "status_queues": "Waiting: {depth}{oldest}",
    "status_crisis": "crises {n}",
    "status_approval": "approvals {n}",
    "status_briefing": "briefings {n}",
    "status_alert": "alerts {n}",
    "status_oldest": " (oldest: {when})",
    "status_today": "Today: {sent} sent · {resent} sent again after a stop · {retried} retries · {failed} failed · {too_many} 429 refusals · {dropped} dropped (bot blocked)",
    "status_feeds": "Feeds: {total}, {failing} failing",
    "status_items": "New today: {sources}",
    "status_items_more": " and {n} more sources",
    "status_items_none": "New today: nothing yet",
    "status_feed_failing": " • {host}: {error} ({failures} times), next try {next}, last success {last_ok}",
    "status_feed_paused": " • {host}: paused after {failures} failures ({error}), last success {last_ok}",
    "status_x": (
        "X: today {today} reads and {today_acts} actions (${today_usd}), "
        "this month {month} reads and {month_acts} actions (${month_usd}); actions: posts, deletions, follows and unfollows"
    ),
    "status_x_quotas": " · requests left: {quotas}",
    "status_x_quota": "{endpoint} {left} (reset {reset})",
    "status_x_limited": " · rate limited by X: {endpoints}",
    "status_redis": "Redis: {memory} in memory · {persistence} · last saved {saved}",
    "status_aof": "AOF log",
    "status_rdb": "RDB snapshots only",
    # console
    "console_edited": "✎ (message edited)",
    "console_too_long": "⚠️ This message is over Telegram’s limit ({length} characters, {limit} at most): Telegram would refuse it.",
    "console_waiting": "⏳ End of input: waiting for the confirmed posts ({n}) to go out on X, at most {seconds} s (Ctrl-C to quit without waiting).",
    "console_left_pending": "The console stops before the confirmed posts ({n}) are sent: they will go out the next time the console starts.",
    "role_owner": "owner",
    "role_delegate": "delegate",
    "role_reader": "reader",
    "settings_title": "<b>Settings</b>\n{summary}",
    "settings_summary": "Language: {language} · Time zone: {timezone} · Briefing: {time}, {days} · Alerts: at most one every {every} min, {quiet}",
    "settings_quiet": "quiet hours {hours}",
    "settings_no_quiet": "no quiet hours",
    "settings_language": "Language",
    "settings_timezone": "Time zone",
    "settings_time": "Briefing time",
    "settings_days": "Briefing days",
    "settings_open": "⚙️ Settings",
    "settings_done": "✔️ Done",
    "settings_back": "‹ Back",
    "settings_pick_language": "Choose Vigie’s language:",
    "settings_pick_timezone": (
        "Choose your time zone (now: {timezone}).\n"
        "Another one? Type a city or a time zone, for example <code>/settings timezone Sydney</code> "
        "or <code>/settings timezone America/Toronto</code>."
    ),
    "settings_pick_hour": (
        "At what time do you want your briefing? (now: {time})\n"
        "Another time, to the minute: type it, for example <code>/settings time 18:10</code>."
    ),
    "settings_pick_minute": "Briefing at {hour}:",
    "settings_pick_days": (
        "The days you get the briefing (or type them: <code>/settings days mon,wed,fri</code>, "
        "<code>/settings days mon-fri</code>):"
    ),
    "settings_weekdays": "Weekdays",
    "settings_everyday": "Every day",
    "settings_saved": "Saved ✅",
    "settings_bad_timezone": (
        "Unknown time zone: {value}. Type a city or a time zone, for example "
        "<code>/settings timezone London</code> or <code>/settings timezone Europe/London</code>."
    ),
    "settings_bad_time": "Invalid time: {value}. Example: <code>/settings time 07:30</code>.",
    "settings_bad_days": (
        "Days not understood: {value}. Examples: <code>/settings days mon,wed,fri</code>, "
        "<code>/settings days mon-fri</code>, <code>/settings days weekdays</code>, <code>/settings days every day</code>."
    ),
    "settings_typed": "Everything can be typed too, for example <code>/settings time 18:10</code>: <code>/help settings</code>.",
    "settings_usage": (
        "Use the buttons of /settings, or type:\n"
        "<code>/settings language fr</code> (français) or <code>en</code>\n"
        "<code>/settings timezone New York</code> (a city, or a time zone: <code>/settings timezone Europe/London</code>)\n"
        "<code>/settings time 07:30</code> (any time: <code>18:10</code>, <code>6pm</code>)\n"
        "<code>/settings days mon,wed,fri</code> (or <code>mon-fri</code>, <code>weekdays</code>, <code>every day</code>)\n"
        "<code>/settings quiet 22:00-07:00</code> (alerts' quiet hours; <code>/settings quiet off</code> for none)\n"
        "<code>/settings alerts 10</code> (at most one alert per watch every 10 minutes, 1 to 240)"
    ),
    "settings_need_timezone": (
        "Which time zone? For example <code>/settings timezone Europe/London</code>, or pick it in /settings."
    ),
    "settings_need_time": "At what time do you want the briefing? For example <code>/settings time 07:30</code>.",
    "settings_need_days": (
        "On which days do you want the briefing? For example <code>/settings days mon,wed,fri</code>, "
        "<code>mon-fri</code> or <code>every day</code>."
    ),
    "settings_need_quiet": (
        "Which quiet hours? For example <code>/settings quiet 22:00-07:00</code>, or <code>/settings quiet off</code> for none."
    ),
    "settings_need_every": (
        "At most one alert per watch every how many minutes? For example <code>/settings alerts 10</code> (1 to 240)."
    ),
    "settings_need_cooling": (
        "Which delay before posting? For example <code>/settings cooling 90s</code>, <code>/settings cooling 2min</code> "
        "or <code>/settings cooling default</code> (0 to 10 minutes)."
    ),
    "settings_need_language": (
        "Which language? <code>/settings language en</code> (English) or <code>/settings language fr</code> (French)."
    ),
    "settings_bad_quiet": "Invalid quiet hours: {value}. Example: <code>/settings quiet 22:00-07:00</code>, or <code>/settings quiet off</code>.",
    "settings_bad_every": "Invalid interval: {value}. Example: <code>/settings alerts 10</code> (minutes, 1 to 240).",
    # cooling-off and guardrails
    "settings_cooling": "⏳ Delay before posting",
    "settings_cooling_summary": " · Delay before posting: {cooling}",
    "settings_cooling_default": "{duration} (default)",
    "settings_pick_cooling": (
        "<b>Delay before posting</b>: after ✅ Publish (or your approval of a draft), the post waits this long "
        "with an ↩️ Undo button before it goes to X. Now: {current}.\n"
        "Another length, 0 to 10 min: <code>/settings cooling 90s</code>."
    ),
    "settings_usage_cooling": (
        "\n<code>/settings cooling 2min</code> (the delay before your posts go out, 0 to 10 minutes; "
        "<code>/settings cooling default</code> for Vigie’s)"
    ),
    "settings_bad_cooling": (
        "Delay not understood: {value}. Examples: <code>/settings cooling 90s</code>, "
        "<code>/settings cooling 2min</code>, <code>/settings cooling 0</code>, <code>/settings cooling default</code>."
    ),
    "settings_cooling_unit": (
        "{value} seconds or {value} minutes? Say the unit: <code>/settings cooling {value}s</code> "
        "or <code>/settings cooling {value}min</code>."
    ),
    "settings_cooling_range": (
        "Delay out of range: {value}. The delay before posting is 0 to 10 minutes. "
        "Example: <code>/settings cooling 5min</code>."
    ),
    "cmd_guardrails": "Sensitive subjects flagged before posting",
    "guardrails_title": "<b>Posting guardrails</b>",
    "guardrails_intro": (
        "Before a post goes to X, Vigie flags these words and phrases (whole words, whatever the case "
        "and accents) and asks you to confirm: nothing is blocked."
    ),
    "guardrails_group_politics": "Politics",
    "guardrails_group_religion": "Religion",
    "guardrails_group_personal": "Personal life",
    "guardrails_group_polemic": "Polemic",
    "guardrails_group_added": "Added by the team",
    "guardrails_line": "<b>{group}</b>: {subjects}",
    "guardrails_none": "No subject: Vigie flags no sensitive subject any more.",
    "guardrails_removed_defaults": "Removed from the default list: {subjects}",
    "guardrails_view_only": "Only owners change this list.",
    "guardrails_usage": (
        "Change the list (owners):\n"
        "<code>/guardrails add strike</code>: add a word, or a phrase of at most 4 words "
        "(<code>/guardrails add private life</code>); several, separated by commas\n"
        "<code>/guardrails rm holidays</code>: remove\n"
        "<code>/guardrails reset</code>: back to the default list\n"
        "In French too: <code>ajouter</code>, <code>retirer</code>, <code>défaut</code>."
    ),
    "guardrails_unknown": "I do not know “{value}” for /guardrails.",
    "guardrails_empty": "The word or phrase is missing.",
    "guardrails_no_word": "“{value}” has no word in it.",
    "guardrails_too_many_words": "“{value}” has too many words: 4 at most, for a precise phrase.",
    "guardrails_too_long": "“{value}” is too long: 40 characters at most.",
    "guardrails_full": "The list is full ({value} subjects at most): remove some first.",
    "guardrails_added": "✅ Added: {subjects}. The next /post previews take it into account.",
    "guardrails_already": "Already in the list: {subjects}.",
    "guardrails_removed": "🗑 Removed: {subjects}.",
    "guardrails_not_there": "Not in the list: {subjects}. <code>/guardrails</code> shows it.",
    "guardrails_reset_ask": "<b>Back to the default list?</b>",
    "guardrails_reset_drops": "Added by the team, these will be removed: {subjects}",
    "guardrails_reset_brings": "Removed from the default list, these will come back: {subjects}",
    "guardrails_reset_already": "The list is the default one already: nothing to restore.",
    "guardrails_reset_button": "♻️ Restore the default list",
    "guardrails_reset_done": "♻️ The default list is back. <code>/guardrails</code> shows it.",
    "guardrails_reset_stale": (
        "The list changed since this question: nothing was restored. "
        "Type <code>/guardrails reset</code> to see it and confirm again."
    ),
    "days_every": "every day",
    "days_weekdays": "Monday to Friday",
    "days_none": "no day (briefing paused)",
    "day_names": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    "language_name": "English",
    "team_title": "<b>The team</b>",
    "team_owners": "Owners: {names}",
    "team_delegates": "Delegates: {names}",
    "team_readers": "Readers: {names}",
    "team_nobody": "nobody",
    "team_help": (
        "Add someone: forward me one of their messages, or type "
        "<code>/team add delegate 123456789</code> (or <code>reader</code>), or create an invitation link. "
        "Remove: <code>/team rm 123456789</code> or the buttons below."
    ),
    "team_invite_delegate": "🔗 Delegate invitation",
    "team_invite_reader": "🔗 Reader invitation",
    "team_remove": "Remove {name}",
    "team_remove_ask": (
        "Remove <b>{name}</b> ({role}) from the team? {name} will get no more briefings or alerts and "
        "will no longer be able to use Vigie; the watches and feeds stay. {name} will be told."
    ),
    "team_remove_confirm": "🗑 Remove",
    "team_removed_notice": "You are no longer on the Vigie team: you will get no more briefings or alerts.",
    "team_invite_link": (
        "<b>{role}</b> invitation link, single use, valid for 7 days:\n{link}\nSend it to the person concerned."
    ),
    "team_granted": "{name} is now <b>{role}</b>.",
    "team_already": "{name} is already <b>{role}</b>.",
    "team_revoked": "{name} is no longer on the team.",
    "team_not_member": "{name} is not on the team.",
    "team_owner_fixed": "{name} is an owner (VIGIE_OWNER_IDS setting): that role is not changed here.",
    "team_bad_id": "“{value}” is not a Telegram user id (a number, for example 123456789).",
    "team_bad_role": (
        "Unknown role: “{value}”. Choose delegate or reader, for example <code>/team add delegate 123456789</code>."
    ),
    "team_usage": (
        "Usage: <code>/team</code> (the team), <code>/team add delegate|reader ID</code>, "
        "<code>/team rm ID</code>. For example <code>/team add reader 123456789</code>."
    ),
    "team_forward_who": "Message forwarded from {name} (id {user_id}). Which role should they get?",
    "team_forward_hidden": (
        "{name} hides their account in forwarded messages: I cannot see their id. "
        "Create an invitation link with /team instead."
    ),
    "team_make_delegate": "Delegate",
    "team_make_reader": "Reader",
    "team_cancel": "Cancel",
    "team_cancelled": "Nothing was changed.",
    "team_welcome_notice": "You were added to the Vigie team as <b>{role}</b>. Type /start to begin.",
    "owner_only": "This action is for owners only.",
    "unknown_command": "Unknown command: {command}. Type /help to see the commands.",
    "text_not_understood": "I only understand commands. Type /help to see them.",
    "button_expired": "This button is no longer valid.",
    "error": "Sorry, something went wrong on my side. Please try again in a moment.",
    "back_soon": (
        "A technical incident is slowing me down: I will be back in a moment. "
        "Your message is kept and I will answer as soon as I can."
    ),
    "cmd_watch": "Watches: subjects, brands, people you follow",
    "cmd_feed": "Your sector’s RSS/Atom feeds",
    "cmd_trends": "X trends for a place (France by default)",
    "cmd_alert": "Real-time alerts on a watch, with filters",
    "cmd_alerts": "Your alerts, to stop one",
    "alert_usage": (
        "Usage: <code>/alert WATCH [min:50] [sources:x|news] [verified] [lang:fr]</code>\n"
        "E.g. <code>/alert Fnac min:50 sources:x</code>: every new post on X with at least 50 engagements "
        "(min and verified apply to X only; a news article passes them).\n"
        "<code>/alert off Fnac</code> to stop it, <code>/alerts</code> for the list."
    ),
    "alert_bad_filter": "Unknown filter: “{value}”. Filters: min:50, sources:x, sources:news, verified, lang:fr.",
    "alert_started": "🔔 Alert on for <b>{watch}</b> ({filters}): at most one message every {every} minutes, the rest counted in it.",
    "alert_started_quiet": (
        "🔔 Alert on for <b>{watch}</b> ({filters}): at most one message every {every} minutes, the rest counted in it. "
        "During your quiet hours ({quiet}) they wait: if your briefing falls in them or at most 2 hours after, they come with it (and so do those until then), otherwise together when the quiet hours end. Crisis alerts always come through."
    ),
    "alert_stopped": "🔕 Alert stopped for <b>{watch}</b>.",
    "alert_none": "You had no alert on <b>{watch}</b>.",
    "alert_filter_min": "≥ {n} engagements on X",
    "alert_filter_x": "X only",
    "alert_filter_news": "news only",
    "alert_filter_verified": "verified X accounts",
    "alert_filter_language": "in {language}",
    "alert_filter_none": "no filter",
    "cell_on": "🚨 Crisis alerts on <b>{watch}</b> will also come to this group. Only members of the Vigie team can use their buttons. <code>/alert off {watch} here</code> to stop.",
    "cell_off": "Crisis alerts on <b>{watch}</b> will no longer come to this group.",
    "cell_usage": "In a group: <code>/alert WATCH here</code> to get its crisis alerts there (owners).",
    "cell_private": "<code>/alert WATCH here</code> is typed in a group Vigie was added to: its crisis alerts will come there too.",
    "alerts_empty": "No alerts. <code>/alert Fnac</code> creates one.",
    "alerts_title": "<b>Your alerts</b>",
    "alerts_line": "• <b>{watch}</b>: {filters}",
    "alert_stop_button": "🔕 Stop {watch}",
    "watch_usage": (
        "<code>/watch</code>: the list · <code>/watch NAME</code>: the latest items\n"
        "<code>/watch add NAME QUERY</code>, for example "
        "<code>/watch add Fnac Fnac OR @Fnac OR #Fnac -emploi lang:fr</code>\n"
        "<code>/watch rm NAME</code> · <code>/watch follow NAME</code> · <code>/watch unfollow NAME</code>\n"
        "<code>/watch drops NAME on</code>: alert an unusual drop in mentions too"
    ),
    "watch_list_title": "<b>Watches</b> (volume over 24 h)",
    "watch_list_line": "• <b>{name}</b> — {query} — {volume} in 24 h{followed}",
    "watch_followed_mark": " · followed ✓",
    "watch_muted_mark": " · 🔕 left out of your briefings",
    "watch_unmute": "🔔 Put {name} back in the briefing",
    "watch_list_empty": "No watch yet. Create one: <code>/watch add Fnac Fnac OR @Fnac lang:fr</code>",
    "watch_list_add": (
        "Add a watch: <code>/watch add NAME QUERY</code>, for example "
        "<code>/watch add Darty Darty OR @Darty -job</code>. <code>/help watch</code> for the details."
    ),
    "watch_created": "Watch <b>{name}</b> created: {query}\nYou follow it.",
    "watch_first_no_x": "X is not configured (X_BEARER_TOKEN): it collects the feed articles that match it, pass after pass.",
    "watch_first_postponed": "X could not be searched just now ({reason}): the first search will come with the next pass.",
    "watch_first_limited": "X is limiting requests for now: the first search will come with the next pass.",
    "watch_first_none": "On X, no post matched in the last 7 days; new ones will come pass after pass (X is searched every {every}).",
    "watch_first_one": "On X, 1 post matched {span}:",
    "watch_first_many": "On X, {count} posts matched {span}. Most engaging:",
    "watch_first_post": '• <b>@{author}</b>: “{text}” — <a href="{url}">see the post</a> ({likes} ♥, {reposts} 🔁)',
    "span_hour": "in the last hour",
    "span_hours": "in the last {n} hours",
    "span_days": "in the last {n} days",
    "watch_x_rejected_and": (
        "X refuses this query: “and” is ambiguous to X. To require two terms, separate them with a space "
        '(<code>Fnac Darty</code>); to search for the word “and”, put it in quotes (<code>"and"</code>). '
        "Nothing was created."
    ),
    "watch_x_rejected": "X refuses this query: “{words}”. Nothing was created: correct it and try again.",
    "watch_exists": "A watch “{value}” exists already: <code>/watch {value}</code> to see it.",
    "watch_bad_name": (
        "Invalid watch name: “{value}” (40 characters at most: letters of any script, digits, spaces, "
        "punctuation, symbols or emoji, no invisible character)."
    ),
    "watch_unknown": "No watch named “{value}”. <code>/watch</code> lists them.",
    "watch_which": "Which watch? For example <code>/watch {action} Fnac</code>; <code>/watch</code> lists them.",
    "watch_which_drops": (
        "Which watch? For example <code>/watch drops Fnac on</code> (or <code>off</code>): "
        "alert an unusual drop in its mentions too."
    ),
    "watch_rm_confirm": "Delete the watch <b>{name}</b> and what it collected?",
    "watch_rm_followers": "• Its {n} followers will no longer get it, in their briefing or as alerts.",
    "watch_rm_followers_one": "• Its follower will no longer get it, in their briefing or as alerts.",
    "watch_rm_feeds_gone": "• These feeds, which serve it only, will be removed: {titles}.",
    "watch_rm_feeds_kept": "• These feeds stay, for other watches or the news: {titles}.",
    "watch_rm_yes": "Delete",
    "watch_removed": "Watch <b>{name}</b> deleted.",
    "watch_followed": "You now follow <b>{name}</b>.",
    "watch_unfollowed": "You no longer follow <b>{name}</b>.",
    "watch_follow": "Follow {name}",
    "watch_unfollow": "Unfollow {name}",
    "watch_show": "Show {name}",
    "watch_items_title": "<b>{name}</b> — {query}",
    "watch_items_empty": "Nothing collected yet.",
    "watch_items_order": "Newest first:",
    "watch_item_line": "{headline} — {sources}, {when}",
    "watch_item_more": " and {n} other sources",
    "watch_item_more_one": " and 1 other source",
    "delegate_only": "This action is for owners and delegates only.",
    "query_empty": "The query is empty. Example: <code>Fnac OR @Fnac -emploi lang:fr</code>.",
    "query_empty_phrase": "A quoted phrase is empty.",
    "query_bad_handle": "Invalid account: “{value}” (1 to 15 letters, digits or _).",
    "query_bad_term": "Invalid term: “{value}”.",
    "query_unsupported": 'Unsupported term: “{value}”. Use words, "phrases", @accounts, #hashtags, $cashtags, from:account, -exclusions, (groups), lang:en and OR.',
    "query_dangling_or": "OR must join two terms, for example <code>Fnac OR Darty</code>.",
    "query_bad_language": "Invalid language: “{value}” (two letters, for example lang:en).",
    "query_only_exclusions": "At least one term must be searched for, not only exclusions.",
    "query_too_long": "The query is too long for X ({value} characters, 512 at most).",
    "query_unclosed_quote": (
        'A quote is not closed in “{value}”: close the phrase (<code>"Fnac Darty"</code>) or remove the quote.'
    ),
    "query_unclosed_paren": "A parenthesis is not closed in “{value}”. Example: <code>(Fnac OR Darty) -promo</code>.",
    "query_unopened_paren": "A closing parenthesis has no opening one in “{value}”. Example: <code>(Fnac OR Darty) -promo</code>.",
    "query_empty_group": "Empty parentheses: put at least one term in them, for example <code>(Fnac OR Darty)</code>.",
    "query_lone_minus": "A lone “-”: stick it to what it excludes, for example <code>-job</code> or <code>-(promo OR sale)</code>.",
    "query_lang_where": (
        "{value} applies to the whole query: put it outside parentheses, with no OR or “-”, "
        "for example <code>(Fnac OR Darty) lang:en</code>."
    ),
    "query_two_languages": "One language per query: {value}.",
    "watch_query_syntax": (
        'In the query: words (all required), <code>"exact phrases"</code>, @accounts, #hashtags, $cashtags, '
        "<code>from:account</code> (its posts); <code>OR</code> between two terms (either one); <code>-term</code> "
        "to exclude; parentheses to group: <code>(Fnac OR Darty) -promo</code>; <code>lang:en</code> for a language. "
        "<code>Fnac OR @Fnac -job</code> reads <code>(Fnac OR @Fnac) -job</code>. The query is shown as typed."
    ),
    "cmd_briefing": "The briefing now (since the last one)",
    "brief_title": "<b>☀️ Your briefing</b> — {date}",
    "brief_since": "Since {date} at {time}.",
    "brief_crisis_ongoing": "🚨 <b>Crisis under way: {watch}</b>, mentions spiking since {date} at {time}, {ratio}x the usual.",
    "brief_crisis_over": "🚨 <b>{watch}</b>: mentions spiked {date} at {time}, {ratio}x the usual, back to normal since.",
    "brief_late": "⏰ {minutes} min late: Vigie was unavailable at the planned time.",
    "brief_watch": "<b>{name}</b> — {count} mentions{ratio}",
    "brief_watch_one": "<b>{name}</b> — {count} mention{ratio}",
    "brief_ratio": ", {ratio}× the usual",
    "crisis_title_raised": "🚨 <b>Mentions spike: {watch}</b>",
    "crisis_title_worse": "🚨 <b>The crisis is escalating: {watch}</b>",
    "crisis_title_ongoing": "🚨 <b>Mentions spike: {watch}</b> (ongoing)",
    "crisis_title_over": "✅ <b>Back to normal: {watch}</b>",
    "crisis_updated": "Updated at {time}, every 30 minutes while it lasts.",
    "crisis_terms": "New in the conversation: {terms}",
    "crisis_follow_button": "📈 Follow the evolution",
    "crisis_unfollow_button": "✓ Following (stop)",
    "crisis_following": "This message will be updated every 30 minutes while it lasts, and once more when it is back to normal.",
    "crisis_not_following": "You no longer follow this message’s evolution.",
    "crisis_over_already": "This episode is over: there is no evolution left to follow.",
    "topic_title": "🔔 <b>{watch}</b>: {n} new items",
    "topic_title_one": "🔔 <b>{watch}</b>: 1 new item",
    "topic_line": "• {time} {who}: {item}",
    "topic_on_x": "{author} (@{handle}, X)",
    "topic_outlet": "{outlet}",
    "topic_more": "… and {n} more.",
    "topic_more_one": "… and 1 more.",
    "crisis_rate_weeks": "{count} mentions in {minutes} minutes since {time}, {ratio}x the usual for a {day} at that time.",
    "crisis_rate_days": "{count} mentions in {minutes} minutes since {time}, {ratio}x the usual at that time in recent days.",
    "crisis_drivers": "What drives it:",
    "drop_title_raised": "📉 <b>Unusually few mentions: {watch}</b>",
    "drop_title_ongoing": "📉 <b>Unusually few mentions: {watch}</b> (ongoing)",
    "drop_rate_weeks": "{count} mentions in {minutes} minutes since {time}, against {usual} usually for a {day} at that time.",
    "drop_rate_days": "{count} mentions in {minutes} minutes since {time}, against {usual} usually at that time in recent days.",
    "drop_check": "A drop can also come from a failing source: an owner can check with /status.",
    "watch_drops_on": "📉 <b>{name}</b>: an unusual drop in mentions will be alerted too, to those who follow the watch.",
    "watch_drops_off": "<b>{name}</b>: drops in mentions are no longer alerted, spikes only.",
    "watch_drops_usage": "To alert unusual drops too: <code>/watch drops {name} on</code> (or <code>off</code>).",
    "crisis_share": "Of the hour’s latest {read} items: X {x}%, news {news}%.",
    "crisis_pause_button": "⏸ Pause posting",
    "crisis_draft_button": "✍️ Draft an answer",
    "chart_title": "{watch} — mentions over {hours} h",
    "chart_mentions": "Mentions",
    "chart_usual": "Usual",
    "chart_band": "Normal range",
    "chart_alert": "Alert",
    "chart_per_quarter": "Mentions per 15 min",
    "chart_per_hour": "Mentions per hour",
    "chart_per_minutes": "Mentions per {minutes} min",
    "chart_days": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    "posting_paused": "⏸ Posting paused: until an owner resumes it, Vigie will post nothing to X.",
    "posting_already_paused": "⏸ Posting is already {held}.",
    "posting_resume_button": "▶️ Resume posting",
    "posting_resumed": "▶️ Posting resumed.",
    "posting_not_paused": "Posting was not paused.",
    "posting_hold": "paused by {name} {when}",
    "posting_hold_crisis": " (crisis: {watch})",
    "status_posting_open": "Posting: allowed",
    "status_posting_held": "Posting: ⏸ {held}",
    # posting
    "cmd_post": "Post on X (preview, confirmation, Undo)",
    # the journal (/journal)
    "cmd_journal": "The journal of actions on X: drafts, approvals, posts, follows",
    "journal_title": "<b>Journal of actions on X</b> (the latest {n}, newest first)",
    "journal_title_one": "<b>Journal of actions on X</b> (the latest)",
    "journal_empty": "The journal is empty: no draft, post or follow yet. /post to write a post.",
    "journal_line": "{icon} {when} · <b>{who}</b> · {act} · {what}",
    "journal_quoted": "“{text}”",
    "journal_cost": "${usd}",
    "journal_pending": "request sent (protected account)",
    "journal_why": "{why}{reason}",
    "journal_why_no_account": "no X account configured",
    "journal_why_budget": "over the X budget",
    "journal_why_duplicate": "refused by X as a duplicate",
    "journal_why_refused": "refused by X",
    "journal_why_unreachable": "X unreachable",
    "journal_why_unlisted": "maybe posted (X says it has it, without showing it)",
    "journal_usage": "Usage: <code>/journal</code> (the latest 20 actions) or <code>/journal 50</code> (up to {max}).",
    "journal_drafted": "draft",
    "journal_submitted": "sent for approval",
    "journal_approved": "approved",
    "journal_rejected": "rejected",
    "journal_cancelled": "cancelled",
    "journal_expired": "expired",
    "journal_undone": "undone in time",
    "journal_posted": "posted",
    "journal_failed": "not posted",
    "journal_deleted": "deleted from X",
    "journal_followed": "followed",
    "journal_unfollowed": "unfollowed",
    "post_ask_text": "✍️ Send the text of the post in your next message.",
    "post_ask_edit": "✏️ Send the new text in your next message.",
    "post_private_only": "Posts are prepared in a private chat with Vigie.",
    "post_no_account": (
        "Posting needs Vigie’s X account (X_USER_ACCESS_TOKEN, or the four OAuth 1.0a settings), "
        "which is not configured: nothing can be posted for now."
    ),
    "post_preview_title": "<b>Preview of your post on X</b>",
    "post_length": "{n}/280 characters as X counts them.",
    "post_too_long": "⛔ Too long: {n}/280 characters as X counts them, {over} too many (struck through).",
    "post_thread_length": "🧵 A thread of {n} posts.",
    "post_replying": "↩️ Replying to {url}",
    "post_quoting": "🔁 Quoting {url}",
    "post_targets": "↩️ You can also reply to an X post of that message, or quote it (buttons below).",
    "post_reply_button": "↩️ Reply to {who}",
    "post_quote_button": "🔁 Quote {who}",
    "post_target_post": "post {n}",
    "post_ask_answer": (
        "✍️ Send the text of your answer as your next message. You can then reply to a post of the alert, or quote it."
    ),
    "caution_subject": "⚠️ Sensitive subject: {detail}.",
    "caution_duplicate": "⚠️ This repeats a recent post: X refuses duplicates.",
    "caution_link": "⚠️ Contains a link: X charges $0.20 instead of $0.015.",
    "caution_crisis": "⚠️ A crisis is under way on {detail}, and this post mentions it.",
    "caution_paused": "⚠️ Posting is paused by {detail}: the post will wait until it resumes.",
    "post_sure": "<b>Post despite these warnings?</b>",
    "post_publish_button": "✅ Publish",
    "post_submit_button": "📤 Send for approval",
    "post_sure_button": "✅ Yes, publish anyway",
    "post_thread_button": "🧵 Post as a thread of {n}",
    "post_edit_button": "✏️ Edit",
    "post_cancel_button": "✖️ Cancel",
    "post_undo_button": "↩️ Undo",
    "post_delete_button": "🗑 Delete from X",
    "post_countdown": "⏳ Publishing in {seconds} s. You can still undo it.",
    "post_held": "⏸ Waiting: posting is paused by {name}. The post goes when it resumes.",
    "post_sent": "✅ Posted on X:\n{links}",
    "post_sent_author": "✅ Your post is on X (approved by {name}):\n{links}",
    "post_failed": "❌ Not posted: {reason}",
    "post_partly_sent": "⚠️ Partly posted on X:\n{links}\nThe rest did not go: {reason}",
    "post_failed_no_account": "no X account is set up for posting (X_USER_ACCESS_TOKEN).",
    "post_failed_budget": "this month's X budget would be passed (${spent} spent + ${cost} for this post, budget ${budget}).",
    "post_failed_duplicate": "X refuses this text as a duplicate of a post already on X.",
    "post_failed_refused": "X refused it ({reason}).",
    "post_failed_unreachable": "X did not answer after several tries. Try again later.",
    "post_failed_unlisted": (
        "X says it already has this text but does not show it among the account's posts: "
        "check the account on X before posting it again."
    ),
    "post_cancelled": "✖️ Draft cancelled: nothing was posted.",
    "post_undone": "↩️ Undone: nothing was sent to X.",
    "post_too_late": "Too late: the post is on X already. You can delete it.",
    "post_deleted": "🗑 Post deleted from X.",
    "post_delete_failed": "Deleting failed: {reason}",
    "post_gone": "This draft can no longer be changed ({state}).",
    "post_way_too_long": "This text has {n} characters: past {max}, even a thread would be unreadable. Shorten it.",
    "post_not_yours": "This draft is not yours.",
    "post_submitted": "📤 Sent to the owners for approval. I will tell you their decision.",
    "draft_approval_title": "📝 <b>Draft by {author} to approve</b>",
    "draft_approve_button": "✅ Approve",
    "draft_reject_button": "❌ Reject",
    "draft_own": "You cannot approve your own draft.",
    "draft_approved_author": "✅ {name} approved your draft: publishing in {seconds} s.",
    "draft_approved_other": "✅ Approved by {name}.",
    "draft_reject_ask": "❌ Why reject it? Send the reason in your next message; {author} will get it.",
    "draft_rejected": "❌ Draft rejected. {author} got your reason.",
    "draft_rejected_author": "❌ {name} rejected your draft: {reason}",
    "draft_expired": "⌛ This draft expired after 24 h without a decision: nothing was posted.",
    "state_preview": "in preview",
    "state_approval": "waiting for approval",
    "state_cooling": "waiting to be published, Undo still possible",
    "state_sending": "being sent to X",
    "state_sent": "already posted",
    "state_failed": "failed",
    "state_deleted": "deleted from X",
    "state_cancelled": "cancelled",
    # following
    "cmd_follow": "Follow an account on X: its posts reach your briefing",
    "cmd_unfollow": "Stop following an account on X",
    "follow_usage": (
        "Usage: <code>/follow @account</code>, for example <code>/follow @Fnac</code>: Vigie follows it with its X account "
        "and its posts reach your briefing.\n"
        "<code>/follow</code> alone lists the accounts followed, <code>/unfollow @account</code> removes one."
    ),
    "follow_bad_handle": "“{value}” is not an X account: 1 to 15 letters, digits or _, with or without @.",
    "follow_private_only": "Followed accounts are managed in a private chat with Vigie.",
    "follow_card_title": "<b>Follow this account on X?</b>",
    "follow_card_verified": " · ✔️ verified account",
    "follow_card_followers": "👥 {n} followers{verified}",
    "follow_card_followers_one": "👥 {n} follower{verified}",
    "follow_card_protected": "🔒 Protected account: it must accept the request before its posts arrive.",
    "follow_card_then": "Vigie will follow it with its X account, and its posts will reach your briefing.",
    "follow_button": "✅ Follow",
    "follow_cancel_button": "✖️ Cancel",
    "follow_done": "✅ You now follow @{username} on X; its posts will reach your briefing.",
    "follow_pending": (
        "📨 Request sent to @{username}: this account is protected. Its posts will reach your briefing once it accepts."
    ),
    "follow_already": "Vigie already follows @{username} on X: its posts reach your briefing.",
    "follow_already_pending": "Vigie already asked to follow @{username} (protected account): its posts will come once it accepts.",
    "follow_expired": "This offer is no longer valid (an hour at most): type <code>/follow @account</code> again.",
    "follow_cancelled": "✖️ Cancelled: nothing was asked of X.",
    "unfollow_usage": "Usage: <code>/unfollow @account</code>, for example <code>/unfollow @Fnac</code>. <code>/follow</code> lists the accounts followed.",
    "unfollow_card_title": "<b>Stop following @{username} on X?</b>\nIts posts will no longer reach your briefing.",
    "unfollow_button": "Unfollow",
    "unfollow_list_button": "Unfollow @{username}",
    "unfollow_done": "You no longer follow @{username} on X; its posts will no longer reach your briefing.",
    "unfollow_unknown": "Vigie does not follow @{username}. <code>/follow</code> lists the accounts followed.",
    "unfollow_gone": "Vigie already stopped following this account.",
    "follow_list_title": "<b>Accounts followed on X</b> (their posts reach your briefing)",
    "follow_list_line": "• <b>{name}</b> @{username}{mark}",
    "follow_list_pending": " — 🔒 waiting for its approval",
    "follow_list_empty": "Vigie follows no account on X yet.",
    "follow_list_help": "<code>/follow @account</code> to follow one, <code>/unfollow @account</code> to stop.",
    "follow_error_no_account": (
        "Following an account needs Vigie’s X account (X_USER_ACCESS_TOKEN, or the four OAuth 1.0a settings), "
        "which is not set up."
    ),
    "follow_error_budget": "Refused: this month’s X budget would be passed (${spent} spent + ${cost} for {what}, budget ${budget}).",
    "follow_what_look_up": "looking this account up",
    "follow_what_follow": "this follow",
    "follow_what_unfollow": "this unfollow",
    "follow_error_rate_limited": "X limits these requests for now: try again in {wait}.",
    "follow_wait_minutes": "{n} min",
    "follow_wait_hours": "{n} h",
    "follow_error_not_found": "No X account is called @{username}. Check the spelling.",
    "follow_error_gone": "This account no longer exists on X.",
    "follow_error_suspended": "X suspended this account: it cannot be followed.",
    "follow_error_follow_limit": "X allows no more follows today (daily limit reached): try again tomorrow.",
    "follow_error_unauthorized": "X refuses the credentials of Vigie’s account for this: check X_USER_ACCESS_TOKEN and its <code>follows.write</code> permission.",
    "follow_error_refused": "X refused the request (error {status}).",
    "follow_error_failed": "X is not answering properly right now: try again in a few minutes.",
    "follow_brief_title": "<b>Accounts followed on X</b>",
    "follow_brief_more": "… and {n} more: <code>/follow</code>",
    "brief_quiet": "<b>{name}</b> — nothing new",
    "brief_story": "{n}. {headline} — {text} <i>({sources})</i>",
    "brief_headline": "{n}. {headline} <i>({sources})</i>",
    "brief_post": '{n}. “{text}” — <a href="{link}">@{author}</a>',
    "brief_news": "<b>News</b>",
    "brief_also": " · <i>also: {names}</i>",
    "brief_see": " · see {numbers}",
    "brief_watch_more": "… and {n} more: <code>/watch {name}</code>",
    "brief_watch_more_one": "… and {n} more: <code>/watch {name}</code>",
    "brief_news_more": "… and {n} more",
    "brief_news_more_one": "… and {n} more",
    "brief_trends": "<b>X trends — {place}</b>{age}: {names}",
    "brief_nothing": "Nothing new on your {n} watches.",
    "brief_nothing_one": "Nothing new on your watch.",
    "brief_nothing_watched": "Nothing new: you follow no watch (/watch lists them, to follow some).",
    "brief_next": "Next briefing: {date} at {time}.",
    "brief_next_none": "No briefing is planned: choose days with /settings.",
    "brief_more_button": "➕ {n}",
    "brief_mute_button": "🔕 {name}",
    "brief_more": "<b>{n}.</b> {text}",
    "brief_more_links": "To read further: {links}",
    "brief_more_others": "and {n} more",
    "brief_more_by": "✍️ {who}, {date} at {time}",
    "brief_more_who": "{name} (@{author})",
    "brief_muted": "<b>{name}</b> will no longer appear in your briefings (you keep its alerts). /watch shows it “left out of your briefings”, with a button to bring it back.",
    "brief_unmute_button": "↩️ Undo",
    "brief_unmuted": "<b>{name}</b> is in your briefings again.",
    "brief_expired": "This briefing is too old to be detailed.",
    "day_long": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "month_long": "January,February,March,April,May,June,July,August,September,October,November,December",
    "trends_title": "<b>X trends — {place}</b> ({when})",
    "trends_line": "{rank}. {name}{count}{watches}",
    "trends_count": " — {count} posts",
    "trends_watch_mark": " ⭐ {names}",
    "trends_empty": "X gives no trend for this place right now.",
    "trends_stale": "⚠️ X does not answer ({reason}): here are the last known trends.",
    "trends_unknown_place": "Unknown place: “{value}”. Try France, Paris, Lyon, Belgium, Switzerland, Canada, London, New York… or a WOEID.",
    "trends_no_x": "Trends need access to the X API (X_BEARER_TOKEN), which is not configured.",
    "feed_usage": (
        "<code>/feed</code>: the list and their health\n"
        "<code>/feed add URL</code> (general news) or <code>/feed add URL WATCH_NAME</code>, "
        "for example <code>/feed add https://www.lemonde.fr/rss/une.xml</code>\n"
        "<code>/feed rm NUMBER</code> (in the list of <code>/feed</code>) or <code>/feed rm URL</code>"
    ),
    "feed_added": "Feed added: <b>{title}</b> → {target}\nLatest article: {last}",
    "feed_tried": "No http:// or https:// in the address: I tried {url}",
    "feed_already": "This feed is here already: <b>{title}</b> → {targets}. Nothing changed.",
    "feed_attached": (
        "This feed was here already (<b>{title}</b> → {before}): it now feeds {target} too.\nLatest article: {last}"
    ),
    "feed_restarted": "Feed restarted: <b>{title}</b> → {target}\nLatest article: {last}",
    "feed_no_items": "no article yet",
    "feed_news": "general news",
    "feed_list_title": "<b>Feeds</b>",
    "feed_list_empty": "No feed. Add one: <code>/feed add https://www.lemonde.fr/rss/une.xml</code>",
    "feed_list_add": (
        "Add a feed: <code>/feed add URL</code> (general news) or <code>/feed add URL WATCH_NAME</code>. "
        "Remove one: <code>/feed rm {n}</code> (its number) or the buttons below."
    ),
    "feed_line": "{n}. <b>{title}</b> ({host}) → {targets}\n   {health}",
    "feed_ok": "✅ last read {when}, next {next}",
    "feed_failing": "⚠️ {error} ({failures} failure(s)), next try {when}",
    "feed_paused": "⏸ paused after a day of failures: {error}. <code>/feed add</code> it again to restart it.",
    "feed_pending": "⏳ first read pending",
    "feed_paused_notice": (
        "⏸ The feed <b>{title}</b> has been failing for a day ({error}): I paused it.\n"
        "To restart it: <code>/feed add {url}</code>"
    ),
    "feed_removed": "Feed removed: <b>{title}</b>.",
    "feed_rm_confirm": (
        "Remove the feed <b>{title}</b>? Its new articles will no longer come to: {targets} "
        "(those already received stay)."
    ),
    "feed_rm_yes": "🗑 Remove",
    "feed_unknown": "No feed at that address. <code>/feed</code> lists them.",
    "feed_unknown_number": "No feed number {value}: <code>/feed</code> lists them, numbered.",
    "feed_remove": "Remove {title}",
    "source_unreachable": "The site cannot be reached ({reason}). Check the address, or try again later.",
    "source_refused": "Address refused: {reason}.",
    "source_too_large": "The response is too large ({reason}): not a reasonable feed.",
    "source_bad_status": "The server answered with an {reason}.",
    "source_not_a_feed": "This address is not an RSS or Atom feed (maybe a web page: look for the site’s “RSS” link).",
    "source_malformed": "Unreadable answer from the service.",
    "source_unauthorized": "The credentials were refused.",
    "source_rate_limited": "Too many requests: next try {wait}.",
    "source_error": "Failed: {reason}.",
    "reason_not_http": "only http:// and https:// addresses are read",
    "reason_bad_url": "malformed address",
    "reason_no_host": "the address names no site",
    "reason_credentials": "an address with a user name or password is not read",
    "reason_private": "{value} is a private or reserved address",
    "reason_unusual": "{value}, written in an unusual form",
    "reason_local_name": "{value} is a local name",
    "reason_resolves_private": "{value} leads to a private address",
    "reason_redirects": "more than {value} redirects",
    "reason_dns": "site name not found: {value}",
    "reason_connection_refused": "connection refused",
    "reason_timeout": "no answer in time",
    "reason_tls": "secure connection failed",
    "reason_disconnected": "the server hung up",
    "reason_network": "could not connect",
    "reason_status": "HTTP error {value}",
    "reason_too_large": "over {value} MB",
    "reason_not_a_feed": "not an RSS or Atom feed",
    "reason_rate_limited": "too many requests",
    "reason_unauthorized": "credentials refused",
    "reason_malformed": "unreadable answer",
    "reason_other": "could not be read",
    "ago_minutes": "{n} min ago",
    "ago_hours": "{n} h ago",
    "ago_days": "{n} d ago",
    "in_minutes": "in {n} min",
    "in_hours": "in {n} h",
    "just_now": "just now",
    "console_intro": (
        "Vigie, in a console. Try /start and /help; type a number to press a button; "
        "“> text” replies to Vigie's last message (> /post … to answer an X post it shows); Ctrl-D quits."
    ),
    "console_no_button": "(no button {number} in the last message with buttons)",
    "console_buttons_gone": "(the last message with buttons has none any more: Vigie removed them, there is nothing left to press)",
    "console_demo_chart": "Chart: {path}",
    "console_demo_no_watch": "(the sample watch was removed: no crisis to replay)",
}

CATALOGS: dict[str, dict[str, str]] = {"fr": FR, "en": EN}


def language_for(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Vigie's language for a Telegram `language_code` ("fr-CA" -> "fr"); `default` otherwise."""
    base = (code or "").split("-")[0].lower()
    return base if base in CATALOGS else default


def plain(language: str, key: str, /, **values: object) -> str:
    """The message `key` as plain text (button labels): values inserted as they are."""
    catalog = CATALOGS.get(language, CATALOGS[DEFAULT_LANGUAGE])
    return catalog[key].format(**values) if values else catalog[key]


def t(language: str, key: str, /, **values: object) -> str:
    """The message `key` in `language`, with `values` HTML-escaped unless marked `Html`."""
    catalog = CATALOGS.get(language, CATALOGS[DEFAULT_LANGUAGE])
    safe = {k: v if isinstance(v, Html) else html.escape(_clip(str(v)), quote=False) for k, v in values.items()}
    return catalog[key].format(**safe) if safe else catalog[key]


def decimal(language: str, number: str) -> str:
    """A written number with the language's decimal mark ("3.5" -> "3,5" in French)."""
    return number.replace(".", ",") if language == "fr" else number


def integer(language: str, n: int) -> str:
    """A whole number with the language's thousands separator: '12 400' (thin space), '12,400'."""
    return f"{n:,}".replace(",", "\u202f") if language == "fr" else f"{n:,}"


def times(language: str, ratio: float) -> str:
    """A ratio to the usual as shown: '7,5' (one decimal under 10), '12'."""
    return decimal(language, f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}")


def _clip(value: str) -> str:
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"
