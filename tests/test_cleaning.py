"""Table-driven tests of feed text cleaning (bot.cleaning) and of the text helpers it works on:
boilerplate goes, in French and English, and real sentences that look like it stay."""

from __future__ import annotations

import pytest

from bot.cleaning import clean, without_title
from bot.sources.rss import parse_feed
from bot.text import cut, html_to_lines

BODY = "La Fnac étend sa livraison en deux heures à Lyon."


@pytest.mark.parametrize(
    "chrome",
    [
        # comments, shares, links to other pages
        "- Pas de commentaire",
        "Aucun commentaire",
        "0 commentaires",
        "12 comments",
        "1,2k partages",
        "No comments",
        "Laisser un commentaire",
        "Leave a reply",
        "Partager sur Facebook",
        "Share this:",
        "Twitter",
        "Imprimer",
        "Vous aimerez aussi",
        "À lire aussi : La Fnac rachète Darty",
        "Lire aussi : les chiffres du trimestre",
        "Sur le même sujet",
        "You may also like",
        "Related: Fnac opens in Lyon",
        "Retrouvez toutes nos offres d’emplois sur Moovijob.com !",
        "Abonnez-vous à notre newsletter",
        # dates, bylines
        "Publié le 11/06/2013 – Courriercadres.com – Par Chloé Goudenhooft",
        "Publié le 12 juin 2013",
        "Mis à jour le 3 mars 2024 à 10h12",
        "Posted on March 3, 2024",
        "Updated 10:42 GMT",
        "Par Chloé Goudenhooft",
        "Par Jean-Marc Dupont, le 3 mars",
        "By Jane Smith | March 3, 2024",
        "By Jane Smith",
        # photo credits
        "DR 20th Century Fox",
        "DR USA TODAY SPORTS/MARK J. REBILAS",
        "Photo : Jean Dupont / AFP",
        "Crédit photo : Getty Images",
        "Credit: Reuters",
        "© AFP",
        # leftover script
        "window.dataLayer = window.dataLayer || [];",
        "(adsbygoogle = window.adsbygoogle || []).push({});",
        "var _paq = _paq || [];",
    ],
)
def test_a_boilerplate_line_goes(chrome):
    assert clean(f"{BODY}\n{chrome}\nL’enseigne promet la métropole avant l’été.") == (
        f"{BODY}\nL’enseigne promet la métropole avant l’été."
    )
    assert clean(f"{chrome}\n\n{BODY}") == BODY


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        (f"{BODY} Lire la suite", BODY),
        (f"{BODY}… Lire la suite", f"{BODY}…"),
        (f"{BODY} [...] Read more", f"{BODY} [...]".removesuffix(" [...]")),
        ("The store opens on Monday. Continue reading →", "The store opens on Monday."),
        ("The store opens on Monday. Continue reading “Fnac in Lyon”", "The store opens on Monday."),
        ("The store opens on Monday […]", "The store opens on Monday"),
        (
            "The store opens on Monday.\nThe post Fnac in Lyon appeared first on Retail Daily.",
            "The store opens on Monday.",
        ),
        ("Le magasin ouvre lundi. L’article Fnac à Lyon est apparu en premier sur Le Fil.", "Le magasin ouvre lundi."),
        ("PARIS (AFP) - La Fnac étend sa livraison.", "La Fnac étend sa livraison."),
        ("LYON, France (Reuters) — Fnac expands delivery.", "Fnac expands delivery."),
        ("WASHINGTON — The Senate voted on Tuesday.", "The Senate voted on Tuesday."),
        ("Le président à l’Élysée. © AFP", "Le président à l’Élysée."),
    ],
)
def test_boilerplate_around_a_sentence_goes(text, cleaned):
    assert clean(text) == cleaned


