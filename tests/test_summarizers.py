"""Summaries: sentence splitting, words, stop words, LexRank against sumy's, the facade."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer

from summarizers import ALGORITHMS, Summary, pick, split_sentences, summarize
from summarizers.adapters import sumy_scores
from summarizers.lexrank import lexrank_scores
from summarizers.stopwords import ENGLISH, FRENCH
from summarizers.tokenizer import Tokenizer

FRENCH_SPLITS = [
    ("M. Dupont est arrivé. Mme Martin aussi.", ["M. Dupont est arrivé.", "Mme Martin aussi."]),
    (
        "MM. Durand et Petit ont signé. Le Dr Lefèvre est venu. St. Louis aussi.",
        ["MM. Durand et Petit ont signé.", "Le Dr Lefèvre est venu.", "St. Louis aussi."],
    ),
    (
        "Rome fut fondée en 753 av. J.-C. selon la tradition. César meurt en 44 av. J.-C. La République chute.",
        ["Rome fut fondée en 753 av. J.-C. selon la tradition.", "César meurt en 44 av. J.-C.", "La République chute."],
    ),
    (
        "On cite p. ex. la Bretagne. Voir cf. art. 5 du code. Le chap. 3, la fig. 2 et le vol. 4 aussi.",
        ["On cite p. ex. la Bretagne.", "Voir cf. art. 5 du code.", "Le chap. 3, la fig. 2 et le vol. 4 aussi."],
    ),
    (
        "Le n° 12 gagne. Des fruits, des légumes, etc. Le marché ferme.",
        ["Le n° 12 gagne.", "Des fruits, des légumes, etc.", "Le marché ferme."],
    ),
    (
        "Le 3 janv. 2025 il pleuvait. Le 1er févr. 2024 aussi. Il y avait env. 300 personnes. Fin.",
        ["Le 3 janv. 2025 il pleuvait.", "Le 1er févr. 2024 aussi.", "Il y avait env. 300 personnes.", "Fin."],
    ),
    (
        "J. Dupont a parlé. La hausse atteint 3,5 % et 3.5 points. Ensuite rien.",
        ["J. Dupont a parlé.", "La hausse atteint 3,5 % et 3.5 points.", "Ensuite rien."],
    ),
    (
        "Voir https://ex.com/a.b?c=d pour les détails. Écrivez à jean.dupont@ex.fr. Merci @Vigie_Bot !",
        ["Voir https://ex.com/a.b?c=d pour les détails.", "Écrivez à jean.dupont@ex.fr.", "Merci @Vigie_Bot !"],
    ),
    ("On a gagné ! 🎉🎉 Rendez-vous demain. Bravo 👏", ["On a gagné ! 🎉🎉", "Rendez-vous demain.", "Bravo 👏"]),
    (
        "Il hésite… puis accepte. Attendez... Le résultat arrive… Enfin.",
        ["Il hésite… puis accepte.", "Attendez...", "Le résultat arrive…", "Enfin."],
    ),
    (
        "« C'est fini. » Il est parti. « Vraiment ? » a-t-il demandé. Pourquoi ?! Parce que.",
        ["« C'est fini. »", "Il est parti.", "« Vraiment ? » a-t-il demandé.", "Pourquoi ?!", "Parce que."],
    ),
    (
        "Super !!! Vraiment ?!? Oui. #Paris2024 gagne. $ACME monte.",
        ["Super !!!", "Vraiment ?!?", "Oui.", "#Paris2024 gagne.", "$ACME monte."],
    ),
    ("Une usine ouvre. https://ex.com/usine", ["Une usine ouvre.", "https://ex.com/usine"]),
    (
        "Titre de l'article\nLe texte commence ici et\ncontinue là.\n\nsuite après un blanc",
        ["Titre de l'article", "Le texte commence ici et\ncontinue là.", "suite après un blanc"],
    ),
    # Glued boundaries, as text extracted from HTML often is (OrangeSum: 4 in 5 articles).
    (
        "Elles s'étaient élevées à 839.000 euros en 2019.Alors que les estives ont commencé, l'État "
        "porte plainte.Une aide au gardiennage est prévue.",
        [
            "Elles s'étaient élevées à 839.000 euros en 2019.",
            "Alors que les estives ont commencé, l'État porte plainte.",
            "Une aide au gardiennage est prévue.",
        ],
    ),
    (
        'Il a parlé d\'un "désastre".Le ministre a répondu.Il parle de « choix ».Puis (enfin).Rien?Non!Oui.',
        [
            'Il a parlé d\'un "désastre".',
            "Le ministre a répondu.",
            "Il parle de « choix ».",
            "Puis (enfin).",
            "Rien?",
            "Non!",
            "Oui.",
        ],
    ),
    (
        'Il a dit "non". Puis il est parti. Le maire (PS). Une phrase.',
        ['Il a dit "non".', "Puis il est parti.", "Le maire (PS).", "Une phrase."],
    ),
    (
        "M.Dupont et Mme.Martin lisent lemonde.fr.Le site www.Ex.fr/A.Html et a@b.fr.Merci, J.-C.Le roi.",
        ["M.Dupont et Mme.Martin lisent lemonde.fr.Le site www.Ex.fr/A.Html et a@b.fr.Merci, J.-C.Le roi."],
    ),
]

ENGLISH_SPLITS = [
    (
        "Mr. Smith met Mrs. Jones and Ms. Lee. Dr. Brown and Prof. White came too.",
        ["Mr. Smith met Mrs. Jones and Ms. Lee.", "Dr. Brown and Prof. White came too."],
    ),
    (
        "Acme Inc. said it grew. Globex Ltd. and Initech Co. and Umbrella Corp. disagreed. "
        "The U.S. and the U.K. signed.",
        [
            "Acme Inc. said it grew.",
            "Globex Ltd. and Initech Co. and Umbrella Corp. disagreed.",
            "The U.S. and the U.K. signed.",
        ],
    ),
    (
        "Fruits, e.g. apples, i.e. red ones, vs. pears, etc. Then more. It was Jan. 5 and No. 3 on St. Mark street.",
        [
            "Fruits, e.g. apples, i.e. red ones, vs. pears, etc.",
            "Then more.",
            "It was Jan. 5 and No. 3 on St. Mark street.",
        ],
    ),
    (
        '"We are done." He left. She said "no way!" and laughed. Really?! Yes...',
        ['"We are done."', "He left.", 'She said "no way!" and laughed.', "Really?!", "Yes..."],
    ),
    (
        "Shares rose 3.5% to $12.40 today. Wow!!! 🚀🚀 Next one.",
        ["Shares rose 3.5% to $12.40 today.", "Wow!!! 🚀🚀", "Next one."],
    ),
    (
        'Sales rose in 2024.The board met.It called it "a win".Shares fell (slightly).Why?Nobody knows.',
        [
            "Sales rose in 2024.",
            "The board met.",
            'It called it "a win".',
            "Shares fell (slightly).",
            "Why?",
            "Nobody knows.",
        ],
    ),
    (
        "The U.S.Army and e.g.Apple, not example.com.The site, stay whole; so does the 3.5 rate.",
        ["The U.S.Army and e.g.Apple, not example.com.The site, stay whole; so does the 3.5 rate."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH_SPLITS)
def test_french_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "fr") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH_SPLITS)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "en") == expected


def test_sentences_are_substrings_and_trailing_marks_stay_attached() -> None:
    text = "  Premier point.\u00a0Deuxième point ! 🎉 \n\n Fin du texte !!! "
    sentences = split_sentences(text, "fr")
    assert sentences == ["Premier point.", "Deuxième point ! 🎉", "Fin du texte !!!"]
    assert all(s in text for s in sentences)
    assert split_sentences("Merci. 🙏🙏", "fr") == ["Merci. 🙏🙏"]
    assert split_sentences("", "fr") == [] and split_sentences(" \n ", "en") == []


def test_words() -> None:
    tokenizer = Tokenizer("fr")
    words = tokenizer.to_words(
        "L'entreprise qu’il dirige, aujourd’hui, vaut 3,5 M€ (3.5) : https://ex.com/a.b et @Vigie_Bot "
        "#Paris2024 $ACME jean@ex.fr. Élan !"
    )
    assert words == (
        "l",
        "entreprise",
        "qu",
        "il",
        "dirige",
        "aujourd'hui",
        "vaut",
        "3,5",
        "m",
        "3.5",
        "et",
        "vigie",
        "bot",
        "paris2024",
        "acme",
        "élan",
    )
    english = Tokenizer("en").to_words("The company's CEO doesn't know.")
    assert english == ("the", "company", "s", "ceo", "doesn", "t", "know")
    sentences = ["Une phrase, deux mots.", "", "L'été à https://ex.com."]
    words_of = tokenizer.words_of(sentences)
    assert words_of == [*tokenizer.to_words(sentences[0]), "\x00", "\x00", *tokenizer.to_words(sentences[2]), "\x00"]
    assert [tokenizer.has_words(s) for s in ["https://ex.com/a", "🎉 !", "a", "3"]] == [False, False, True, True]


def test_stop_words_cover_function_words() -> None:
    for word in [
        "de",
        "un",
        "une",
        "l",
        "d",
        "qu",
        "cette",
        "le",
        "la",
        "les",
        "des",
        "du",
        "et",
        "est",
        "sont",
        "a",
        "ont",
        "été",
        "fait",
        "dans",
        "pour",
        "sur",
        "avec",
        "pas",
        "ne",
        "se",
        "qui",
        "que",
        "leur",
        "aux",
    ]:
        assert word in FRENCH, word
    for word in [
        "the",
        "of",
        "a",
        "an",
        "and",
        "to",
        "in",
        "is",
        "are",
        "was",
        "have",
        "has",
        "it",
        "s",
        "t",
        "don",
        "that",
        "with",
        "for",
        "on",
        "by",
        "from",
        "will",
        "would",
        "their",
        "which",
    ]:
        assert word in ENGLISH, word
    assert 250 <= len(FRENCH) <= 600 and 200 <= len(ENGLISH) <= 600
    assert "entreprise" not in FRENCH and "company" not in ENGLISH


FRENCH_NEWS = """\
Le groupe Arvella annonce l'ouverture d'une usine de batteries à Lyon. L'usine emploiera 800 salariés en 2027.
Selon la directrice générale d'Arvella, le site de Lyon produira des batteries pour les bus électriques.
Les syndicats saluent l'arrivée de l'usine mais réclament des garanties sur les salaires.
À la Bourse de Paris, l'action Arvella gagne 4,2 % après l'annonce.
Le concurrent Novacier prépare de son côté une usine de batteries à Dunkerque.
La région promet une aide de 50 millions d'euros au projet lyonnais d'Arvella.
Un analyste juge que la demande de batteries électriques restera forte jusqu'en 2030.
Le chantier de l'usine doit commencer au printemps, sur une ancienne friche industrielle.
Les riverains s'inquiètent du trafic de camions autour du futur site.
Arvella assure que les camions utiliseront une voie d'accès dédiée.
La ministre de l'Industrie se rendra à Lyon lundi pour visiter le chantier de l'usine.
Les élus écologistes demandent une étude sur l'eau consommée par l'usine de batteries.
Novacier, lui, mise sur des batteries sans cobalt pour réduire ses coûts.
Le marché européen des batteries pourrait doubler d'ici cinq ans, selon la Commission.
"""

ENGLISH_NEWS = """\
Kelvio Systems said on Tuesday it will cut 1,200 jobs as demand for its cloud storage slows.
The job cuts at Kelvio will mostly hit its sales teams in Europe and Asia.
Kelvio shares fell 6% in early trading after the announcement.
Chief executive Dana Hollis said the company must focus on its storage software business.
Rival Pixalis reported strong quarterly sales of cloud software last week.
Analysts said Kelvio had lost cloud storage customers to Pixalis and other rivals.
The company expects the restructuring to cost about $90 million this year.
Unions in Germany criticised the job cuts and asked for talks with management.
Kelvio will keep its research centre in Dublin, where 300 engineers work on storage software.
The firm also plans to sell its small consulting unit in Canada.
Hollis said Kelvio would return to growth in its cloud business by next year.
Investors have worried about Kelvio's debt since it bought a rival in 2022.
In other news, the city of Dublin approved a new tram line to the airport.
The tram line will cost 2 billion euros and open in 2031.
Local shops along the tram route fear years of roadworks.
Pixalis said it would hire 500 engineers in Dublin to build cloud software.
"""


def _sumy_picks(text: str, language: str, count: int) -> set[str]:
    tokenizer = Tokenizer(language)
    summarizer = LexRankSummarizer(Stemmer(tokenizer.language))
    summarizer.stop_words = FRENCH if language == "fr" else ENGLISH
    sentences = [s for line in text.splitlines() for s in tokenizer.to_sentences(line)]
    document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
    return {str(s) for s in summarizer(document, count)}


# Counts where the last pick and the next sentence do not tie (small graphs have many ties).
@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        (FRENCH_NEWS, "fr", 1),
        (FRENCH_NEWS, "fr", 3),
        (FRENCH_NEWS, "fr", 12),
        (ENGLISH_NEWS, "en", 1),
        (ENGLISH_NEWS, "en", 3),
        (ENGLISH_NEWS, "en", 5),
        (ENGLISH_NEWS, "en", 9),
    ],
)
def test_lexrank_picks_what_sumy_picks(text: str, language: str, count: int) -> None:
    picked = summarize([text], language, count)
    assert {s.text for s in picked} == _sumy_picks(text, language, count)


def test_facade_lexrank_and_sumy_lexrank_agree() -> None:
    texts = [FRENCH_NEWS, "Arvella ouvre une usine de batteries à Lyon."]
    ours = summarize(texts, "fr", 3, "lexrank")
    theirs = summarize(texts, "fr", 3, "sumy-lexrank")
    assert [(s.text, s.item, s.position) for s in ours] == [(s.text, s.item, s.position) for s in theirs]
    assert [s.score for s in ours] == pytest.approx([s.score for s in theirs], abs=1e-12)


@pytest.mark.parametrize(("text", "language"), [(FRENCH_NEWS, "fr"), (ENGLISH_NEWS, "en")])
def test_lexrank_scores_equal_sumy_ratings(text: str, language: str) -> None:
    sentences = split_sentences(text, language)
    assert len(sentences) >= 12
    ours = lexrank_scores(sentences, language)
    theirs = sumy_scores(sentences, language, "sumy-lexrank")
    assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert len(set(np.round(ours, 6))) > 3  # a real ranking, not all ties


def test_lexrank_equals_sumy_when_a_watched_name_is_in_every_sentence() -> None:
    companies = ["Arvella", "Novacier", "Kelvio", "Pixalis"]
    actions = [
        "ouvre une usine à",
        "ferme un entrepôt à",
        "recrute des ingénieurs à",
        "investit 40 millions d'euros à",
        "signe un contrat avec la mairie de",
    ]
    cities = ["Lyon", "Nantes", "Lille", "Brest", "Metz", "Tours"]
    combinations = [(c, a, v) for c in companies for a in actions for v in cities]
    sentences = [f"Comme la Fnac, {c} {a} {v}." for c, a, v in random.Random(3).sample(combinations, 70)]
    ours = lexrank_scores(sentences, "fr")
    assert np.allclose(ours, sumy_scores(sentences, "fr", "sumy-lexrank"), rtol=0, atol=1e-12)
    assert len(set(np.round(ours, 6))) > 3


def test_lexrank_degenerate_inputs() -> None:
    assert lexrank_scores([], "fr").shape == (0,)
    assert lexrank_scores(["Une phrase."], "fr").tolist() == [1.0]
    assert lexrank_scores(["le la", "et ou"], "fr").tolist() == [0.0, 0.0]  # sumy yields NaN there


def test_summaries_are_verbatim_best_first_and_deterministic() -> None:
    texts = [FRENCH_NEWS, "Arvella ouvre une usine de batteries à Lyon ! 🔋 https://ex.com/arvella", "🎉🎉"]
    first = summarize(texts, "fr", 4)
    assert first == summarize(texts, "fr", 4)
    assert len(first) == 4
    for summary in first:
        assert summary.text in texts[summary.item]
        assert split_sentences(texts[summary.item], "fr")[summary.position] == summary.text
    assert [s.score for s in first] == sorted((s.score for s in first), reverse=True)
    assert pickle.loads(pickle.dumps(first)) == first


def test_summarize_edge_cases() -> None:
    assert summarize([], "fr", 3) == []
    assert summarize(["Une seule phrase ici."], "fr", 3) == [Summary("Une seule phrase ici.", 0, 0, 1.0)]
    assert summarize(["https://ex.com/a?b=c", "🎉🚀", "   ", "", "..."], "fr", 3) == []
    assert summarize([FRENCH_NEWS], "fr", 0) == []
    with pytest.raises(ValueError):
        summarize(["Une phrase."], "fr", 1, "bogus")


def test_duplicates_are_returned_once() -> None:
    repeated = "Kelvio cuts 1,200 jobs in Europe."
    texts = [repeated, ENGLISH_NEWS, f"{repeated} Kelvio shares fell.", "kelvio cuts  1,200 jobs in europe."]
    picked = summarize(texts, "en", 100)
    keys = [" ".join(s.text.casefold().split()) for s in picked]
    assert len(keys) == len(set(keys)) == len(split_sentences(ENGLISH_NEWS, "en")) + 2
    assert [(s.item, s.position) for s in picked if s.text.casefold() == repeated.casefold()] == [(0, 0)]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_every_algorithm_runs_through_the_facade(algorithm: str, language: str) -> None:
    texts = [FRENCH_NEWS if language == "fr" else ENGLISH_NEWS, "Une phrase courte. https://ex.com"]
    picked = summarize(texts, language, 3, algorithm)
    assert len(picked) == 3 and picked == summarize(texts, language, 3, algorithm)
    assert all(s.text in texts[s.item] for s in picked)
    assert summarize(["Seule phrase."], language, 2, algorithm)[0].text == "Seule phrase."
    assert summarize([], language, 2, algorithm) == []


def test_the_article_pick_is_verbatim_knows_the_title_and_prefers_short_sentences() -> None:
    title = "Venise : un paquebot percute un quai en arrivant au port"
    body = (
        "Sur les réseaux sociaux, les images sont impressionnantes.Dimanche matin, un paquebot a percuté "
        "un quai du port de Venise en arrivant, blessant quatre personnes. Les habitants réclament depuis "
        "des années, lors de manifestations régulières qui rassemblent des milliers de personnes venues de "
        "toute la lagune et de bien plus loin encore, que les navires de croisière, dont la taille ne cesse "
        "de croître, soient tenus loin du centre historique de la ville et de son port. La mairie se tait."
    )
    [best, second] = pick(title, body, "fr", 2)
    assert best.text.startswith("Dimanche matin, un paquebot a percuté") and best.text in body
    assert best.position == 1 and best.score > second.score
    assert "réclament" not in best.text  # the 50-word sentence loses to the short one saying as much
    assert pick(title, body, "fr", 2) == [best, second] and pick(title, "", "fr") == []
