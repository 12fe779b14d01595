"""Synthetic consultation corpora for tests and benchmarks — never real proposals.

Texts are put together from sentence patterns and word lists about the strategy's topics
and a few topics outside it, so that they read like short Norwegian proposals and are
varied enough that two independent texts rarely share a sentence. Campaigns are injected
as exact copies, copies with personal additions and copies with reordered paragraphs, and
the generator returns which texts belong to which campaign, so detection can be scored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TOPICS: dict[str, list[str]] = {
    "klima": [
        "utslippskutt",
        "fornybar energi",
        "solceller på næringsbygg",
        "sirkulær økonomi",
        "gjenbruk av byggematerialer",
        "klimaregnskap for bedrifter",
        "biogass",
    ],
    "kommune": [
        "raskere byggesaksbehandling",
        "én kontaktperson for næringslivet",
        "forutsigbare gebyrer",
        "oppdaterte reguleringsplaner",
        "digitale søknader",
    ],
    "infrastruktur": [
        "dobbeltspor på Kongsvingerbanen",
        "firefelts riksvei 2",
        "nettkapasitet",
        "byggeklare næringstomter",
        "fiber i grendene",
        "bedre busstilbud",
    ],
    "kompetanse": [
        "flere lærlingplasser",
        "fagskole i automasjon",
        "desentralisert studietilbud",
        "etter- og videreutdanning",
        "et regionalt FoU-program",
    ],
    "rekruttering": [
        "markedsføring mot tilflyttere",
        "jobb til medflyttere",
        "integrering av flyktninger",
        "et levende sentrum",
        "en rekrutteringsportal",
    ],
    "samarbeid": [
        "et felles næringsapparat",
        "samarbeid med Värmland",
        "et regionalt nettverk",
        "felles søknader om statlige midler",
        "deltakelse i Innlandsporteføljen",
    ],
    "digital": [
        "kunstig intelligens i saksbehandlingen",
        "kurs i digital markedsføring",
        "datasikkerhet for små bedrifter",
        "åpne data fra kommunene",
        "automatisering",
    ],
    "skog": [
        "lokal foredling av tømmer",
        "skogsbilveier",
        "massivtre i offentlige bygg",
        "kortreist mat i kantinene",
        "vern av dyrket mark",
        "bioenergi fra skogsflis",
    ],
    "industri": [
        "en industripark",
        "ny produksjonsteknologi",
        "støtte til produktutvikling",
        "tomter for store industrietableringer",
        "industriell symbiose",
    ],
    "logistikk": [
        "en godsterminal",
        "lager og distribusjon ved E16",
        "flere yrkessjåfører",
        "tømmer på jernbane",
        "hvileplasser for vogntog",
    ],
    "bygg": [
        "mindre anbudskontrakter",
        "rehabilitering av eldre bygg",
        "flere leiligheter",
        "lokale håndverkere i offentlige prosjekter",
        "flere fagbrev i byggfag",
    ],
    "kunnskap": [
        "et kontorfellesskap for konsulenter",
        "lokale ingeniørtjenester",
        "statlige arbeidsplasser",
        "rådgivning i økonomi",
        "IT-bedrifter fra Oslo",
    ],
    "helse": [
        "bedre legevakt",
        "kortere ventetid på sykehuset",
        "flere fastleger",
        "et lokalt fødetilbud",
        "helsetjenester nær folk",
    ],
    "kultur": [
        "et nytt kulturhus",
        "flere idrettsanlegg",
        "tilskudd til frivilligheten",
        "lengre åpningstid på biblioteket",
        "en ny svømmehall",
    ],
}
PLACES = [
    "Kongsvinger",
    "Eidskog",
    "Grue",
    "Nord-Odal",
    "Sør-Odal",
    "Åsnes",
    "Skotterud",
    "Magnor",
    "Kirkenær",
    "Flisa",
    "Skarnes",
    "Sand",
    "Brandval",
    "Austmarka",
]
OPENINGS = [
    "Vi mener at",
    "Jeg foreslår at",
    "Det er viktig at",
    "Strategien bør sikre at",
    "Næringsforeningen ber om at",
    "Det haster med at",
    "Vi håper at",
    "Jeg ønsker at",
    "Styret vårt har drøftet saken og anbefaler at",
    "Mange her savner at",
    "Eg meiner at",
    "Bondelaget ber om at",
    "Ungdomsrådet foreslår at",
    "Etter vår erfaring er det nødvendig at",
    "Vi vil understreke at",
    "Som nabo til industriområdet vil jeg at",
]
ACTORS = [
    "kommunene",
    "regionen",
    "fylkeskommunen",
    "staten",
    "næringslivet",
    "regionrådet",
    "Kongsvinger kommune",
    "de seks kommunene",
    "næringsselskapet",
    "Innlandet fylke",
    "politikerne",
    "administrasjonen",
]
VERBS = [
    "prioriterer",
    "satser på",
    "legger til rette for",
    "finansierer",
    "utreder",
    "tar ansvar for",
    "planlegger",
    "setter av penger til",
    "går i gang med",
    "samarbeider om",
    "gir støtte til",
    "lager en plan for",
    "jobber for",
    "løfter fram",
]
REASONS = [
    "ellers flytter bedriftene",
    "det gir flere arbeidsplasser",
    "ungdommen vil bli boende",
    "det styrker konkurransekraften",
    "vi taper mot nabokommunene i dag",
    "det lønner seg på sikt",
    "folk trenger det i hverdagen",
    "det haster før 2028",
    "behovet vokser hvert år",
    "mange små bedrifter er avhengige av det",
    "ventetiden har blitt for lang",
    "pendlerne merker det hver morgen",
    "investorene ser etter slike regioner",
    "vi har sett det virke i Värmland",
    "befolkningen blir eldre",
    "skatteinntektene må økes",
    "unge familier spør etter det",
    "konkurrentene våre har det allerede",
    "det gir et bedre omdømme",
    "vi ikke har råd til å vente",
]
PATTERNS = [
    "{opening} {actor} {verb} {thing} i {place}, fordi {reason}.",
    "{Thing} i {place} er noe {actor} må ta tak i nå. Grunnen er enkel: {reason}.",
    "Hvorfor har ikke {actor} fått på plass {thing}? I {place} {reason_clause}.",
    "Vårt viktigste innspill gjelder {thing}. {Opening} {actor} {verb} dette, for {reason}.",
]
EXTRAS = [
    "Dette er særlig viktig i {place}.",
    "Vi har ventet på dette i {n} år.",
    "Over {n} bedrifter i {place} står bak dette.",
    "Se også vårt innspill fra {year}.",
    "I {place} merker vi behovet hver dag.",
    "Det bør skje innen {year}.",
]
FIRST_NAMES = ["Kari", "Ola", "Ingrid", "Per", "Fatima", "Ahmed", "Siri", "Lars", "Marte", "Jonas"]
LAST_NAMES = ["Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Bakken", "Ali", "Nilsen"]
PERSONAL = [
    "Jeg har bodd i {place} i {n} år og kjenner dette godt.",
    "Selv driver jeg en liten bedrift i {place} med {n} ansatte.",
    "Som forelder i {place} ser jeg hvor viktig dette er.",
    "Vi har {n} barn som håper å kunne bli boende i {place}.",
    "Jeg pendler fra {place} hver dag og vet hvordan det er.",
    "Min familie har drevet gård i {place} i {n} generasjoner.",
]


@dataclass(frozen=True)
class SyntheticCorpus:
    refs: list[str]
    texts: list[str]
    topics: list[str]
    campaign_of: dict[str, str]  # ref → campaign id, for injected campaign copies only


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(
        place=rng.choice(PLACES), n=rng.randint(2, 60), year=rng.randint(2016, 2030)
    )


def synthetic_sentence(rng: random.Random, topic: str) -> str:
    thing = rng.choice(TOPICS[topic])
    opening = rng.choice(OPENINGS)
    reason = rng.choice(REASONS)
    return rng.choice(PATTERNS).format(
        opening=opening,
        Opening=opening[0].upper() + opening[1:],
        actor=rng.choice(ACTORS),
        verb=rng.choice(VERBS),
        thing=thing,
        Thing=thing[0].upper() + thing[1:],
        place=rng.choice(PLACES),
        reason=reason,
        reason_clause=f"sier folk at {reason}",
    )


def synthetic_proposal(rng: random.Random, topic: str) -> str:
    """Two to four paragraphs, mostly about one topic, sometimes touching another."""
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        t = topic if rng.random() < 0.75 else rng.choice(list(TOPICS))
        body = synthetic_sentence(rng, t)
        if rng.random() < 0.5:
            body += " " + _fill(rng, rng.choice(EXTRAS))
        paragraphs.append(body)
    return "\n\n".join(paragraphs)


def synthetic_signature(rng: random.Random) -> str:
    return f"Hilsen {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def synthetic_corpus(
    n_documents: int,
    n_campaigns: int = 0,
    copies_per_campaign: tuple[int, int] = (5, 40),
    seed: int = 2024,
) -> SyntheticCorpus:
    """`n_documents` texts, of which some are copies of `n_campaigns` injected campaigns
    (a third exact, a third with personal additions, a third with paragraphs reordered)."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    texts: list[str] = []
    labels: list[str] = []
    campaign_of: dict[int, str] = {}
    for c in range(n_campaigns):
        topic = rng.choice(topics)
        template = synthetic_proposal(rng, topic).split("\n\n")
        while len(template) < 3:
            template.append(synthetic_sentence(rng, topic))
        for k in range(rng.randint(*copies_per_campaign)):
            if len(texts) >= n_documents:
                break
            paragraphs = list(template)
            if k % 3 == 1:
                paragraphs.insert(0, _fill(rng, rng.choice(PERSONAL)))
                paragraphs.append(_fill(rng, rng.choice(PERSONAL)))
            elif k % 3 == 2:
                rng.shuffle(paragraphs)
            text = "\n\n".join(paragraphs)
            if k % 3 != 0 and rng.random() < 0.5:
                text += "\n\n" + synthetic_signature(rng)
            campaign_of[len(texts)] = f"campaign-{c + 1}"
            texts.append(text)
            labels.append(topic)
    while len(texts) < n_documents:
        topic = rng.choice(topics)
        texts.append(synthetic_proposal(rng, topic))
        labels.append(topic)
    order = list(range(len(texts)))
    rng.shuffle(order)
    refs = [f"syn-{i + 1:06d}" for i in range(len(texts))]
    return SyntheticCorpus(
        refs=refs,
        texts=[texts[i] for i in order],
        topics=[labels[i] for i in order],
        campaign_of={
            refs[new]: campaign_of[old] for new, old in enumerate(order) if old in campaign_of
        },
    )


