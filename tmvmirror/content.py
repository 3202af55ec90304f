"""The words of the mirror: sentence banks, names, tags, categories and the seed article.

Everything here is plain data.  The sentences are written for the mirror (short
local-news sentences about Tours); they use only characters that windows-1252
can encode, French spacing before ``? : !`` (a plain space: the renderer may turn
it into a no-break space) and never end a sentence with ``?`` (a paragraph ending
with ``?`` could pass for an interview question).
"""

# Paragraph sentences.  Some carry the traps the renderer plays with: " : ",
# " !", numbers with a thousands space, apostrophes, guillemets.
SENTENCES = [
    "Le chantier de la seconde ligne de tram avance plus vite que prévu.",
    "Les riverains de la rue Colbert ont été invités à une réunion d'information mardi soir.",
    "La guinguette des bords de Loire rouvre ses portes dès le premier week-end de mai.",
    "Plus de 12 000 visiteurs se sont pressés sur le site l'an passé.",
    "La Ville annonce un budget de 450 000 euros pour la rénovation des façades.",
    "Les commerçants de la place Plumereau se disent plutôt satisfaits de la saison.",
    "Le marché des Halles accueille désormais une dizaine de producteurs bio.",
    "Les travaux devraient durer jusqu'à la fin de l'automne.",
    "Une navette gratuite reliera la gare au centre des congrès pendant trois jours.",
    "Les étudiants de l'université François-Rabelais ont monté le projet de A à Z.",
    "Le programme complet sera dévoilé début juin sur le site de la Ville.",
    "Côté pratique : l'entrée est libre, mais il faut réserver sa place en ligne.",
    "Il reste encore quelques places pour les ateliers du samedi matin.",
    "Le quartier des Prébendes prépare sa grande fête de fin d'été.",
    "Les bénévoles de l'association se retrouvent chaque jeudi au Sanitas.",
    "Selon la Métropole, la fréquentation des vélos en libre-service a doublé en deux ans.",
    "Le Vieux-Tours attire chaque soir une foule d'étudiants et de touristes.",
    "Une pétition circule déjà pour sauver le vieux kiosque du jardin des Prébendes.",
    "La saison culturelle s'ouvrira avec un concert gratuit au pied de la cathédrale.",
    "Le collectif espère convaincre la mairie d'ici la fin de l'année.",
    "Les horaires de la médiathèque changent à partir du 1er septembre.",
    "Pas de panique : les bus continueront de desservir le centre pendant les travaux.",
    "Le restaurant propose une cuisine de saison, simple et généreuse.",
    "Les premiers résultats sont encourageants, assure l'adjointe au maire.",
    "Un nouveau parking relais ouvrira au nord de la ville au printemps.",
    "La Loire est montée de près de deux mètres en quelques jours.",
    "Le club de rugby vise une place dans le haut du classement cette saison.",
    "Les joueurs du Tours Volley ont été accueillis en héros à l'hôtel de ville.",
    "Une exposition consacrée aux photographes tourangeaux ouvre ce week-end.",
    "Le festival a réuni près de 25 000 spectateurs en trois soirées.",
    "Tout a commencé par une simple discussion entre voisins, autour d'un café.",
    "Les élus de l'opposition réclament plus de transparence sur le dossier.",
    "Les enfants pourront s'initier au jardinage dans le potager partagé.",
    "Ce week-end, rendez-vous est pris sur l'île Simon pour un pique-nique géant.",
    "Le projet a coûté 1,5 million d'euros, financés en partie par l'Europe.",
    "Les habitants de Tours-Nord attendaient cette piscine depuis des années.",
    "Le cinéma Les Studios propose une soirée spéciale consacrée au court métrage.",
    "À la rentrée, une nouvelle ligne de bus desservira les Deux-Lions.",
    "La fréquentation du musée des Beaux-Arts est en nette hausse cet hiver.",
    "Les organisateurs promettent une édition encore plus festive !",
    "Trop cher ? Pas pour les habitués, qui reviennent chaque semaine.",
    "Le bilan est clair : le public a répondu présent.",
    "Les réservations ouvrent lundi à 10 h sur la billetterie en ligne.",
    "L'association compte aujourd'hui quelque 300 adhérents fidèles.",
    "Une centaine d'arbres seront plantés le long du boulevard Béranger.",
    "Le food truck s'installe chaque mardi midi sur le parvis de la gare.",
    "Les plus jeunes ont adoré la chasse au trésor organisée dans le jardin botanique.",
    "La boulangerie de la rue Nationale a remporté le concours de la meilleure baguette.",
    "Rien n'est encore signé, mais les discussions avancent bien.",
    "Le maire a promis une concertation avec les riverains avant l'été.",
    "Le spectacle sera rejoué à la salle Thélème au mois de mars.",
    "Les commerçants espèrent que les travaux ne feront pas fuir les clients.",
    "Une première réunion publique est prévue à la mairie de quartier.",
    "Le lieu a été entièrement repensé pour accueillir des familles.",
    "Un cœur de ville plus vert, c'est l'ambition affichée par la municipalité.",
    "Ici, on vient pour la vue sur la Loire… et pour la tarte aux pommes.",
    "La nouvelle passerelle sera ouverte aux piétons et aux cyclistes.",
    "Bonne nouvelle : la fête foraine revient sur le Champ de Mars.",
    "Les inscriptions sont gratuites et ouvertes à tous les Tourangeaux.",
    "Un atelier de réparation de vélos s'installe sous les arcades de la gare.",
    "La programmation fait la part belle aux groupes de la région.",
    "Les anciens ateliers seront transformés en lieu de création partagé.",
    "On nous l’a souvent répété : rien ne remplace le bouche-à-oreille.",
    "La fanfare ouvrira le défilé à 15 h, place Jean-Jaurès.",
]

