"""Benchmark of Vigie's LexRank against sumy's LexRankSummarizer on generated French news text.

Both rank the same sentences with the same tokenizer, Snowball stemmer and stop words. Prints, per
size: Vigie's time (best of 5 with its stem cache warm, and the first run with the cache empty),
sumy's time, both ratios, and the overlap of the top 5 and top 10 sentences. Then the time of
`summarize()` itself, splitting included, on the same sentences as separate one-sentence texts (how
X posts arrive) and as one text.

    python -m bench.summarize [--sizes 200,1000,3000] [--with-3000-sumy]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer

from summarizers import summarize
from summarizers.adapters import sumy_ratings
from summarizers.lexrank import lexrank_scores
from summarizers.stemming import stem
from summarizers.stopwords import stop_words
from summarizers.tokenizer import Tokenizer

COMPANIES = [
    "Arvella",
    "Bricomax",
    "Celtis Énergie",
    "Dunor Logistique",
    "Elvane",
    "Ferrovia Sud",
    "Gallix",
    "Hexaline",
    "Isotherm",
    "Jardimonde",
    "Kelvio",
    "Lumbra Bank",
    "Mistralys",
    "Novacier",
    "Orvéa Santé",
    "Pixalis",
    "Quartz Mobilité",
    "Rivolia",
    "Solvane",
    "Tramaris",
    "Ubiquo Telecom",
    "Véloxia",
    "Wattélec",
    "Xylos Pharma",
    "Yonda Assurances",
    "Zéphyr Aviation",
]
PEOPLE = [
    "la directrice générale",
    "le président du directoire",
    "le ministre de l'Économie",
    "la ministre du Travail",
    "le porte-parole du groupe",
    "la déléguée syndicale",
    "le maire",
    "la présidente de la région",
    "un analyste de marché",
    "le directeur financier",
    "la préfète",
    "un porte-parole de l'intersyndicale",
]
CITIES = [
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nantes",
    "Bordeaux",
    "Lille",
    "Strasbourg",
    "Rennes",
    "Grenoble",
    "Montpellier",
    "Rouen",
    "Dijon",
    "Brest",
    "Clermont-Ferrand",
    "Metz",
    "Tours",
    "Amiens",
    "Nancy",
]
SECTORS = [
    "l'énergie solaire",
    "le transport ferroviaire",
    "la distribution alimentaire",
    "les semi-conducteurs",
    "l'assurance santé",
    "le logement social",
    "la téléphonie mobile",
    "l'aéronautique",
    "la pharmacie",
    "le commerce en ligne",
    "la sidérurgie",
    "les batteries électriques",
]
ACTIONS = [
    "annonce l'ouverture d'une usine à {city}",
    "confirme la suppression de {n} postes dans son site de {city}",
    "lève {m} millions d'euros auprès de fonds européens",
    "rachète son concurrent {other} pour {m} millions d'euros",
    "publie un chiffre d'affaires en hausse de {p} % au troisième trimestre",
    "abaisse ses prévisions annuelles après un recul de {p} % des ventes",
    "signe un contrat de {m} millions d'euros avec la SNCF",
    "investit {m} millions d'euros dans {sector}",
    "recrute {n} ingénieurs à {city} d'ici la fin de l'année",
    "fait face à une grève de ses salariés à {city}",
    "lance une nouvelle offre dans {sector}",
    "s'allie avec {other} pour développer {sector}",
    "est visée par une enquête de l'Autorité de la concurrence",
    "reporte son introduction en Bourse à cause de la volatilité des marchés",
    "inaugure un centre de recherche consacré à {sector} à {city}",
]
COMMENTS = [
    "Selon {person}, {company} vise une croissance de {p} % d'ici {year}.",
    "{person} de {company} juge la situation « préoccupante » à {city}.",
    "À {city}, les salariés de {company} attendent des garanties sur l'emploi.",
    "Les marchés saluent la décision de {company}, dont l'action gagne {p} % à la Bourse de Paris.",
    "Le titre {company} recule de {p} % en séance après l'annonce.",
    "{person} a rappelé que {sector} reste une priorité pour {year}.",
    "Les élus de {city} réclament une réunion avec la direction de {company}.",
    "D'après {person}, {n} emplois pourraient être créés dans {sector} en {year}.",
    "La concurrence de {other} pèse sur les marges de {company} depuis {year}.",
    "Les syndicats de {company} appellent à un rassemblement devant le siège de {city}.",
]


def french_news(count: int, seed: int = 7) -> list[str]:
    """`count` distinct, varied French news sentences, always the same for a seed."""
    rng = random.Random(seed)
    sentences: list[str] = []
    seen: set[str] = set()
    while len(sentences) < count:
        company, other = rng.sample(COMPANIES, 2)
        values = {
            "company": company,
            "other": other,
            "city": rng.choice(CITIES),
            "sector": rng.choice(SECTORS),
            "person": rng.choice(PEOPLE),
            "n": rng.randrange(20, 2000, 10),
            "m": rng.randrange(5, 900),
            "p": f"{rng.randrange(1, 40)},{rng.randrange(10)}",
            "year": rng.randrange(2024, 2031),
        }
        if rng.random() < 0.5:
            text = f"{company} {rng.choice(ACTIONS)}.".format(**values)
        else:
            text = rng.choice(COMMENTS).format(**values)
        text = text[0].upper() + text[1:]
        if text not in seen:
            seen.add(text)
            sentences.append(text)
    return sentences


def _sumy_lexrank(sentences: list[str], tokenizer: Tokenizer, count: int) -> list[int]:
    """Indices of sumy's `count` best sentences, best first (its own uncached stemmer)."""
    summarizer = LexRankSummarizer(Stemmer(tokenizer.language))
    summarizer.stop_words = stop_words(tokenizer.code)
    return _best(sumy_ratings(summarizer, sentences, tokenizer), count)


