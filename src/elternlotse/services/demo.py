"""Deterministic demo families for trying the app and for benchmarks.

Names are written the way families write them: in their own script, or in the
Latin spelling people actually use in Germany (with and without diacritics).
No nationality or origin is stored: only names, languages and contacts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from elternlotse.domain.consent import Channel, ConsentEntry, Evidence, Purpose
from elternlotse.domain.family import Child, Family, Guardian, Messenger
from elternlotse.store import families as repo

# language -> (guardian given names, family names, child names, write in own script?)
NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "tr": (["Ayşe", "Fatma", "Emine", "Hatice", "Mehmet", "Mustafa", "Hüseyin", "İbrahim"],
           ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan"],
           ["Elif", "Zeynep", "Yusuf", "Emir", "Ecrin", "Kerem", "Işıl", "Ömer"]),
    "ar": (["محمد", "أحمد", "فاطمة", "مريم", "Mohammed", "Ahmad", "Fatima", "Rania"],
           ["العلي", "حسن", "الأحمد", "Al-Hassan", "Khalil", "Haddad", "Nasser", "Saleh"],
           ["Yousef", "Lana", "Omar", "Sham", "Karam", "Jana", "يوسف", "لين"]),
    "fa": (["Zahra", "Mahmoud", "Farid", "Shirin", "زهرا", "محمود"],
           ["Ahmadi", "Hosseini", "Rahimi", "Karimi", "احمدی", "حسینی"],
           ["Ali", "Sara", "Hamid", "Parisa", "Amir", "Nilofar"]),
    "ps": (["Gul", "Wahid", "Nazia", "Rahmatullah"], ["Sherzad", "Khan", "Stanikzai", "Wardak"],
           ["Bilal", "Mariam", "Idris", "Hadia"]),
    "ru": (["Olga", "Irina", "Sergej", "Ольга", "Сергей", "Natalja"],
           ["Iwanow", "Petrowa", "Смирнов", "Kuznezow", "Wolkowa", "Попова"],
           ["Daniel", "Sofia", "Maxim", "Alina", "Nikita", "Polina"]),
    "uk": (["Олена", "Оксана", "Андрій", "Olena", "Oksana", "Andrij"],
           ["Коваленко", "Шевченко", "Бондаренко", "Kovalenko", "Shevchenko", "Melnyk"],
           ["Марія", "Артем", "Sofiia", "Maksym", "Anastasiia", "Bohdan"]),
    "pl": (["Agnieszka", "Katarzyna", "Piotr", "Tomasz"], ["Nowak", "Kowalski", "Wiśniewska", "Wójcik"],
           ["Zofia", "Jakub", "Kacper", "Julia"]),
    "ro": (["Ioana", "Maria", "Andrei", "Mihai"], ["Popescu", "Ionescu", "Dumitru", "Stan"],
           ["Ana", "Ştefan", "Darius", "Bianca"]),
    "bg": (["Мария", "Георги", "Desislava", "Ivan"], ["Иванова", "Petrov", "Georgiev", "Димитров"],
           ["Nikol", "Aleksandar", "Viktoria", "Martin"]),
    "kmr": (["Rojda", "Berfîn", "Dilan", "Azad"], ["Ronahî", "Aslan", "Dağ", "Zîrek"],
            ["Rojîn", "Baran", "Hêvî", "Serhat"]),
    "ckb": (["Shilan", "Karwan", "شیلان", "کاروان"], ["Abdullah", "Rasul", "عەبدوڵڵا", "Mahmud"],
            ["Lana", "Aram", "Rebin", "Sozan"]),
    "ti": (["ሳባ", "ዮሐንስ", "Saba", "Yohannes", "Mebrat", "Tesfay"], ["ገብረሂወት", "Gebrehiwet", "Tesfamariam", "Haile"],
           ["Selam", "Natnael", "Luwam", "Filmon"]),
    "so": (["Hodan", "Abdirahman", "Fadumo"], ["Warsame", "Farah", "Mohamud"], ["Ayaan", "Liban", "Hamdi"]),
    "sq": (["Arta", "Besnik", "Drita"], ["Krasniqi", "Berisha", "Hoxha"], ["Erion", "Elira", "Dion"]),
    "de": (["Sabine", "Thomas", "Anja"], ["Müller", "Schneider", "Fischer"], ["Lena", "Paul", "Mia"]),
}
LANGUAGE_WEIGHTS = {"tr": 18, "ar": 16, "uk": 10, "ru": 9, "fa": 7, "pl": 6, "ro": 5, "bg": 4, "kmr": 4,
                    "ckb": 3, "ps": 3, "ti": 3, "so": 2, "sq": 3, "de": 2}
SCHOOLS = ["Gesamtschule Hagen-Haspe", "Realschule Emst", "Hauptschule Vorhalle", "Fritz-Steinhoff-Gesamtschule",
           "Sekundarschule Wetter", "Gymnasium Hohenlimburg", "Christian-Rohlfs-Gymnasium", "Ricarda-Huch-Gymnasium",
           "Gesamtschule Eilpe", "Berufskolleg Cuno 1"]
MESSENGERS = ["WhatsApp", "Signal", "Telegram"]
NOTES = ["", "", "", "Dolmetscherin beim Elternabend gewünscht.", "Interesse an Berufsfelderkundung im Handwerk.",
         "Kam über das Familienbildungscafé.", "Bitte nur abends anrufen.", "Fragt nach Ausbildung mit Abitur."]


def _phone(rng: random.Random) -> str:
    return f"+49{rng.choice(['151', '152', '157', '160', '162', '170', '176', '177'])}{rng.randrange(10**7, 10**8)}"


def demo_family(rng: random.Random, now: datetime, recorded_by: str) -> Family:
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    given, surnames, child_names = NAMES[language]
    surname = rng.choice(surnames)
    guardians = []
    guardian_names = rng.sample(given, rng.choice((1, 1, 2)))  # two guardians never share a given name
    for i, given_name in enumerate(guardian_names):
        languages = [language] + (["de"] if rng.random() < 0.4 and language != "de" else [])
        phones = [_phone(rng)] if rng.random() < 0.9 else []
        emails = [f"{rng.choice(['familie', 'eltern', 'kontakt'])}{rng.randrange(1000, 99999)}@example.org"] if rng.random() < 0.35 else []
        messengers = [Messenger(rng.choice(MESSENGERS), phones[0])] if phones and rng.random() < 0.5 else []
        guardians.append(Guardian(name=f"{given_name} {surname}", languages=languages, phones=phones,
                                  emails=emails, messengers=messengers, ref=f"g{i}"))
    children = [Child(grade=rng.randint(7, 10), first_name=rng.choice(child_names) if rng.random() < 0.85 else "",
                      school=rng.choice(SCHOOLS), school_year="2026/27", ref=f"c{i}") for i in range(rng.choice((1, 1, 2, 3)))]
    consents = []
    for guardian in guardians:
        at = (now - timedelta(days=rng.randrange(1, 400))).strftime("%Y-%m-%dT%H:%M:%SZ")
        evidence = rng.choice([Evidence.SIGNED_FORM, Evidence.SIGNED_FORM, Evidence.VERBAL_WITH_WITNESS])

        def give(purpose: Purpose, channel: Channel | None = None, granted: bool = True, when: str = at,
                 guardian=guardian, evidence=evidence) -> None:
            consents.append(ConsentEntry(person_id=guardian.ref, purpose=purpose, channel=channel, granted=granted,
                                         at=when, recorded_by=recorded_by, evidence=evidence,
                                         text_version="2026-1", text_language=language))

        give(Purpose.STORE)
        if guardian.phones and rng.random() < 0.85:
            give(Purpose.CONTACT, Channel.PHONE)
            if rng.random() < 0.5:
                give(Purpose.CONTACT, Channel.SMS)
        if guardian.messengers and rng.random() < 0.8:
            give(Purpose.CONTACT, Channel.MESSENGER)
        if guardian.emails:
            give(Purpose.CONTACT, Channel.EMAIL)
        if rng.random() < 0.75:
            give(Purpose.EVENT_INVITATIONS)
        if rng.random() < 0.6:
            give(Purpose.PASS_TO_OFFICE)
        if rng.random() < 0.2:
            give(Purpose.PHOTOS)
        if rng.random() < 0.08 and guardian.phones:  # some withdraw later
            later = (now - timedelta(days=rng.randrange(0, 1))).strftime("%Y-%m-%dT%H:%M:%SZ")
            give(Purpose.CONTACT, Channel.PHONE, granted=False, when=later)
    return Family(guardians=guardians, children=children, consents=consents, notes=rng.choice(NOTES))


def fill_demo(services, families: int = 200, seed: int = 1, batch: int = 500, progress=None) -> int:
    """Add ``families`` demo families (deterministic per seed); one transaction per batch."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    store = services.store
    done = 0
    while done < families:
        size = min(batch, families - done)
        with store.write(store.info.name, "demo.fill", f"{size}") as writer, writer.bulk():
            for _ in range(size):
                repo.insert_family(writer, demo_family(rng, now, store.info.name))
        done += size
        if progress is not None:
            progress(done, families)
    return done