# Sentences carrying every trap at once, for the articles that must show them all.
FEATURE_SENTENCES = [
    "Le verdict est tombé : plus de 8 000 personnes ont signé la pétition !",
    "Pourquoi un tel succès ? Les habitants parlent d'un « vrai lieu de vie ».",
]

# Interview questions (always ending with " ?").
QUESTIONS = [
    "Comment est née l'idée du projet ?",
    "Pourquoi avoir choisi Tours ?",
    "Qu'est-ce qui vous a le plus surpris ?",
    "Quels sont vos prochains objectifs ?",
    "Comment financez-vous l'ensemble ?",
    "Avez-vous été soutenus par la Ville ?",
    "Le public a-t-il répondu présent ?",
    "Que diriez-vous à ceux qui hésitent encore ?",
    "Comment se passe une journée type ?",
    "Quelle a été la plus grosse difficulté ?",
    "Comment avez-vous recruté vos bénévoles ?",
    "Qu'est-ce qui rend le quartier si particulier ?",
    "Vous attendiez-vous à un tel engouement ?",
    "Quel est votre meilleur souvenir ?",
    "Avez-vous des projets hors de Touraine ?",
    "Comment les habitants ont-ils réagi ?",
    "Que représente la Loire pour vous ?",
    "Pourquoi miser sur le local ?",
    "Combien de personnes travaillent avec vous ?",
    "Quel conseil donneriez-vous à un jeune créateur ?",
    "Le prix reste-t-il abordable pour tous ?",
    "Comment voyez-vous la suite ?",
    "Qu'avez-vous appris en chemin ?",
    "Quelle place pour les jeunes dans ce projet ?",
    "Faut-il s'inquiéter pour l'avenir du lieu ?",
    "Que change le nouveau tram pour vous ?",
    "Est-ce difficile d'entreprendre à Tours ?",
    "Qui sont vos clients ?",
    "Comment choisissez-vous vos artistes ?",
    "Quel message voulez-vous faire passer ?",
]

# Sub-headings of ordinary articles (h2, never ending with "?").
HEADINGS = [
    "Un projet attendu",
    "Le regard des habitants",
    "Et maintenant, la suite",
    "Des chiffres en hausse",
    "Côté pratique",
    "Une histoire de famille",
    "La Ville s'engage",
    "Les coulisses du chantier",
]

# Lone h2 headings ending with "?" in ordinary articles (not interviews).
QUESTION_HEADINGS = [
    "Et maintenant ?",
    "Un succès durable ?",
    "Combien ça coûte ?",
    "Qui va payer ?",
    "Pourquoi maintenant ?",
]

