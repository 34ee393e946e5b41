"""Deterministic German and English text for the search benchmark: a large vocabulary with Zipf-like frequencies.

Real pages of a social-planning association use thousands of distinct words: a few
very often (Kommune, Planung), most rarely (Pflegestützpunktberatung), many only in
one text. Two-word queries therefore match tens or hundreds of pages, not thousands.
This module reproduces that from the word lists below, without downloads:

* **Vocabulary.** German nouns come with their plural and their joining form, so
  compounds are built the German way (Familie + Armut → Familienarmut, Arbeit + Markt
  → Arbeitsmarkt); several thousand compounds are drawn with a fixed seed. Adjectives
  and verbs are inflected, town names and surnames added. English words get plurals
  and verb forms, and English "compounds" are hyphenated modifiers (community-based).
* **Frequencies.** Words are ranked (simple words before compounds, shuffled with the
  seed) and drawn with probability ∝ 1 / (rank + 30): Zipf–Mandelbrot, as in real text,
  the offset standing for the function words ranked above every content word. Function
  words make up about 40 % of the tokens, as they do in prose.
* **Topics.** Each page has a handful of topic words that recur in its title and text
  (real texts are "bursty"), which makes two-word queries from one page co-occur.
* **Queries** are what people type: mostly two words of one page (they co-occur),
  some two independent common words, some with a rare word, some with a word that
  occurs nowhere (a typo or an unknown word).

Everything depends only on the seed, so two runs build the same corpus.
"""

import bisect
import itertools
import random
from dataclasses import dataclass, field

# --- German ---------------------------------------------------------------------------