def _vigie_lexrank(sentences: list[str], language: str, count: int) -> list[int]:
    """Indices of Vigie's `count` best sentences, best first."""
    return _best(lexrank_scores(sentences, language), count)


def _best(scores: np.ndarray, count: int) -> list[int]:
    """Indices of the `count` highest scores, ties in document order (as sumy breaks them)."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])[:count]


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def _overlap(a: list[int], b: list[int], k: int) -> float:
    return 100.0 * len(set(a[:k]) & set(b[:k])) / k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,3000", help="comma-separated sentence counts")
    parser.add_argument("--with-3000-sumy", action="store_true", help="also time sumy at 3,000 or more")
    args = parser.parse_args()
    tokenizer = Tokenizer("fr")
    warmup = french_news(50, seed=1)
    _vigie_lexrank(warmup, "fr", 10)
    _sumy_lexrank(warmup, tokenizer, 10)
    columns = ("sentences", "vigie warm ms", "vigie cold ms", "sumy s", "ratio", "cold ratio", "top5 %", "top10 %")
    print(" ".join(f"{c:>{w}}" for c, w in zip(columns, (9, 13, 13, 8, 7, 10, 7, 7), strict=True)))
    for size in (int(s) for s in args.sizes.split(",")):
        sentences = french_news(size)
        stem.cache_clear()
        cold, ours = _timed(_vigie_lexrank, sentences, "fr", 10)
        warm = min(_timed(_vigie_lexrank, sentences, "fr", 10)[0] for _ in range(5))
        if size >= 3000 and not args.with_3000_sumy:
            print(f"{size:>9} {warm * 1e3:>13.1f} {cold * 1e3:>13.1f} {'skipped':>8}")
            continue
        sumy_time, theirs = _timed(_sumy_lexrank, sentences, tokenizer, 10)
        print(
            f"{size:>9} {warm * 1e3:>13.1f} {cold * 1e3:>13.1f} {sumy_time:>8.2f} {sumy_time / warm:>6.0f}x"
            f" {sumy_time / cold:>9.0f}x {_overlap(ours, theirs, 5):>7.0f} {_overlap(ours, theirs, 10):>7.0f}"
        )
    print("summarize(), the facade the briefing calls (splitting included), best of 5, warm:")
    for size in (int(s) for s in args.sizes.split(",")):
        sentences = french_news(size)
        posts = min(_timed(summarize, sentences, "fr", 10)[0] for _ in range(5))
        article = min(_timed(summarize, [" ".join(sentences)], "fr", 10)[0] for _ in range(5))
        print(
            f"{size:>9} sentences: {posts * 1e3:7.1f} ms as {size} one-sentence texts (posts), {article * 1e3:7.1f} ms as one text"
        )


if __name__ == "__main__":
    main()
