"""Invented news text for :mod:`tests.fakes.feeds`: sample feeds, an HTML page, bulk templates.

Every company, person and event here is fictional; links use the reserved ``.example`` domain.
Item dicts follow :meth:`tests.fakes.feeds.FakeFeeds.add_feed`.
"""

from datetime import UTC, datetime, timedelta, timezone

_PARIS = timezone(timedelta(hours=2))
# The samples were written as of 15 April 2025; they are served as if that were now, so that
# they stay within Vigie's retention whenever the tests run.
_SHIFT = datetime.now(UTC).replace(microsecond=0) - datetime(2025, 4, 15, tzinfo=UTC)


def _shifted(*args: int, tzinfo: timezone) -> datetime:
    return datetime(*args, tzinfo=tzinfo) + _SHIFT


RSS_TITLE = "Le Fil des Dirigeants — Veille stratégique"
RSS_ITEMS = [
    {
        "title": "Nordavia lève 120 M€ pour ses avions régionaux électriques",
        "link": "https://lefil.example/2025/04/nordavia-levee",
        "summary": (
            "<p>La start-up toulousaine <strong>Nordavia</strong> boucle un tour de table "
            "mené par Fonds Garonne &amp; Associés.</p>"
            '<p><a href="https://lefil.example/2025/04/nordavia-levee">Lire la suite</a></p>'
        ),
        "published": _shifted(2025, 4, 14, 7, 30, tzinfo=_PARIS),
        "guid": "lefil-2025-04-14-001",
        "author": "Claire Mercœur",
    },
    {
        "title": "Brévial et Cassandre Énergies : enquête approfondie sur leur fusion",
        "link": "https://lefil.example/2025/04/brevial-cassandre",
        "summary": (
            "<p>L'autorité de la concurrence s'inquiète des effets du rapprochement sur "
            "le marché du stockage d'énergie &amp; des réseaux de chaleur.</p>"
        ),
        "published": _shifted(2025, 4, 13, 18, 5, tzinfo=_PARIS),
        "guid": None,
    },
    {
        "title": "Télécoms : Ondalis prévoit 800 suppressions de postes en Europe",
        "link": "https://lefil.example/2025/04/ondalis-plan-social",
        "summary": (
            "<p>Le plan « Horizon 2027 » touche surtout les fonctions support. "
            "Les syndicats dénoncent un calendrier « précipité » & opaque.</p>"
        ),
        "cdata": True,
        "published": _shifted(2025, 4, 13, 9, 0, tzinfo=_PARIS),
    },
    {
        "title": "« L'IA générative ne remplacera pas nos analystes », affirme la DG de Maréchal",
        "link": "https://lefil.example/entretiens/marechal-ia",
        "summary": (
            "<p>Entretien avec Hélène Maréchal, directrice générale de Maréchal &amp; Fils, "
            'sur la transformation du conseil. <a href="https://lefil.example/entretiens">'
            "Tous nos entretiens</a></p>"
        ),
        "guid": None,
    },
    {
        "title": "Helvara Bank posts a record quarter; shares jump 9%",
        "link": "https://lefil.example/en/helvara-q1",
        "summary": "<p>Net interest income rose 14% &amp; costs fell for a third quarter.</p>",
        "published": _shifted(2025, 4, 12, 16, 45, tzinfo=UTC),
        "author": "Tom Ashcombe",
        "language": "en",
    },
    {
        "title": "Agenda : les résultats annuels à suivre cette semaine",
        "link": "https://lefil.example/agenda/semaine-16",
        "summary": (
            "<ul><li>Mardi : Groupe Vauclair</li><li>Jeudi : Ferronnerie d'Arvor</li>"
            "<li>Vendredi : Solvéa &amp; Cie</li></ul>"
        ),
        "published": _shifted(2025, 4, 12, 6, 0, tzinfo=_PARIS),
        "guid": None,
    },
]

ATOM_TITLE = "Observatoire du Numérique — Notes de veille"
ATOM_ITEMS = [
    {
        "title": "Cloud souverain : Altiplan signe avec trois ministères",
        "link": "https://observatoire.example/notes/altiplan-ministeres",
        "summary": ("<p>Un contrat-cadre de quatre ans, estimé à 45 M€, pour l'hébergement des données sensibles.</p>"),
        "published": _shifted(2025, 4, 14, 10, 15, tzinfo=_PARIS),
        "guid": "urn:uuid:4f1c2a7e-0b8d-4c1e-9a57-6d2f0e3b9a01",
        "author": "Rédaction de l'Observatoire",
    },
    {
        "title": "Cybersécurité : la PME Kerlys rachetée par le groupe Ostral",
        "link": "https://observatoire.example/notes/kerlys-ostral",
        "summary": "<p>Montant non communiqué ; <em>l'équipe brestoise</em> sera conservée.</p>",
        "published": _shifted(2025, 4, 13, 14, 0, tzinfo=_PARIS),
        "guid": "urn:uuid:4f1c2a7e-0b8d-4c1e-9a57-6d2f0e3b9a02",
    },
    {
        "title": "Quantum start-up Lumetra opens a Paris lab",
        "link": "https://observatoire.example/notes/lumetra-paris",
        "summary": "<p>Forty researchers &amp; engineers by the end of 2025.</p>",
        "published": _shifted(2025, 4, 12, 11, 30, tzinfo=UTC),
        "guid": "urn:uuid:4f1c2a7e-0b8d-4c1e-9a57-6d2f0e3b9a03",
        "language": "en",
    },
    {
        "title": "Données de santé : l'appel d'offres de l'Agence régionale relancé",
        "link": "https://observatoire.example/notes/donnees-sante",
        "summary": (
            '<p>Le premier appel avait été <a href="https://observatoire.example/notes/'
            'appel-annule">déclaré infructueux</a> en février.</p>'
        ),
        "published": _shifted(2025, 4, 11, 8, 45, tzinfo=_PARIS),
        "guid": "urn:uuid:4f1c2a7e-0b8d-4c1e-9a57-6d2f0e3b9a04",
    },
]