# singular/plural suffix (or "=Plural")/joining suffix for compounds
GERMAN_NOUNS = """
Familie/n/n Kind/er/er Jugend/-/ Armut/-/s Pflege/-/ Planung/en/s Kommune/n/n Stadt/=Städte/
Gemeinde/n/n Kreis/e/ Land/=Länder/es Bund/-/es Quartier/e/s Raum/=Räume/ Sozialraum/=Sozialräume/
Arbeit/en/s Markt/=Märkte/ Bildung/-/s Schule/n/n Hilfe/n/ Beratung/en/s Betreuung/-/s Versorgung/-/s
Wohnung/en/s Wohnen/-/s Miete/n/n Haus/=Häuser/ Heim/e/ Alter/-/s Senior/en/en Rente/n/n Gesundheit/-/s
Krankheit/en/s Arzt/=Ärzte/ Klinik/en/ Praxis/=Praxen/ Dienst/e/ Leistung/en/s Anspruch/=Ansprüche/s
Recht/e/s Gesetz/e/es Verordnung/en/s Richtlinie/n/n Verwaltung/en/s Amt/=Ämter/s Behörde/n/n
Träger/-/ Verband/=Verbände/s Verein/e/s Stiftung/en/s Netzwerk/e/ Kooperation/en/s Konferenz/en/
Tagung/en/s Sitzung/en/s Ausschuss/=Ausschüsse/ Rat/=Räte/s Beirat/=Beiräte/s Bürger/-/ Bürgerin/nen/nen
Beteiligung/en/s Teilhabe/-/ Inklusion/-/s Integration/-/s Migration/-/s Zuwanderung/-/s Flucht/-/
Sprache/n/n Kurs/e/ Kita/s/ Krippe/n/n Hort/e/ Ganztag/e/s Ferien/-/ Sport/-/ Verein/e/s Kultur/en/
Bibliothek/en/s Museum/=Museen/s Jugendzentrum/=Jugendzentren/s Treff/s/ Begegnung/en/s Nachbarschaft/en/s
Ehrenamt/=Ehrenämter/s Freiwillige/n/n Engagement/s/ Fachkraft/=Fachkräfte/ Personal/-/ Stelle/n/n
Ausbildung/en/s Studium/=Studien/s Beruf/e/s Betrieb/e/s Unternehmen/-/s Wirtschaft/-/s Einkommen/-/s
Lohn/=Löhne/ Steuer/n/ Haushalt/e/s Finanzierung/en/s Förderung/en/s Mittel/-/ Budget/s/ Kosten/-/
Daten/-/ Statistik/en/ Indikator/en/en Bericht/e/s Monitoring/s/ Analyse/n/n Befragung/en/s Studie/n/n
Erhebung/en/s Auswertung/en/s Kennzahl/en/en Ziel/e/ Strategie/n/n Konzept/e/ Steuerung/en/s Wirkung/en/s
Evaluation/en/s Qualität/en/s Standard/s/ Prozess/e/ Verfahren/-/s Projekt/e/ Programm/e/ Modell/e/
Mobilität/-/s Verkehr/-/s Bus/se/ Bahn/en/ Weg/e/ Straße/n/n Platz/=Plätze/ Park/s/ Grün/-/ Umwelt/-/
Klima/-/ Energie/n/ Hitze/-/ Schutz/-/ Sicherheit/-/s Gewalt/-/ Sucht/=Süchte/ Drogen/-/ Schulden/-/
Wohnungslosigkeit/-/ Obdach/-/ Notlage/n/n Krise/n/n Pandemie/n/ Zukunft/-/s Wandel/-/s Demografie/-/
Digitalisierung/-/s Technik/en/ Plattform/en/ Portal/e/ Software/s/ Internet/-/ Medien/-/ Öffentlichkeit/-/s
Kommunikation/-/s Information/en/s Wissen/-/s Forschung/en/s Hochschule/n/n Praxis/=Praxen/ Erfahrung/en/s
Region/en/s Landkreis/e/ Dorf/=Dörfer/ Zentrum/=Zentren/s Innenstadt/=Innenstädte/ Siedlung/en/s Viertel/-/s
Eltern/-/ Mutter/=Mütter/ Vater/=Väter/ Frau/en/en Mann/=Männer/ Mädchen/-/ Junge/n/n Mensch/en/en
Person/en/en Gruppe/n/n Generation/en/en Behinderung/en/s Assistenz/en/ Barriere/n/n Zugang/=Zugänge/s
Gleichstellung/-/s Vielfalt/-/ Demokratie/n/ Politik/-/ Wahl/en/ Partei/en/ Mehrheit/en/s Haltung/en/s
Verantwortung/en/s Aufgabe/n/n Pflicht/en/ Vorsorge/-/ Prävention/-/s Intervention/en/s Fall/=Fälle/
Hilfeplan/=Hilfepläne/ Antrag/=Anträge/s Bescheid/e/s Frist/en/ Termin/e/ Woche/n/n Jahr/e/es Monat/e/s
"""
GERMAN_ADJECTIVES = """
sozial kommunal regional lokal ländlich städtisch öffentlich privat frei gemeinnützig freiwillig
ehrenamtlich hauptamtlich fachlich politisch rechtlich finanziell wirtschaftlich demografisch digital
neu alt jung klein groß lang kurz stark schwach arm reich gesund krank sicher offen gemeinsam
nachhaltig wirksam präventiv inklusiv barrierefrei integriert verbindlich erfolgreich wichtig
zentral dezentral gleichwertig familienfreundlich generationengerecht kinderreich alleinerziehend
pflegebedürftig wohnungslos arbeitslos zugewandert geflüchtet kulturell interkulturell bundesweit
landesweit kreisfrei kreisangehörig strategisch operativ statistisch empirisch qualitativ quantitativ
"""
GERMAN_VERBS = """
plan steuer förder unterstütz berat begleit betreu versorg stärk sicher entwickel verbesser beteilig
inform organisier finanzier evaluier analysier erheb bericht vernetz koordinier gestalt verändern
wirk erreich ermöglich vermeid verhinder beantrag bewillig prüf leb wohn arbeit lern spiel
"""
GERMAN_FUNCTION = """
die der das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden
aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur
oder aber vor zur bis mehr durch man sein wurde sei wenn können ihre diese alle ihrer damit
"""
GERMAN_PLACES = """
Osnabrück Quakenbrück Bielefeld Münster Kassel Göttingen Hannover Bremen Oldenburg Emden Lingen
Vechta Cloppenburg Paderborn Detmold Minden Herford Gütersloh Hamm Dortmund Bochum Essen Duisburg
Leipzig Dresden Chemnitz Erfurt Jena Weimar Halle Magdeburg Rostock Schwerin Greifswald Potsdam
Cottbus Freiburg Konstanz Ulm Augsburg Regensburg Passau Würzburg Bamberg Nürnberg Fürth Erlangen
Mainz Trier Koblenz Saarbrücken Kiel Lübeck Flensburg Husum Celle Lüneburg Stade Cuxhaven Aurich
"""
SURNAMES = """
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier
Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz
Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz
Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein
Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Dietrich Ziegler Kuhn Kühn Pohl
"""

# --- English --------------------------------------------------------------------------