@pytest.mark.parametrize(
    "sentence",
    [
        "Le commentaire du ministre a surpris les syndicats.",
        "Pas de commentaire de la direction, qui n’a pas répondu.",
        "Les 12 commentaires publiés sous l’article étaient hostiles.",
        "Share prices fell sharply after the announcement.",
        "Published figures show a 5% rise in March.",
        "Par ailleurs, la Fnac ouvre un magasin à Lyon.",
        "Par Twitter, les patrons surveillent leur secteur.",
        "By Monday, 3 stores had closed.",
        "Those who read more books live longer.",
        "DR Congo: elections delayed again.",
        "« Nous avons […] décidé de fermer », dit-il.",
        "Photos of the event were taken by visitors.",
        "Twitter permet au dirigeant de mieux rester en contact avec ses clients.",
        "La Fnac a publié le 3 mars ses résultats annuels.",
        "Retrouvez-nous au salon de Lyon jeudi.",
        "Le magasin de Lyon — le plus grand de France — ouvre lundi.",
    ],
)
def test_a_real_sentence_stays(sentence):
    assert clean(f"{BODY}\n{sentence}") == f"{BODY}\n{sentence}"
    assert clean(sentence) == sentence


@pytest.mark.parametrize(
    ("title", "text", "cleaned"),
    [
        ("Les patrons sur Twitter", "Les patrons sur Twitter\nIls hésitent.", "Ils hésitent."),
        (
            "Les patrons sur Twitter ?",
            "Les patrons sur Twitter ?\n\nLes patrons sur Twitter ?\nIls hésitent.",
            "Ils hésitent.",
        ),
        (
            "Les 5 raisons d’être sur Twitter",
            "Les 5 raisons d'être sur twitter Que tous ceux-là...",
            "Que tous ceux-là...",
        ),
        ("Why CEOs tweet", "WHY CEOS TWEET\nThey do.", "They do."),
        ("Apple", "Apple a annoncé un nouveau produit.", "Apple a annoncé un nouveau produit."),
        (
            "Les patrons sur Twitter",
            "Les patrons sur Twitter : une histoire.",
            "Les patrons sur Twitter : une histoire.",
        ),
        (
            "Les patrons sur Twitter",
            "Les patrons sur Twitter hésitent encore.",
            "Les patrons sur Twitter hésitent encore.",
        ),
        ("", "Ils hésitent.", "Ils hésitent."),
    ],
)
def test_the_title_repeated_at_the_start_goes(title, text, cleaned):
    assert without_title(text, title) == cleaned


def test_the_title_goes_after_the_chrome_before_it():
    text = "- Pas de commentaire\n\nLes patrons sur Twitter\n\nIls hésitent.\n\nDR EPA\nDR EPA\n\nIls observent."
    assert clean(text, "Les patrons sur Twitter") == "Ils hésitent.\n\nIls observent."


@pytest.mark.parametrize(
    ("markup", "lines"),
    [
        ("<p>Un\n deux</p><p>trois<br>quatre &amp; cinq</p>", "Un deux\n\ntrois\nquatre & cinq"),
        ("Un\n\n\n  deux  trois\r\nquatre", "Un\n\ndeux trois\nquatre"),
        ("<div>Titre</div><script>var a = 1;</script><p>Texte.</p>", "Titre\n\nTexte."),
    ],
)
def test_html_to_lines_keeps_lines_and_paragraphs(markup, lines):
    assert html_to_lines(markup) == lines


@pytest.mark.parametrize(
    ("text", "limit", "kept"),
    [
        ("Une phrase. Deux phrases ici. Trois", 30, "Une phrase. Deux phrases ici."),
        ("Un titre\nUne phrase qui ne finit pas", 20, "Un titre"),
        ("sans fin possible", 4, "sans"),
        ("court.", 10, "court."),
    ],
)
def test_a_long_text_is_cut_after_a_whole_sentence(text, limit, kept):
    assert cut(text, limit) == kept


def test_a_feed_items_text_is_cleaned_and_stays_verbatim_from_the_feed():
    body = (
        "&lt;p&gt;Publié le 12 juin 2013&lt;/p&gt;&lt;p&gt;La Fnac à Lyon&lt;/p&gt;"
        "&lt;p&gt;La Fnac étend sa livraison. Lire la suite&lt;/p&gt;&lt;p&gt;0 commentaires&lt;/p&gt;"
    )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Le Fil</title>'
        "<link>https://lefil.example/</link><item><title>La Fnac à Lyon</title>"
        f"<link>https://lefil.example/1</link><description>{body}</description></item></channel></rss>"
    ).encode()
    for fast in (True, False):
        [item] = parse_feed(feed, "https://lefil.example/rss", fast=fast).items
        assert (item.title, item.text) == ("La Fnac à Lyon", "La Fnac étend sa livraison.")
