"""What one role sees of residents' data, asked of the registry: a Sight is built from the role's capabilities
and answers every surface (pages through `mask`, the API, the map feed, board states and events)."""
from dataclasses import dataclass

from django.db.models import Manager, Model

from ops.permissions import Cap, caps_of
from ops.privacy.registry import HIDDEN, RESIDENTS, SEEN_WITH, STATES, Kind, Rounded, rule

EXACT_DECIMALS = 5  # about 1 m: what a pin on the map is worth

# The staff board's audiences: one channel-layer group each (ops.events). A role that sees every class of
# residents' data hears the events as written; any other role hears them as LIMITED sees them.
FULL, LIMITED = "full", "limited"


class Sight:
    def __init__(self, caps):
        self.caps = frozenset(caps)

    @classmethod
    def of(cls, user, centre) -> "Sight":
        return cls(caps_of(user, centre))

    def sees(self, kind: Kind) -> bool:
        return SEEN_WITH[Kind(kind)] in self.caps

    @property
    def kinds(self) -> dict[str, bool]:
        """{class: seen} for templates: `{% if sees.household %}`."""
        return {kind.value: self.sees(kind) for kind in Kind}

    @property
    def audience(self) -> str:
        return FULL if all(self.sees(kind) for kind in RESIDENTS) else LIMITED

    def shows(self, label: str, name: str) -> bool:
        """Whether this role gets the field as it is (operational fields: always)."""
        found = rule(label, name)
        return found is None or self.sees(found.kind)

    def given(self, label: str, name: str) -> bool:
        """Whether this role gets the field at all, as it is or coarsened."""
        found = rule(label, name)
        return found is None or self.sees(found.kind) or found.others is not HIDDEN

    def value(self, label: str, name: str, value):
        """The value as this role gets it: itself, coarsened, or None."""
        found = rule(label, name)
        if found is None or self.sees(found.kind):
            return value
        return found.others(value)

    def decimals(self, label: str, name: str) -> int:
        """Decimal places a position is given to."""
        found = rule(label, name)
        if found is None or self.sees(found.kind) or not isinstance(found.others, Rounded):
            return EXACT_DECIMALS
        return found.others.decimals

    def mask(self, obj) -> "Masked":
        return Masked(obj, self)

    def mask_all(self, objects) -> list:
        return [Masked(obj, self) for obj in objects]

    def state(self, key: str, state: dict) -> dict:
        """An entity state of events and snapshots (ops.<app>.state) as this role gets it."""
        label = STATES.get(key)
        if label is None:
            return state
        return {name: self.value(label, name, value) for name, value in state.items() if self.given(label, name)}

    def payload(self, payload: dict) -> dict:
        """An event's staff payload as this role gets it: its entity states, and only the changed fields it sees."""
        out = {key: self.state(key, value) if isinstance(value, dict) else value for key, value in payload.items()}
        if "need" in out and isinstance(out.get("fields"), list):
            out["fields"] = [name for name in out["fields"] if self.shows(STATES["need"], name)]
        return out


AUDIENCES = {FULL: Sight(set(Cap)), LIMITED: Sight(set())}


@dataclass(frozen=True)
class Position:
    lat: float
    lng: float
    decimals: int

    @property
    def approximate(self) -> bool:
        return self.decimals < EXACT_DECIMALS


class Masked:
    """A model object as one role may see it, for templates and serialisers: a field the role may not see is
    None (or coarsened), its display text empty, a hidden relation empty; related objects come masked too.
    Everything else is the object's own attribute."""

    def __init__(self, obj, sight: Sight):
        self._obj, self._sight, self._label = obj, sight, obj._meta.label

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        found = rule(self._label, name)
        if found is not None and not self._sight.sees(found.kind):
            if isinstance(value, Manager):
                return value.none()
            if callable(value):  # get_<field>_display, household_display
                return ""
            return found.others(value)
        if isinstance(value, Model) and not isinstance(value, Masked):
            return Masked(value, self._sight)
        return value

    @property
    def position(self) -> Position | None:
        """The need's position to the precision this role gets, or None without a pin."""
        lat, lng = self.lat, self.lng
        if lat is None or lng is None:
            return None
        return Position(lat, lng, self._sight.decimals(self._label, "lat"))

    def __str__(self):
        return str(self._obj)

    def __repr__(self):
        return f"<Masked {self._obj!r}>"