# Titles are SUBJECT + " " + PREDICATE, sometimes behind a TITLE_PREFIX.
TITLE_SUBJECTS = [
    "La guinguette de Tours",
    "Le Vieux-Tours",
    "Le marché des Halles",
    "La place Plumereau",
    "Le tram",
    "Le jardin des Prébendes",
    "Le festival Aucard",
    "La médiathèque François-Mitterrand",
    "Le quartier des Deux-Lions",
    "L'île Simon",
    "Le musée des Beaux-Arts",
    "La rue Nationale",
    "Le Tours Volley",
    "Le cinéma Les Studios",
    "La gare de Tours",
    "Le Sanitas",
    "L'université",
    "Le jardin botanique",
    "Le centre des congrès",
    "La Métropole",
    "Le quartier Velpeau",
    "La piscine du Lac",
    "Le Champ de Mars",
    "Le boulevard Béranger",
]

TITLE_PREDICATES = [
    "fait peau neuve",
    "rouvre ses portes",
    "cherche des bénévoles",
    "s'offre une nouvelle saison",
    "attire les foules",
    "change d'horaires",
    "mise sur le vélo",
    "fête ses vingt ans",
    "prépare l'été",
    "lance un appel aux habitants",
    "se met au vert",
    "accueille un nouveau festival",
    "s'agrandit",
    "tient son grand rendez-vous",
    "ouvre un atelier pour les enfants",
    "dévoile son programme",
    "passe à l'heure d'hiver",
    "s'invite au cinéma",
    "veut séduire les étudiants",
    "se refait une beauté",
]

TITLE_PREFIXES = ["Écologie", "Culture", "Sortir", "Patrimoine", "Sport", "Quartier"]

# Bylines: (name, slug).  "tmv" is the house byline.
AUTHORS = [
    ("tmv", "tmv"),
    ("Aurélien Germain", "aurelien-germain"),
    ("Jeanne Beutter", "jeanne-beutter"),
    ("Maxime Hillairaud", "maxime-hillairaud"),
    ("Chloé Vernon", "chloe-vernon"),
    ("Thomas Ribault", "thomas-ribault"),
    ("Élise Marchand", "elise-marchand"),
]

# Who signs "Propos recueillis par X".
INTERVIEWERS = ["B.R.", "A.G.", "J.B.", "M.H.", "C.V.", "Thomas Ribault", "Élise Marchand"]

# Categories in the order of the main navigation: (name, slug).
CATEGORIES = [
    ("News", "news"),
    ("Actus ici", "actus-ici"),
    ("Culture", "culture"),
    ("Sport", "sport"),
    ("Sortir", "sortir"),
    ("Vie quotidienne", "vie-quotidienne"),
    ("Société", "societe"),
]

# Tag names as the site spells them (slugs are derived).
TAGS = [
    "agglo",
    "candidature",
    "économie",
    "label",
    "french tech",
    "nouvelles technologies",
    "société",
    "tmv",
    "tmvmag",
    "tour(s) plus",
    "Tours",
    "Loire",
    "Vieux-Tours",
    "gastronomie",
    "musique",
    "patrimoine",
    "sport",
    "start-up",
    "tram",
    "été 2023",
    "vélo",
    "festival",
    "cinéma",
    "Touraine",
    "guinguette",
    "marché",
    "étudiants",
    "jardins",
    "concert",
    "bénévoles",
]

# Image captions (without credit).
CAPTIONS = [
    "Les bords de Loire, un soir d'été.",
    "Le chantier, vu depuis la rue Nationale.",
    "Les bénévoles lors de la dernière édition.",
    "La façade rénovée du bâtiment.",
    "Une partie de l'équipe, devant le local.",
    "Le marché du samedi matin.",
    "La future passerelle, telle que dessinée par les architectes.",
    "Les premiers visiteurs ont découvert le lieu dimanche.",
    "Le public, venu en nombre pour l'ouverture.",
    "Vue aérienne du quartier.",
    "La salle de concert, quelques minutes avant le spectacle.",
    "Les jardins partagés du Sanitas.",
]

