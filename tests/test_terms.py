"""What drives a crisis: the words, hashtags and accounts new in the crisis hour against the usual."""

from __future__ import annotations

from bot.terms import new_terms

USUAL = [
    "Passé à la Fnac des Halles, le magasin était bondé ce samedi",
    "Ma commande Fnac est arrivée en avance, merci pour la livraison rapide",
    "Le magasin Fnac de Lyon organise une dédicace ce week-end",
    "Quelqu'un sait si la Fnac reprend les vieux livres en magasin ?",
    "Les soldes commencent à la Fnac, les casques sont à moitié prix https://www.fnac.com/soldes",
    "J'ai trouvé le dernier album de Juliette Armanet au magasin Fnac près de chez moi",
    "Service client Fnac au top pour l'échange de ma liseuse",
    "Carte adhérent Fnac renouvelée, les avantages valent le coup",
    "The Fnac store on the Champs-Élysées has the new console in stock",
    "Attente interminable en caisse au magasin Fnac Montparnasse",
] * 6

CRISIS = [
    "Rappel des chargeurs vendus à la Fnac : ils prennent feu ! #boycott @fnac_sav",
    "La Fnac lance un rappel de ses chargeurs, le magasin refuse de rembourser #boycott",
    "@fnac_sav toujours aucune réponse sur le rappel des chargeurs, c'est honteux",
    "Mon chargeur Fnac a brûlé mon bureau, et maintenant un rappel ? #boycott",
    "Rappel produit : les chargeurs USB de la marque Fnac sont dangereux https://www.fnac.com/rappel",
    "Au magasin de Lille, queue énorme pour le rappel des chargeurs @fnac_sav",
    "Le rappel des chargeurs Fnac fait la une, les clients sont furieux #boycott",
    "Honteux : la Fnac savait pour les chargeurs depuis des mois, rappel bien trop tard",
    "Je ramène mon chargeur au magasin demain, ce rappel est un scandale @fnac_sav",
    "Rappel des chargeurs : la Fnac parle d'un défaut de fabrication #boycott",
]


def test_what_the_crisis_is_about_comes_first():
    found = new_terms(CRISIS, USUAL, known=["Fnac"], limit=10)
    assert found[0] == "rappel"  # in every text of the crisis, in none of the usual
    assert {"chargeurs", "#boycott", "@fnac_sav"} <= set(found)


def test_a_word_as_frequent_as_usual_is_not_new():
    assert "magasin" not in new_terms(CRISIS, USUAL, limit=100)


def test_stop_words_never_come_out():
    stop = {"les", "des", "the", "est", "pour", "sont", "une"}
    assert not stop & set(new_terms(CRISIS, USUAL, limit=100))
    assert not stop & set(new_terms(CRISIS + USUAL, [], limit=100))


def test_the_watchs_own_words_are_left_out():
    now = [f"{text} #fnac @fnac" for text in CRISIS]
    assert {"#fnac", "@fnac"} <= set(new_terms(now, USUAL, limit=100))
    found = new_terms(now, USUAL, known=["Fnac"], limit=100)
    assert not {"fnac", "#fnac", "@fnac"} & set(found)
    assert "@fnac_sav" in found  # another account


def test_one_text_repeating_a_word_does_not_make_it_new():
    spam = " ".join(["Promo"] * 50)
    assert "promo" not in new_terms([*CRISIS, spam], USUAL, limit=100)
    spread = [f"{text} promo" for text in CRISIS[:6]]
    assert "promo" in new_terms(spread + CRISIS[6:], USUAL, limit=100)


def test_a_term_needs_three_texts_of_the_crisis():
    now = ["Grève à l'entrepôt", "Grève illimitée", "Entrepôt bloqué", "Entrepôt fermé"]
    assert new_terms(now, []) == ["entrepôt"]


def test_links_leave_no_words():
    now = ["Lisez ça https://www.lemonde.fr/economie/article/2025/rappel-chargeurs-fnac.html"] * 3
    now.append("Lisez www.leparisien.fr/rappel-chargeurs")
    assert new_terms(now, []) == ["lisez"]


def test_accents_and_apostrophes_are_read_as_french():
    now = ["Grève à l'usine de Rennes", "GRÈVE : l’usine est à l’arrêt", "gre\u0300ve reconduite, usine fermée"]
    assert new_terms(now, []) == ["grève", "usine"]


def test_terms_come_out_lowercased():
    now = ["RAPPEL #Boycott @Fnac_SAV", "Rappel #BOYCOTT @fnac_sav", "rappel #boycott @FNAC_SAV"]
    assert sorted(new_terms(now, [])) == ["#boycott", "@fnac_sav", "rappel"]


def test_an_address_or_a_long_name_is_not_an_account():
    now = ["Écrivez à sav@fnac.com", "Contact : sav@fnac.com", "Plainte envoyée à sav@fnac.com @unnomdecomptetroplong"]
    assert "@fnac" not in new_terms(now, [], limit=100)
    assert "@unnomdecomptetroplong" not in new_terms(now, [], limit=100)


def test_at_most_limit_terms_the_best_first():
    every = new_terms(CRISIS, USUAL, limit=100)
    assert len(every) > 2
    assert new_terms(CRISIS, USUAL, limit=2) == every[:2]


def test_without_a_usual_the_most_frequent_are_new():
    assert new_terms(CRISIS, [], known=["fnac"], limit=3) == ["rappel", "chargeurs", "#boycott"]


def test_nothing_said_nothing_new():
    assert new_terms([], USUAL) == []
    assert new_terms([], []) == []
    assert new_terms(["ok", "ok", "ok"], []) == []