DEMO_EVENTS = [
    {"type": "family_cafe", "title": "Potenzialanalyse – was passiert da?", "starts": "2026-10-08T16:30",
     "ends": "2026-10-08T18:30", "place": "Gesamtschule Hagen-Haspe, Mensa", "topics": ["pa", "bfe"],
     "speakers": [{"name": "Frau Berg", "role": "career_counselling"}, {"name": "Herr Aksoy", "role": "stubo"}],
     "languages": ["de", "tr", "ar"], "interpreter": True},
    {"type": "parent_teacher_day", "title": "Stand beim Elternsprechtag", "starts": "2026-11-26T15:00",
     "ends": "2026-11-26T19:00", "place": "Realschule Emst, Foyer", "topics": ["school-counselling", "internship"],
     "languages": ["de", "ru", "uk"], "interpreter": False},
    {"type": "training_fair_tour", "title": "Führung über die Ausbildungsmesse", "starts": "2027-02-13T10:00",
     "ends": "2027-02-13T13:00", "place": "Stadthalle Hagen", "topics": ["applications", "career-counselling"],
     "speakers": [{"name": "Frau Yıldız", "role": "chamber"}], "languages": ["de", "ar", "fa"], "interpreter": True},
]


def fill_demo_events(services, seed: int = 1) -> int:
    """Three demo events (a past family café with attendance, two planned); skipped if events exist."""
    if services.events.list():
        return 0
    rng = random.Random(seed)
    created = [services.events.add(document) for document in DEMO_EVENTS]
    cafe = created[0]
    rows = services.families.list(limit=40)
    for row in rng.sample(rows, min(9, len(rows))):
        services.events.attend(cafe.id, row.id)
    services.events.set_headcount(cafe.id, 4)
    for topic, language, count in (("potential-analysis", "tr", 5), ("potential-analysis", "ar", 4),
                                   ("occupational-fields", "de", 6)):
        services.events.add_handouts(cafe.id, topic, language, count)
    return len(created)