PHOTO_CREDITS = [
    "archives NR",
    "tmv",
    "Ville de Tours",
    "Freepik",
    "Aurélien Germain",
    "Métropole de Tours",
    "Jeanne Beutter",
    "collectif Tours Nord",
]

# The credit forms a caption can end with; {} is the credit.
CREDIT_FORMS = ["(Photo {})", "(Photo : {})", "(photo {})", "(Crédit photo : {})"]

# Notes prepended to a paragraph when an article is modified (build_site(modified=m)).
UPDATE_NOTES = [
    "Mise à jour : l'événement est reporté d'une semaine.",
    "Mise à jour : les horaires ont été précisés par les organisateurs.",
    "Mise à jour : la mairie a confirmé le calendrier des travaux.",
    "Mise à jour : les inscriptions sont désormais closes.",
]

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

# The seed: a real tmv article (https://www.tmvtours.fr/article/tours-plus-candidate-au-label-french-tech/),
# rendered in the current layout exactly like the reference page.
SEED = {
    "slug": "tours-plus-candidate-au-label-french-tech",
    "post_id": 20417,
    "title": "Tour(s) plus candidate au label French tech",
    "published": "2015-01-29T10:50:11+01:00",
    "modified": "2015-01-29T10:50:11+01:00",
    "author": ("tmv", "tmv"),
    "lead": "Valérie Sécheret coordonne l’initiative pour l’agglomération tourangelle. "
    "Elle répond à nos questions sur le label French tech.",
    "image": "/wp-content/uploads/sites/tours/mame-french-tech.jpg",
    "caption": "Les anciennes imprimeries Mame vont devenir l’emblème de la candidature tourangelle au label.",
    "credit": "cabinet Franklin Azzi",
    "credit_form": "(Photo {})",
    "categories": [("News", "news")],
    "tags": [
        "agglo",
        "candidature",
        "économie",
        "label",
        "french tech",
        "nouvelles technologies",
        "société",
        "tmv",
        "tmvmag",
        "tour(s) plus",
        "Tours",
    ],
    # Question, answer: each question is a bold run, <br>, then its answer.
    "qa": [
        (
            "Pouvez-vous nous raconter comment cette candidature est née ?",
            "En juillet dernier, des entrepreneurs du numérique sont venus nous rencontrer pour savoir si "
            "l’agglomération postulait au label Metropoles French Tech mis en place par le gouvernement "
            "(le but étant de faire de la France un vivier de start-up innovantes, NDLR). Nous ne savions pas "
            "si l’écosystème était partant pour une telle candidature. Nous ne voulions pas ramer dans le désert.",
        ),
        (
            "L’économie locale a répondu présente à votre appel ?",
            "Le 16 septembre dernier, 130 entreprises sont venues à l’agglo pour un petit-déjeuner. Nous avons "
            "été surpris de l’engouement. Nous avons alors mis en place des groupes de travail, une plateforme "
            "numérique pour échanger les infos afin de travailler sur cette candidature.",
        ),
        (
            "Cette façon de travailler est nouvelle pour vous ?",
            "Oui, elle est unique également. Il existe déjà des métropoles labellisées, mais leur candidature a "
            "été pilotée par des cabinets privés qui ont monté les dossiers. Notre démarche, à Tour(s)plus, est "
            "plus vertueuse, plus longue aussi.",
        ),
        (
            "Quelles sont les spécificités de la candidature tourangelle ?",
            "Nous voulons mettre en avant nos spécialités locales également, toujours dans la perspective du "
            "numérique : tourisme et patrimoine, éco technologie, innovation sociale, bio-médicament. Label ou "
            "non, cette initiative permet de mettre en place une stratégie marketing de notre territoire sur "
            "l’économie numérique.",
        ),
        (
            "Le fab lab, la cantine numérique, la web school… Ce sont quand même des structures relativement "
            "nouvelles sur Tours ?",
            "Oui, cette candidature nous donne les moyens de les faire émerger.",
        ),
    ],
    "interviewer": "B.R.",
    # The seed's "Vous aimerez aussi" links: every site has articles with these slugs and titles.
    "related": [
        ("le-label-french-tech-fait-des-emules", "Le label French Tech fait des émules"),
        ("ecologie-la-metropole-plante-mille-arbres", "Écologie : la Métropole plante mille arbres"),
    ],
}
