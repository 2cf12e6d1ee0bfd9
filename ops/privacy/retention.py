"""Retention's half of the registry: overwrite an object's personal fields when its time is up."""
from ops.privacy.registry import erasable


def anonymise(obj) -> list[str]:
    """Overwrite the object's erasable fields in memory; returns the field names (the caller saves)."""
    names = []
    for name, found in erasable(obj._meta.label).items():
        if not hasattr(obj, name):
            continue
        erase = found.erase
        if erase is list:
            value = []
        elif callable(erase):
            value = erase(obj)
        else:
            value = erase
        setattr(obj, name, value)
        names.append(name)
    return names
