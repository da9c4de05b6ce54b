"""The sample content (invented companies and news; any resemblance is fortuitous)."""

from __future__ import annotations

FEEDS: dict[str, dict] = {
    "eco": {
        "title": "La Lettre de l’Économie (exemple)",
        "language": "fr",
        "items": [
            (
                "La Fnac teste la livraison en deux heures à Lyon",
                "L’enseigne étend son service express à trois nouveaux quartiers. Les premiers retours des clients sont jugés encourageants par la direction. Le déploiement national dépendra des résultats de l’hiver.",
                35,
            ),
            (
                "Les ventes de livres repartent à la hausse au troisième trimestre",
                "Le marché du livre progresse de 4 % sur un an, porté par la bande dessinée. Les librairies indépendantes profitent aussi du rebond.",
                160,
            ),
            (
                "Le commerce de centre-ville face à la hausse des loyers",
                "Plusieurs enseignes renégocient leurs baux dans les grandes villes. Les fédérations du commerce demandent un observatoire des loyers.",
                300,
            ),
            (
                "Darty et la Fnac misent sur la réparation des appareils",
                "Le groupe ouvre dix ateliers de réparation supplémentaires. La réparation devient un argument commercial face aux plateformes en ligne.",
                520,
            ),
        ],
    },
    "distrib": {
        "title": "Distribution Hebdo (exemple)",
        "language": "fr",
        "items": [
            (
                "Grande distribution : les marques de distributeur gagnent du terrain",
                "Les marques de distributeur représentent désormais un tiers des ventes en volume. Les industriels s’inquiètent de la pression sur les prix.",
                90,
            ),
            (
                "Une enseigne de sport annonce 40 ouvertures en Europe",
                "Le distributeur vise l’Espagne et l’Italie en priorité. Le financement repose sur une augmentation de capital bouclée en octobre.",
                240,
            ),
            (
                "La Fnac teste la livraison en deux heures à Lyon",
                "L’enseigne étend son service express à trois nouveaux quartiers. Les premiers retours des clients sont jugés encourageants par la direction. Le déploiement national dépendra des résultats de l’hiver.",
                40,
            ),
        ],
    },
}

# (author, display name, text, minutes ago, likes, reposts, language)
POSTS: list[tuple[str, str, str, int, int, int, str]] = [
    ("marie_conso", "Marie L.", "Livrée en deux heures par la @Fnac à Lyon, bluffant ! #Fnac", 20, 48, 6, "fr"),
    (
        "eco_direct",
        "Éco Direct",
        "La Fnac étend la livraison express à Lyon : trois quartiers de plus couverts dès lundi.",
        45,
        120,
        31,
        "fr",
    ),
    (
        "tech_watch",
        "Tech Watch",
        "Fnac and Darty double down on repair workshops, a smart move against online marketplaces.",
        130,
        75,
        12,
        "en",
    ),
    ("julien_b", "Julien B.", "Toujours pas de réponse du SAV @Fnac après deux semaines… #Fnac", 200, 15, 3, "fr"),
    (
        "retail_fr",
        "Retail France",
        "Distribution : les marques de distributeur pèsent un tiers des volumes. Les industriels s’inquiètent.",
        95,
        60,
        18,
        "fr",
    ),
    (
        "commerce_info",
        "Commerce Info",
        "Une enseigne de sport prévoit 40 ouvertures en Europe en 2027. #distribution",
        260,
        33,
        9,
        "fr",
    ),
]

# The X account the console posts and follows with: (username, display name, description)
ACCOUNT = ("vigie_exemple", "Vigie (exemple)", "Le compte X d’exemple de la console Vigie.")

# Accounts to look up and follow besides the posts' authors:
# (username, display name, description, followers, verified, protected)
ACCOUNTS: list[tuple[str, str, str, int, bool, bool]] = [
    ("Fnac", "Fnac", "Compte d’exemple d’une enseigne culturelle.", 912_000, True, False),
    ("Darty_Officiel", "Darty", "Compte d’exemple d’une enseigne d’électroménager.", 301_000, True, False),
    ("cercle_prive", "Cercle privé (exemple)", "Compte protégé : un abonnement attend son accord.", 240, False, True),
]

# WOEID -> [(trend, post count or None)]
TRENDS: dict[int, list[tuple[str, int | None]]] = {
    23424819: [
        ("#Fnac", 12_400),
        ("Ligue des champions", 88_000),
        ("#BlackFriday", 54_300),
        ("Lyon", None),
        ("#distribution", 3_100),
        ("Assemblée nationale", 21_000),
    ],
    615702: [("#Paris", 9_800), ("Périphérique", 4_200), ("#Fnac", 2_300)],
}

# Watches the console starts with: (name, query, feed keys)
WATCHES: list[tuple[str, str, tuple[str, ...]]] = [
    ("Fnac", "Fnac OR @Fnac OR #Fnac", ()),
    ("Distribution", "distribution OR enseigne OR distributeur", ("distrib",)),
]
NEWS_FEEDS = ("eco",)