DEMO_TALLIES = [("parent_teacher_day", 14, "tr", ["school-counselling"]), ("parent_teacher_day", 9, "ar", ["pa"]),
                ("training_fair_tour", 22, "ar", ["applications"]), ("training_fair_tour", 11, "uk", ["applications"]),
                ("mso_meeting", 17, "tr", ["bo-info", "pa"]), ("mso_meeting", 6, "fa", ["internship"]),
                ("family_cafe", 8, "ru", ["bfe"]), ("elternday", 12, "de", ["career-counselling"])]


def fill_demo_contacts(services, seed: int = 1, first: date = date(2026, 8, 17), last: date = date(2026, 11, 27)) -> int:
    """Contacts with about two thirds of the families (1-3 each) and a few anonymous tallies; skipped if any exist."""
    from elternlotse.domain.contact_log import REFERRALS, Contact, Tally
    from elternlotse.store import contacts as contacts_repo

    if services.contacts.list() or services.contacts.tallies():
        return 0
    rng = random.Random(seed)
    stages = [s.key for s in services.catalogs.get().stages if s.key not in ("sek2", "kaoa-star")]
    formats = ["individual_talk", "phone_call", "phone_call", "parent_teacher_day", "family_cafe", "mso_meeting",
               "home_visit", "training_fair_tour"]
    span = (last - first).days
    store = services.store
    count = 0
    with store.write(store.info.name, "demo.contacts") as writer, writer.bulk():
        for row in services.families.list():
            if rng.random() > 0.66:
                continue
            family = services.families.get(row.id)
            languages = [lang for g in family.guardians for lang in g.languages] or ["de"]
            for _ in range(rng.choice((1, 1, 2, 3))):
                fmt = rng.choice(formats)
                contacts_repo.insert_contact(writer, Contact(
                    family_id=row.id, on=(first + timedelta(days=rng.randrange(span + 1))).isoformat(), format=fmt,
                    language=languages[0], interpreter=rng.random() < 0.2, topics=rng.sample(stages, rng.choice((1, 1, 2))),
                    referral=rng.choice(REFERRALS) if rng.random() < 0.25 else "",
                    outcome=rng.choice(("reached", "reached", "no_answer")) if fmt == "phone_call" else "",
                    recorded_by=store.info.name))
                count += 1
        for i, (fmt, people, language, topics) in enumerate(DEMO_TALLIES):
            contacts_repo.insert_tally(writer, Tally(on=(first + timedelta(days=12 * i)).isoformat(), format=fmt,
                                                     count=people, language=language, topics=topics,
                                                     recorded_by=store.info.name))
    return count