RSS1_TITLE = "Bulletin Industrie & Territoires"
RSS1_ITEMS = [
    {
        "title": "Les Forges de Valmont rouvrent leur aciérie de Lorraine",
        "link": "https://bulletin.example/2025/valmont-acierie",
        "summary": "<p>Deux cents embauches prévues d'ici l'été.</p>",
        "published": _shifted(2025, 4, 14, 6, 30, tzinfo=_PARIS),
        "author": "Julien Perrache",
    },
    {
        "title": "Agroalimentaire : Coopérative du Lauragais & Fils investit 30 M€",
        "link": "https://bulletin.example/2025/lauragais-investissement",
        "summary": "<p>Une nouvelle ligne de <strong>légumineuses</strong> à Castelnaudary.</p>",
        "published": _shifted(2025, 4, 13, 12, 0, tzinfo=_PARIS),
    },
    {
        "title": "Ports : le trafic conteneurs de Saint-Aubin progresse de 6 %",
        "link": "https://bulletin.example/2025/port-saint-aubin",
        "summary": "<p>Hausse portée par les lignes vers l'Afrique de l'Ouest.</p>",
        "published": _shifted(2025, 4, 12, 9, 20, tzinfo=_PARIS),
    },
    {
        "title": "Transition énergétique : appel à projets régional prolongé",
        "link": "https://bulletin.example/2025/appel-projets",
        "summary": "<p>Date limite repoussée au 30 juin.</p>",
        "published": _shifted(2025, 4, 11, 17, 10, tzinfo=_PARIS),
    },
]

# Only characters that ISO-8859-1 can encode, so the bytes are genuinely latin-1.
LATIN1_TITLE = "Gazette régionale de l'économie"
LATIN1_ITEMS = [
    {
        "title": "Crémerie Bérault : la fromagerie d'Épinal double sa capacité",
        "link": "https://gazette.example/berault-capacite",
        "summary": "<p>Un investissement « raisonné » selon le gérant, François Bérault.</p>",
        "published": _shifted(2025, 4, 10, 8, 0, tzinfo=_PARIS),
    },
    {
        "title": "Château-Thierry : l'usine Garçon & Fils reprise par ses salariés",
        "link": "https://gazette.example/garcon-scop",
        "summary": "<p>La SCOP conserve 85 % des effectifs ; rentrée prévue en août.</p>",
        "published": _shifted(2025, 4, 9, 15, 40, tzinfo=_PARIS),
    },
    {
        "title": "Fête de l'économie locale à Sète : programme dévoilé",
        "link": "https://gazette.example/sete-programme",
        "summary": "<p>Conférences, forum de l'emploi, dégustation d'huîtres.</p>",
        "published": _shifted(2025, 4, 8, 11, 5, tzinfo=_PARIS),
    },
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Maison Verdier — Actualités</title>
<link rel="alternate" type="application/rss+xml" title="Le Fil" href="/rss-sample.xml">
</head>
<body>
<header><nav><a href="/">Accueil</a> · <a href="/presse">Presse</a></nav></header>
<main>
<h1>Actualités de la Maison Verdier</h1>
<article>
<h2>Inauguration de notre atelier de Limoges</h2>
<p>Le 3 avril, nous avons ouvert un atelier de 2&nbsp;000&nbsp;m² dédié à la porcelaine.</p>
</article>
<article>
<h2>Verdier &amp; Partenaires rejoint le pacte « Industrie responsable »</h2>
<p>Un engagement sur l'énergie, les achats et la formation.</p>
</article>
</main>
</body>
</html>
"""

# Bulk feeds: deterministic text built from these pieces.
COMPANIES = [
    "Altiplan",
    "Brévial",
    "Cassandre Énergies",
    "Dorvane",
    "Elsmere Holdings",
    "Ferronnerie d'Arvor",
    "Galvéo",
    "Helvara Bank",
    "Isotherm",
    "Kerlys",
    "Lumetra",
    "Nordavia",
    "Ondalis",
    "Solvéa",
]
CITIES = ["Lyon", "Nantes", "Lille", "Bordeaux", "Grenoble", "Rennes", "Leeds", "Ghent"]
FR_TITLES = [
    "{company} annonce un partenariat stratégique avec {other}",
    "{company} : chiffre d'affaires trimestriel supérieur aux attentes",
    "{company} nomme un nouveau directeur financier",
    "{company} ouvre un site de production à {city}",
    "{company} cède sa filiale logistique à {other}",
]
FR_SUMMARY = '<p>{company} et {other} précisent leurs ambitions à {city}. <a href="{link}">Lire l\'article</a></p>'
EN_TITLES = [
    "{company} signs a strategic partnership with {other}",
    "{company} beats quarterly revenue expectations",
    "{company} appoints a new chief financial officer",
    "{company} opens a manufacturing site in {city}",
    "{company} sells its logistics arm to {other}",
]
EN_SUMMARY = '<p>{company} &amp; {other} outline their plans for {city}. <a href="{link}">Read more</a></p>'