ENGLISH_NOUNS = """
family child youth poverty care planning municipality city council county district region state
community neighbourhood area space housing home rent house shelter homelessness health illness doctor
clinic hospital service benefit entitlement right law regulation guideline administration office
authority provider association charity foundation network cooperation partnership conference meeting
committee board citizen resident participation inclusion integration migration refugee asylum language
course nursery kindergarten school pupil teacher student university college training apprenticeship job
work employment unemployment labour market business company economy income wage tax budget funding
grant cost data statistic indicator report survey study analysis evaluation monitoring target goal
strategy concept governance impact outcome quality standard process procedure project programme model
mobility transport bus train road street square park environment climate energy heat safety security
violence addiction debt crisis pandemic future change demography digitalisation technology platform
portal software internet media public communication information knowledge research practice experience
village centre suburb estate parent mother father woman man girl boy person group generation disability
assistance barrier access equality diversity democracy politics election party majority attitude
responsibility task duty prevention intervention case plan application decision deadline appointment
week year month volunteer volunteering engagement worker staff skill pension retirement elder ageing
library museum culture sport club festival playground garden allotment food meal kitchen water
"""
ENGLISH_ADJECTIVES = """
social local regional rural urban public private voluntary statutory professional political legal
financial economic demographic digital new old young small large long short strong weak poor rich
healthy sick safe open shared sustainable effective preventive inclusive accessible integrated
binding successful important central decentralised equal family-friendly single-parent vulnerable
homeless unemployed migrant nationwide statewide strategic operational statistical empirical qualitative
quantitative early late annual monthly weekly affordable independent disabled elderly
"""
ENGLISH_VERBS = """
plan steer fund support advise accompany provide strengthen secure develop improve involve inform
organise finance evaluate analyse collect report connect coordinate shape change reach enable avoid
prevent apply approve check live work learn play help visit meet build share
"""
ENGLISH_FUNCTION = """
the of and to in a is that for it as was with be by on not he this are or his from at which but have
an they you were their one all we can her has there been if more when will would who so no our its
"""
ENGLISH_PLACES = """
Manchester Leeds Sheffield Bristol Leicester Coventry Bradford Nottingham Derby Plymouth Southampton
Reading Luton Bolton Bournemouth Norwich Swindon Oxford Cambridge Ipswich York Exeter Chester Bath
Durham Lancaster Preston Wigan Salford Stockport Oldham Rochdale Dundee Aberdeen Inverness Stirling
Swansea Cardiff Newport Wrexham Belfast Derry Lisburn Newry Galway Cork Limerick Sligo Kilkenny
"""
ENGLISH_PREFIXES = "community evidence place area needs person outcome family child age rights cross multi long"
ENGLISH_SUFFIXES = "based led centred focused oriented wide specific friendly sensitive related driven level term"


def words(text):
    return text.split()


def german_noun_forms(entry):
    singular, plural, joining = entry.split("/")
    if plural == "-":
        plural_form = singular
    elif plural.startswith("="):
        plural_form = plural[1:]
    else:
        plural_form = singular + plural
    return singular, plural_form, singular + joining


def german_vocabulary(rng, compounds):
    nouns = [german_noun_forms(entry) for entry in words(GERMAN_NOUNS)]
    simple = []
    for singular, plural, _joining in nouns:
        simple += [singular, plural] if plural != singular else [singular]
    for adjective in words(GERMAN_ADJECTIVES):
        simple += [adjective + ending for ending in ("", "e", "en", "er", "es")]
    for verb in words(GERMAN_VERBS):
        infinitive = verb + ("n" if verb.endswith(("er", "el")) else "en")
        simple += [infinitive, verb + "t", "ge" + verb + "t", verb + "ung"]
    simple += words(GERMAN_PLACES) + words(SURNAMES)
    made = set()
    pairs = list(itertools.permutations(range(len(nouns)), 2))
    rng.shuffle(pairs)
    for first, second in pairs:
        if len(made) >= compounds:
            break
        head = nouns[second]
        word = nouns[first][2] + head[0].lower()
        made.add(word)
        if rng.random() < 0.3 and head[1] != head[0]:
            made.add(nouns[first][2] + head[1].lower())
    return dedupe(simple), sorted(made)


def english_plural(noun):
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    return noun + "s"


def english_verb_forms(verb):
    stem = verb[:-1] if verb.endswith("e") else verb
    return [verb, verb + ("es" if verb.endswith(("s", "sh", "ch")) else "s"), stem + "ed", stem + "ing"]


def english_vocabulary(rng, compounds):
    simple = []
    for noun in words(ENGLISH_NOUNS):
        simple += [noun, english_plural(noun)]
    simple += words(ENGLISH_ADJECTIVES)
    for verb in words(ENGLISH_VERBS):
        simple += english_verb_forms(verb)
    simple += words(ENGLISH_PLACES) + words(SURNAMES)
    nouns = words(ENGLISH_NOUNS)
    made = {f"{prefix}-{suffix}" for prefix in words(ENGLISH_PREFIXES) for suffix in words(ENGLISH_SUFFIXES)}
    pairs = list(itertools.permutations(nouns, 2))
    rng.shuffle(pairs)
    for first, second in pairs:
        if len(made) >= compounds:
            break
        # Modifier nouns as English writes them: "housing-benefit", "care-home" …
        made.add(f"{first}-{second}")
    return dedupe(simple), sorted(made)


