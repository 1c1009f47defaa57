"""How the record cache pickles records (cache.py): which dataclasses may be
pickled by their fields alone, their defaults, and equal values written once."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

_OBJECT_STATE = getattr(object, "__getstate__", None)  # (Python 3.11 added it)


def plain(kind: type) -> bool:
    """Whether ``kind`` is a dataclass pickled as any object is, by its
    ``__dict__``: one that may be pickled lean (``cache._lean``)."""
    return (
        dataclasses.is_dataclass(kind)
        and "__slots__" not in vars(kind)
        and kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is object.__reduce__
        and getattr(kind, "__getstate__", _OBJECT_STATE) is _OBJECT_STATE
        and not hasattr(kind, "__setstate__")
    )


def defaults(kind: type) -> dict[str, Any]:
    """The fields of a dataclass whose default its class attribute holds."""
    return {
        f.name: f.default
        for f in dataclasses.fields(kind)
        if f.default is not dataclasses.MISSING and getattr(kind, f.name, f) is f.default
    }


class Shared:
    """Equal values in the records file pickled once (pickle writes an object it
    has written before as a reference to it): a learner's mentors, interests,
    standard codes and dates recur in many projects. Loaded, the records share
    those objects; nothing can tell, as they are immutable and nothing looks at
    their identity. The index of the benchmark's 1,000 projects: 1.0 -> 0.7 MB,
    loaded in ~9 -> ~5.7 ms with the journal; written in ~50 -> ~68 ms.

    Only values whose equality is sameness are merged: ``str``, ``int``,
    ``date``, ``bool`` and None of exactly that type (never ``True`` for ``1``,
    a subclass of ``str``, a ``datetime`` for a ``date``), tuples of values
    kept so, and frozen dataclasses (pickled by their ``__dict__``) whose
    fields all are such plain values, compared field by field with their
    types. Anything else (a float, a dict, a list, a dataclass holding one) is
    kept as it is."""

    def __init__(self) -> None:
        self.seen: dict[Any, Any] = {}  # a key below -> the first value with it
        self.frozen: dict[type, bool] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return self.seen.setdefault((kind, value), value)
        if kind is tuple:  # (its items' ids: each is the one kept for its value, or itself)
            items = tuple([self(item) for item in value])
            return self.seen.setdefault((tuple, *map(id, items)), items)
        frozen = self.frozen.get(kind)
        if frozen is None:
            params = getattr(kind, "__dataclass_params__", None)
            frozen = self.frozen[kind] = params is not None and params.frozen and plain(kind)
        state = vars(value) if frozen else {}
        if not frozen or any(type(v) not in _PLAIN for v in state.values()):
            return value
        return self.seen.setdefault((kind, *[(k, type(v), v) for k, v in state.items()]), value)


# Values that are the same when equal and of one type (not float: -0.0 == 0.0).
_PLAIN = frozenset({str, int, bool, type(None), _dt.date})