# --- Synthetic e-mails: a proposal wrapped in the letter around it -----------------------
# Made-up people (names, phone numbers, addresses) for tests of cleaning and scrubbing.
EMAIL_FIRST_NAMES = ["Anne", "Nils", "Ingrid", "Kari", "Ola", "Per", "Siri", "Lars", "Marte"]
EMAIL_LAST_NAMES = ["Moen", "Berg", "Strand", "Nordmann", "Olsen", "Haugen", "Bakken", "Dahl"]
EMAIL_STREETS = ["Storgata", "Kirkegata", "Parkvegen", "Brugata", "Skolevegen", "Kongens gate"]
EMAIL_POST_PLACES = ["2211 Kongsvinger", "2260 Kirkenær", "2230 Skotterud", "2270 Flisa"]
EMAIL_TITLES = ["Daglig leder", "Styreleder", "Rådgiver", "Gårdbruker", "Innehaver"]
SECRETARIAT = "Kongsvingerregionen <post@kongsvingerregionen.example>"
# {text} is the proposal; the rest is what e-mail programs and people put around it.
EMAIL_STYLES = [
    "Hei,\n\n{text}\n\nHilsen {name}, Tlf {phone}, {street}, {post_place}\n\nSendt fra min iPhone",
    "Hei Kongsvingerregionen!\n\n{text}\n\nMed vennlig hilsen\n\n{name}\n{title}\nTlf: {phone}\n"
    "{email}\n\nDenne e-posten kan inneholde konfidensiell informasjon og er kun ment for "
    "mottakeren.\nHvis du har mottatt den ved en feil, ber vi deg slette den.",
    "{text}\n\nMvh\n{name}\n{street}\n{post_place}\n\n"
    "Den tir. 4. jun. 2024 kl. 09:12 skrev {secretariat}:\n"
    "> Vi ber om innspill til næringsstrategien.\n> Fristen er 15. juni.",
    "God dag.\n\n{text}\n\nVennlig hilsen {name}\nMobil {phone}\n\n"
    "-----Opprinnelig melding-----\nFra: {secretariat}\nSendt: 1. juni 2024 10:00\n"
    "Til: {name} <{email}>\nEmne: Høring om næringsstrategien\n\n"
    "Hei, send gjerne innspill innen 15. juni.",
    "Hi,\n\n{text}\n\nBest regards,\n{name}\n{phone}\n\nSent from my iPhone\n\n"
    "On Tue, 4 Jun 2024 at 09:12, {secretariat} wrote:\n> Please send your proposal.",
    "Hei!\nJeg heter {name} og bor i {place}.\n\n{text}\n\n{name}\nTlf {phone}\n{email}",
    "Til Kongsvingerregionen\n\n{text}\n\nHilsen {first}\n\nSendt fra Outlook for Android\n\n"
    "________________________________\nFrom: {secretariat}\nSent: Monday, June 3, 2024 9:00\n"
    "To: {email}\nSubject: Høring\n\nHei, vi ber om innspill.",
    "Hei, her er innspillet mitt.\n\n{text}\n\nMed venleg helsing\n{name}\n{street}, "
    "{post_place}\n\nVennligst tenk på miljøet før du skriver ut denne e-posten.",
]