def dedupe(items):
    return list(dict.fromkeys(items))


class Zipf:
    """Draws words with probability ∝ 1 / (rank + offset), the first word being the most frequent."""

    def __init__(self, ranked, exponent=1.0, offset=30):
        self.words = ranked
        self.cumulative = list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(len(ranked))))

    def __call__(self, rng):
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass
class Language:
    code: str
    simple: list
    compounds: list
    function_words: list
    zipf: Zipf = field(init=False)

    def __post_init__(self):
        self.ranked = self.simple + self.compounds
        self.zipf = Zipf(self.ranked)
        self.vocabulary = set(self.ranked)


def languages(seed):
    rng = random.Random(seed)
    languages_ = {}
    # German writes many more compounds than English writes hyphenated modifiers.
    for code, vocabulary, function_words, compounds, frequent in (
        ("de", german_vocabulary, GERMAN_FUNCTION, 4000, 40),
        ("en", english_vocabulary, ENGLISH_FUNCTION, 1500, 0),
    ):
        simple, made = vocabulary(rng, compounds)
        rng.shuffle(simple)
        rng.shuffle(made)
        # Simple words are more frequent than compounds; a few compounds rank high anyway
        # (Sozialplanung is as common as Kommune on this site).
        ranked = simple[:]
        for compound in made[:frequent]:
            ranked.insert(rng.randrange(len(ranked) // 3), compound)
        languages_[code] = Language(code, ranked, made[frequent:], words(function_words))
    return languages_


@dataclass
class Document:
    title: str
    intro: str
    paragraphs: list
    questions: list
    content_words: set


class Writer:
    """Pages of one language: each with a few topic words that recur, the rest drawn by frequency."""

    FUNCTION_SHARE = 0.4
    TOPIC_SHARE = 0.12

    def __init__(self, language, rng):
        self.language = language
        self.rng = rng

    def content_word(self, topic):
        if self.rng.random() < self.TOPIC_SHARE:
            return self.rng.choice(topic)
        return self.language.zipf(self.rng)

    def sentence(self, topic, length, used):
        tokens = []
        for _ in range(length):
            if self.rng.random() < self.FUNCTION_SHARE:
                tokens.append(self.rng.choice(self.language.function_words))
            else:
                word = self.content_word(topic)
                used.add(word)
                tokens.append(word)
        text = " ".join(tokens)
        return text[0].upper() + text[1:]

    def document(self):
        rng = self.rng
        topic = [self.language.zipf(rng) for _ in range(rng.randint(3, 6))]
        used = set(topic)
        title_words = topic[:2] + [self.content_word(topic) for _ in range(rng.randint(0, 4))]
        rng.shuffle(title_words)
        title = " ".join(title_words)
        title = title[0].upper() + title[1:]
        intro = self.sentence(topic, rng.randint(12, 24), used) + "."
        paragraphs = [
            " ".join(self.sentence(topic, rng.randint(8, 22), used) + "." for _ in range(rng.randint(3, 6)))
            for _ in range(rng.randint(2, 6))
        ]
        questions = [self.sentence(topic, rng.randint(6, 12), used) + "?" for _ in range(rng.randint(0, 3))]
        return Document(title, intro, paragraphs, questions, used)


def typo(word, rng):
    """A misspelling: two neighbouring letters swapped, or one doubled."""
    if len(word) < 4:
        return word + word[-1]
    position = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    return word[:position] + word[position] + word[position:]


def queries(language, documents, count, rng):
    """Two-word queries as visitors type them, with how each was made (for the report)."""
    made = []
    tail = language.compounds[len(language.compounds) // 2 :]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.55:  # two words of one page: found
            words_of_page = sorted(rng.choice(documents).content_words)
            first, second = rng.sample(words_of_page, 2)
            kind = "co-occurring"
        elif roll < 0.75:  # two common words, independently
            first, second = language.zipf(rng), language.zipf(rng)
            kind = "independent"
        elif roll < 0.90:  # a common and a rare word
            first, second = language.zipf(rng), rng.choice(tail)
            kind = "rare"
        else:  # a word that occurs nowhere
            first = language.zipf(rng)
            second = typo(language.zipf(rng), rng)
            while second in language.vocabulary:
                second = typo(second, rng)
            kind = "absent"
        if rng.random() < 0.3:
            first, second = first.lower(), second.lower()
        made.append((f"{first} {second}", kind))
    return made
