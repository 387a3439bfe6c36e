"""The office's navigator roster: who is trained in what, checked when, busy how long, paid how much.

Office-local (docs/roster.md): nothing of it is ever sent to a navigator, and a navigator's
installation refuses to keep a roster (``OfficeOnlyError`` below) - a navigator asks the office for
a certificate or a tally.  Every action is one ``Store.write`` (one transaction, one audit entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Callable

from elternlotse.domain import roster as rules
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.fields import load_document
from elternlotse.domain.roster import HoursEntry, ModuleCatalogue, Navigator, RosterRules, Tally
from elternlotse.domain.text import N_
from elternlotse.resources import project_path
from elternlotse.store import Store
from elternlotse.store import replication as repl
from elternlotse.store import roster as repo


def require_office(store: Store) -> None:
    if not store.info.is_office:
        raise ValidationError(N_("Only an office keeps the navigator roster and the partners directory;"
                                 " this installation is a navigator's."))


def load_modules(path=None) -> ModuleCatalogue:
    path = path or project_path("resources", "training_modules.json")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ValidationError(N_("The file {path} cannot be read as UTF-8 text."), path=str(path)) from None
    return rules.parse_module_catalogue(load_document(text, str(path)), path.name)


@dataclass
class NavigatorView:
    """One navigator with what the office sees about them on a given day."""
    navigator: Navigator
    hours: list[HoursEntry]
    tallies: list[Tally]
    police_check_due: bool
    card_name: str = ""                # the trusted sync card's name, if node_id names one
    missing_standard: list[str] = field(default_factory=list)

    @property
    def total_hours(self):
        return sum((e.hours for e in self.hours), Decimal(0))

    @property
    def warnings(self) -> list[Tally]:
        return [t for t in self.tallies if t.state != "ok"]


class RosterService:
    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    @property
    def actor(self) -> str:
        return self.store.info.name

    @cached_property
    def modules(self) -> ModuleCatalogue:
        return load_modules()

    def rules(self) -> RosterRules:
        require_office(self.store)
        stored = repo.rules(self.store.conn)
        defaults = RosterRules()
        limits = {kind: stored.get(kind, defaults.limits[kind]) for kind in rules.ALLOWANCES}
        return RosterRules(stored.get("police_check_years", defaults.police_check_years), limits)

    def set_rules(self, police_check_years: int | None = None, limits: dict[str, int] | None = None) -> RosterRules:
        """Change the office's rule (police-check period in years, allowance limits in cents)."""
        current = self.rules()
        new = rules.check_rules(current.police_check_years if police_check_years is None else police_check_years,
                                {**current.limits, **(limits or {})})
        with self.store.write(self.actor, "navigator.rules") as writer:
            repo.set_rules(writer, {"police_check_years": new.police_check_years, **new.limits})
        return new

    def list(self) -> list[Navigator]:
        require_office(self.store)
        return sorted(repo.navigators(self.store.conn), key=lambda n: n.name.casefold())

    def get(self, nav_id: str) -> Navigator:
        require_office(self.store)
        nav = repo.navigator(self.store.conn, nav_id)
        if nav is None:
            raise NotFoundError(N_("No navigator with the id {id}."), id=nav_id)
        return nav

    def view(self, nav_id: str, year: int | None = None) -> NavigatorView:
        nav = self.get(nav_id)
        entries = repo.hours(self.store.conn, nav_id)
        today = self.today()
        peer = repl.peer(self.store.conn, nav.node_id) if nav.node_id else None
        missing = [m.key for m in self.modules.modules if m.standard and m.key not in nav.modules]
        rule = self.rules()
        return NavigatorView(nav, entries, rules.tallies(entries, year or today.year, rule.limits),
                             rules.police_check_due(nav.police_check, today, rule.police_check_years),
                             peer[1] if peer else "", missing)

    def add(self, nav: Navigator) -> Navigator:
        require_office(self.store)
        nav = rules.check_navigator(nav, self.today())
        self._check_card(nav)
        with self.store.write(self.actor, "navigator.add") as writer:
            nav.id = repo.insert_navigator(writer, nav)
        return nav

    def edit(self, nav: Navigator) -> Navigator:
        self.get(nav.id)
        nav = rules.check_navigator(nav, self.today())
        self._check_card(nav)
        with self.store.write(self.actor, "navigator.edit", nav.id) as writer:
            repo.update_navigator(writer, nav)
        return self.get(nav.id)

    def _check_card(self, nav: Navigator) -> None:
        if not nav.node_id:
            return
        if repl.peer(self.store.conn, nav.node_id) is None:
            raise ValidationError(N_("{field}: no trusted sync card has the node id {value} (see keys list)."),
                                  field="node", value=nav.node_id)
        other = next((n for n in repo.navigators(self.store.conn) if n.node_id == nav.node_id and n.id != nav.id), None)
        if other is not None:
            raise ValidationError(N_("{field}: the node id {value} is already linked to {name}."),
                                  field="node", value=nav.node_id, name=other.name)

    def remove(self, nav_id: str) -> None:
        """Erase a navigator's roster entry (modules, checks, hours, allowances) when they leave."""
        self.get(nav_id)
        with self.store.write(self.actor, "navigator.remove", nav_id) as writer:
            repo.delete_navigator(writer, nav_id)

    def complete_module(self, nav_id: str, key: str, on: str) -> Navigator:
        self.get(nav_id)
        key, on = rules.check_completion(self.modules, key, on, self.today())
        with self.store.write(self.actor, "navigator.module", nav_id) as writer:
            repo.set_module(writer, nav_id, key, on)
        return self.get(nav_id)

    def remove_module(self, nav_id: str, key: str) -> Navigator:
        self.get(nav_id)
        if self.modules.get(key) is None:
            rules.check_completion(self.modules, key, self.today().isoformat(), self.today())
        with self.store.write(self.actor, "navigator.module", nav_id) as writer:
            repo.set_module(writer, nav_id, key, "")
        return self.get(nav_id)

    def add_hours(self, entry: HoursEntry) -> tuple[HoursEntry, list[Tally]]:
        """Record one assignment's hours (and an allowance paid); returns it and the year's tallies."""
        entry, others = self._checked_hours(entry, "")
        with self.store.write(self.actor, "navigator.hours", entry.navigator_id) as writer:
            entry.id = repo.insert_hours(writer, entry)
        return entry, rules.tallies([*others, entry], int(entry.on[:4]), self.rules().limits)

    def hours_entry(self, nav_id: str, entry_id: str) -> HoursEntry:
        self.get(nav_id)
        found = next((e for e in repo.hours(self.store.conn, nav_id) if e.id == entry_id), None)
        if found is None:
            raise NotFoundError(N_("No hours entry with the id {id}."), id=entry_id)
        return found

    def edit_hours(self, entry: HoursEntry) -> tuple[HoursEntry, list[Tally]]:
        """Correct one hours entry (``entry.id``): checked exactly as when it was entered."""
        self.hours_entry(entry.navigator_id, entry.id)
        entry, others = self._checked_hours(entry, entry.id)
        with self.store.write(self.actor, "navigator.hours.edit", entry.navigator_id) as writer:
            repo.update_hours(writer, entry)
        return entry, rules.tallies([*others, entry], int(entry.on[:4]), self.rules().limits)

    def delete_hours(self, nav_id: str, entry_id: str) -> list[Tally]:
        """Delete one hours entry; returns the tallies of its year without it."""
        gone = self.hours_entry(nav_id, entry_id)
        with self.store.write(self.actor, "navigator.hours.delete", nav_id) as writer:
            repo.delete_hours(writer, nav_id, entry_id)
        return rules.tallies(repo.hours(self.store.conn, nav_id), int(gone.on[:4]), self.rules().limits)

    def _checked_hours(self, entry: HoursEntry, replacing: str) -> tuple[HoursEntry, list[HoursEntry]]:
        """The entry checked, and the navigator's other entries (without the one it replaces)."""
        self.get(entry.navigator_id)
        entry = rules.check_hours(entry, self.today())
        if entry.event_id:
            title = repo.event_title(self.store.conn, entry.event_id)
            if title is None:
                raise NotFoundError(N_("No event with the id {id}."), id=entry.event_id)
            entry.activity = entry.activity or title
        others = [e for e in repo.hours(self.store.conn, entry.navigator_id) if e.id != replacing]
        rules.check_not_both(entry, others)
        return entry, others

    def certificate(self, nav_id: str, language: str = "", path=None) -> bytes:
        """The bilingual certificate (German + ``language``, the navigator's first or English) as PDF bytes."""
        from elternlotse.handouts.certificate import CertificateFacts, render_certificate

        nav = self.get(nav_id)
        if not nav.modules:
            raise ValidationError(N_("{name} has completed no training module yet; there is nothing to certify."),
                                  name=nav.name)
        second = language or next((lang for lang in nav.languages if lang != "de"), "en")
        from elternlotse.domain.contact import normalise_language

        second = normalise_language(second, "language")
        completed = [(m, nav.modules[m.key]) for m in self.modules.modules if m.key in nav.modules]
        facts = CertificateFacts(name=nav.name, organisation=self.store.info.organisation or self.store.info.name,
                                 issued=self.today(), modules=completed, language=second)
        data = render_certificate(facts)
        if path is not None:
            from elternlotse.handouts.render import write_atomic

            write_atomic(path, data)
        return data
