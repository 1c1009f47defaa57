"""``@dataclass`` exactly as the standard library's, with its methods made on first use.

The standard decorator writes each method it adds (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``order``'s four, a frozen class's ``__setattr__`` and
``__delattr__``) as source text and ``exec``s it when the class statement runs:
~0.3 ms a plain class, ~0.6 ms a frozen one of 10 fields (Python 3.11). A build
after an edit imports 49 dataclasses and calls few of those methods (a record read
from the cache is unpickled, which calls none), so this decorator runs the standard
one with those methods turned off (fields, ``__match_args__``, ``__dataclass_fields__``
as ever: ~0.05 ms in all) and puts a stand-in (``_Lazy``) where each method goes. The
first look-up of a stand-in (a call, or ``cls.__eq__``, ``inspect.signature``)
runs the standard decorator on a throw-away subclass with that method turned on,
puts what it made in the class in place of the stand-ins and answers with it: from
then on the class holds the very functions the standard decorator makes.

Only public ``dataclasses`` API is used (the private helpers differ in 3.12 and
3.13). Making a method twice (two threads, a fork) is harmless: the same function
is put in the same place. What the lazy way would do differently, the standard
decorator does itself, at once: ``slots=True`` (it makes a new class), a method
the class defines itself that the standard one refuses to overwrite or treats
apart (``__hash__``, ``order``'s, a frozen ``__setattr__``), ``match_args=False``
or an own ``__match_args__``. The type checker sees ``dataclasses.dataclass``.
tests/test_lazy_dataclass.py compares every dataclass of the package with the
same class made by the standard decorator.
"""

from __future__ import annotations

import dataclasses
import types
from typing import TYPE_CHECKING, Any

_ORDER = ("__lt__", "__le__", "__gt__", "__ge__")
_FROZEN = ("__setattr__", "__delattr__")
# Every method off: what the first, cheap run of the standard decorator makes.
_OFF = {
    "init": False,
    "repr": False,
    "eq": False,
    "order": False,
    "unsafe_hash": False,
    "match_args": False,
    "kw_only": False,
}
_PARAMS = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")


class _Lazy:
    """Stands in ``owner``'s dict for what the standard decorator would put at
    ``name``: made, with ``options``, the first time it is looked up."""

    __slots__ = ("owner", "name", "options")

    def __init__(self, owner: type, name: str, options: dict[str, bool]) -> None:
        self.owner = owner
        self.name = name
        self.options = options

    def __get__(self, instance: object, kind: type | None = None) -> Any:
        # (an inherited stand-in is made for the class it stands in, not ``kind``)
        made = _make(self.owner, self.name, self.options)
        if instance is None or not isinstance(made, types.FunctionType):
            return made  # ``cls.__init__``; ``__doc__`` of the class or an instance
        return types.MethodType(made, instance)


def _make(cls: type, name: str, options: dict[str, bool]) -> Any:
    """Run the standard decorator on a subclass of ``cls`` with ``options``, and put
    each function it made where ``cls`` holds a stand-in for it."""
    if not isinstance(vars(cls).get(name), _Lazy):  # made meanwhile (another thread)
        return vars(cls)[name]
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    if name != "__doc__":
        namespace["__doc__"] = "-"  # (else it makes a doc-string with inspect.signature)
    shadow = type(cls)(cls.__name__, (cls,), namespace)
    # The standard decorator calls ``exec`` by name on each function's source:
    # given ours, it runs code compiled before (``compiled``) for a source seen before.
    vars(dataclasses)["exec"] = _exec
    try:
        dataclasses.dataclass(shadow, **options)  # fields: those of cls, inherited
    finally:
        vars(dataclasses).pop("exec", None)  # (another thread's: it uses the built-in)
    for key, value in list(vars(shadow).items()):
        stub = vars(cls).get(key)
        if isinstance(stub, _Lazy) and (
            isinstance(value, types.FunctionType) or key == name == "__doc__"
        ):
            setattr(cls, key, _rebound(value, shadow, cls))
    return vars(cls)[name]


# What the standard decorator wrote for this process's methods, compiled: its
# source text -> the code. compiled.py keeps it between runs (load_compiled,
# save_compiled): compiling is most of making a method (~0.1 ms each; a build
# after an edit makes ~90, ~10 ms).
compiled: dict[str, types.CodeType] = {}
used: set[str] = set()  # the sources this process ran


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # noqa: A002
    """``exec``, with the code of a source text compiled once (``compiled``)."""
    if type(source) is str:
        used.add(source)
        code = compiled.get(source)
        if code is None:
            code = compiled[source] = compile(source, "<string>", "exec", dont_inherit=True)
        source = code
    exec(source, globals, locals)  # noqa: S102 - the standard decorator's own source