@dataclass(frozen=True)
class SyntheticEmail:
    """A made-up e-mailed proposal: the From header, the body, and who "sent" it."""

    sender: str  # the From header: "Name <address>", or the bare address
    body: str
    name: str
    phone: str
    street: str


def _synthetic_phone(rng: random.Random) -> str:
    digits = f"{rng.choice('49')}{rng.randint(0, 9_999_999):07d}"
    a, b, c, d = digits[:2], digits[2:4], digits[4:6], digits[6:]
    return rng.choice(
        [f"{digits[:3]} {digits[3:5]} {digits[5:]}", f"{a} {b} {c} {d}", f"+47 {digits}", digits]
    )


def synthetic_email(rng: random.Random, text: str, style: int | None = None) -> SyntheticEmail:
    """`text` as a made-up person would e-mail it: greeting, signature with phone and
    address, a disclaimer, a phone's "Sendt fra" line or a quoted earlier message (one of
    EMAIL_STYLES). Every third sender gives no name in the From header."""
    first, last = rng.choice(EMAIL_FIRST_NAMES), rng.choice(EMAIL_LAST_NAMES)
    name = f"{first} {last}"
    address = f"{first}.{last}@example.org".lower()
    street = f"{rng.choice(EMAIL_STREETS)} {rng.randint(1, 120)}"
    phone = _synthetic_phone(rng)
    style = rng.randrange(len(EMAIL_STYLES)) if style is None else style
    body = EMAIL_STYLES[style].format(
        text=text,
        name=name,
        first=first,
        phone=phone,
        street=street,
        post_place=rng.choice(EMAIL_POST_PLACES),
        place=rng.choice(PLACES),
        title=rng.choice(EMAIL_TITLES),
        email=address,
        secretariat=SECRETARIAT,
    )
    sender = address if rng.random() < 1 / 3 else f"{name} <{address}>"
    return SyntheticEmail(sender, body, name, phone, street)