def _rebound(value: Any, shadow: type, cls: type) -> Any:
    """``value``, a function made for ``shadow``, as made for ``cls``: a frozen
    class's ``__setattr__`` holds its class (``type(self) is cls``, ``super(cls,
    self)``) in a closure cell."""
    cells = getattr(value, "__closure__", None) or ()
    if not any(_holds(cell, shadow) for cell in cells):
        return value
    function = types.FunctionType(
        value.__code__,
        value.__globals__,
        value.__name__,
        value.__defaults__,
        tuple(types.CellType(cls) if _holds(cell, shadow) else cell for cell in cells),
    )
    function.__kwdefaults__ = value.__kwdefaults__
    function.__qualname__ = value.__qualname__
    function.__doc__ = value.__doc__
    function.__module__ = value.__module__
    function.__annotations__ = value.__annotations__
    function.__dict__.update(value.__dict__)
    return function


def _holds(cell: Any, value: object) -> bool:
    try:
        return cell.cell_contents is value
    except ValueError:  # an empty cell
        return False


def _lazy_dataclass(cls: type, options: dict[str, bool]) -> type:
    names = vars(cls)
    frozen = options["frozen"]
    if (
        options["slots"]
        or "weakref_slot" in options
        or not options["match_args"]
        or "__match_args__" in names
        or "__hash__" in names  # (also set, to None, by an own __eq__)
        or (options["order"] and (not options["eq"] or any(n in names for n in _ORDER)))
        or (frozen and any(n in names for n in _FROZEN))
        or type(cls) is not type  # (the throw-away subclass would run a metaclass's hooks,
        or any("__init_subclass__" in vars(base) for base in cls.__mro__[1:-1])  # or these)
    ):
        return dataclasses.dataclass(cls, **options)
    # A frozen subclass of a dataclass: the standard decorator checks its bases are
    # frozen too (from their __dataclass_params__), so it makes __setattr__ now.
    based = any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:])
    undocumented = not cls.__doc__
    if undocumented:
        cls.__doc__ = "-"  # made later, as the standard decorator would now
    cheap = {**_OFF, "frozen": frozen and based, "kw_only": options["kw_only"], "match_args": True}
    dataclasses.dataclass(cls, **cheap)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    for key in _PARAMS:  # what a subclass and pickling.py read: the options asked for
        setattr(params, key, options[key])

    def lazy(names: tuple[str, ...], **on: bool) -> None:
        for name in names:
            if name not in vars(cls):  # (an own __init__, __repr__, __eq__ is kept)
                setattr(cls, name, _Lazy(cls, name, {**_OFF, "frozen": frozen, **on}))

    if options["init"]:
        lazy(("__init__",), init=True)
        if _default_before_plain(cls):  # the standard decorator's TypeError, now
            _make(cls, "__init__", {**_OFF, "frozen": frozen, "init": True})
    if options["repr"]:
        lazy(("__repr__",), repr=True)
    if options["eq"]:
        lazy(("__eq__",), eq=True)
    if options["order"]:
        lazy(_ORDER, eq=True, order=True)
    if frozen and not based:
        lazy(_FROZEN)
    # The standard decorator's table for a class without an own __hash__.
    if options["unsafe_hash"] or (options["eq"] and frozen):
        lazy(("__hash__",), unsafe_hash=True)
    elif options["eq"]:
        cls.__hash__ = None  # type: ignore[assignment]
    if undocumented:
        # (type.__doc__ calls the __get__ of what the class's dict holds)
        # (the shadow inherits the __init__ the class has: its own, made, or none)
        cls.__doc__ = _Lazy(cls, "__doc__", {**_OFF, "frozen": frozen})  # type: ignore[assignment]
    return cls


def _default_before_plain(cls: type) -> bool:
    """Whether a positional ``__init__`` argument without a default follows one
    with a default (``__match_args__`` lists them, InitVars too, in order)."""
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    seen_default = False
    for name in cls.__match_args__:  # type: ignore[attr-defined]
        field = fields[name]
        if not field.init:
            continue
        if field.default is not dataclasses.MISSING or (
            field.default_factory is not dataclasses.MISSING
        ):
            seen_default = True
        elif seen_default:
            return True
    return False


def _dataclass(
    cls: type | None = None,
    /,
    *,
    init: bool = True,
    repr: bool = True,  # noqa: A002 (the standard decorator's name for it)
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
    weakref_slot: bool = False,  # (Python 3.11+)
) -> Any:
    options = {
        "init": init,
        "repr": repr,
        "eq": eq,
        "order": order,
        "unsafe_hash": unsafe_hash,
        "frozen": frozen,
        "match_args": match_args,
        "kw_only": kw_only,
        "slots": slots,
    }
    if weakref_slot:  # (only then passed on: Python 3.10 has no such option)
        options["weakref_slot"] = weakref_slot

    def wrap(cls: type) -> type:
        return _lazy_dataclass(cls, options)

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass
