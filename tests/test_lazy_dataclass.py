"""portfolio_gen/lazy_dataclass.py: every dataclass of the package behaves exactly
as the same class statement under the standard ``dataclasses.dataclass``.

Each module that defines dataclasses is executed twice more from its source, as
a module of its own: once as it is (fresh lazy classes, none of whose methods is
made yet) and once with the standard decorator in place of the lazy one. The
two classes of each name are then compared on everything the standard decorator
decides: signature, doc-string, fields, parameters, repr, ==, !=, hash, order,
frozen assignment and deletion, replace, asdict, pickle and copy, subclasses.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import io
import pickle
import pkgutil
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import portfolio_gen
import portfolio_gen.lazy_dataclass as lazy_module
from portfolio_gen.lazy_dataclass import dataclass

MADE = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__")


def _dataclass_modules() -> dict[str, list[str]]:
    """module name -> the names of the dataclasses it defines (at module level)."""
    found: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(portfolio_gen.__path__, "portfolio_gen."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and value.__module__ == info.name
                and dataclasses.is_dataclass(value)
            ):
                found.setdefault(info.name, []).append(name)
    return found


MODULES = _dataclass_modules()
CLASSES = [(module, name) for module, names in sorted(MODULES.items()) for name in names]


def _twin(module: str, prefix: str) -> types.ModuleType:
    """``module`` executed again from its source as the top-level module
    ``prefix + module`` (so pickle finds its classes), its relative imports
    answered by the package as loaded."""
    real = sys.modules[module]
    name = prefix + module.replace(".", "__")
    twin = types.ModuleType(name)
    twin.__file__ = real.__file__
    twin.__package__ = real.__package__
    sys.modules[name] = twin
    source = Path(real.__file__).read_text(encoding="utf-8")
    exec(compile(source, real.__file__, "exec"), vars(twin))
    return twin


@pytest.fixture(scope="module")
def twins():
    """(lazy, standard): module name -> its twin, lazy as it is, or standard."""
    made: list[str] = []
    lazy = {}
    standard = {}
    for module in MODULES:
        lazy[module] = _twin(module, "lazy_twin__")
        made.append(lazy[module].__name__)
    saved = lazy_module.dataclass
    lazy_module.dataclass = dataclasses.dataclass  # what ``from ..lazy_dataclass`` finds
    try:
        for module in MODULES:
            standard[module] = _twin(module, "standard_twin__")
            made.append(standard[module].__name__)
    finally:
        lazy_module.dataclass = saved
    yield lazy, standard
    for name in made:
        del sys.modules[name]


# Values a class's own __post_init__ or methods need, by class and field.
NEEDS: dict[str, dict[str, Any]] = {
    "Verification": {"status": "verified"},
    "Changes": {"paths": {Path("a/b.md"), Path("c")}},
    "Project": {"cover": None, "pictures": ()},
}


def _text(value: Any) -> str:
    """repr(value) without the addresses of objects (a default repr, a lock's)."""
    return re.sub(r" at 0x[0-9a-f]+", " at 0x...", repr(value))


def _values(kind: type, n: int, required_only: bool = False) -> dict[str, Any]:
    values = {}
    for f in dataclasses.fields(kind):
        if not f.init:
            continue
        has_default = f.default is not dataclasses.MISSING or (
            f.default_factory is not dataclasses.MISSING
        )
        if required_only and has_default:
            continue
        values[f.name] = NEEDS.get(kind.__name__, {}).get(f.name, f"{f.name}-{n}")
    return values


def _outcome(action) -> Any:
    """What ``action()`` returns, or the exception it raises (type and words)."""
    try:
        return ("value", action())
    except Exception as error:  # noqa: BLE001 - compared, not handled
        return ("raised", type(error).__name__, str(error))


def _hashes(*items: Any) -> tuple[Any, ...]:
    """Their hashes: the same fields hashed give the same number (object's own
    hash, by identity, differs from one object to the next)."""
    return tuple(
        "identity" if type(item).__hash__ is object.__hash__ else hash(item) for item in items
    )


def _first_field(kind: type) -> str | None:
    names = [f.name for f in dataclasses.fields(kind) if f.init]
    return names[0] if names else None


def _unpickled(instance: Any, kind: type) -> Any:
    """``instance``, pickled, loaded as an instance of ``kind`` (a class of the same
    name in another twin module): made the way the record cache makes records."""
    data = pickle.dumps(instance, protocol=pickle.HIGHEST_PROTOCOL)

    class Loader(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if module == type(instance).__module__ and name == kind.__qualname__:
                return kind
            return super().find_class(module, name)

    return Loader(io.BytesIO(data)).load()


def behaviour(kind: type, made_by: type | None = None) -> dict[str, Any]:
    """Everything the dataclass decorator decides about ``kind``, observed. With
    ``made_by`` (the other twin's class), the first instance is one unpickled
    from an instance of that class, before any method of ``kind`` is used."""
    one, two = _values(kind, 1), _values(kind, 2)
    a = kind(**one) if made_by is None else _unpickled(made_by(**one), kind)
    seen: dict[str, Any] = {"first repr": _text(a), "first eq": a == a}
    params = kind.__dataclass_params__
    seen["params"] = _text(params)
    seen["fields"] = [
        (f.name, _text(f.type), f.init, f.repr, f.compare, f.hash, f.kw_only, _text(f.default))
        for f in dataclasses.fields(kind)
    ]
    seen["match_args"] = getattr(kind, "__match_args__", None)
    seen["hashable"] = kind.__hash__ is not None
    b, c = kind(**one), kind(**two)
    seen["repr"] = [_text(a), _text(b), _text(c), _text(kind(**_values(kind, 3, True)))]
    seen["signature"] = str(inspect.signature(kind))
    seen["init signature"] = str(inspect.signature(kind.__init__))
    seen["doc"] = kind.__doc__
    seen["eq"] = [a == b, a != b, a == c, a != c, b == a, a == a, a == object()]
    seen["eq other"] = a.__eq__(object())  # NotImplemented
    seen["hash"] = _outcome(lambda: _hashes(a, b, c))
    if params.order:
        seen["order"] = [a < c, a <= c, a > c, a >= c, c < a, a <= b]
        seen["order other"] = _outcome(lambda: a < object())
    name = _first_field(kind)
    if name is not None:
        seen["assign"] = _outcome(lambda: setattr(b, name, "x"))
        seen["after assign"] = _text(b)
        seen["delete"] = _outcome(lambda: delattr(c, name))
        seen["replace"] = _outcome(lambda: _text(dataclasses.replace(a, **{name: "y"})))
    seen["assign other"] = _outcome(lambda: setattr(a, "not_a_field", 1))
    seen["delete other"] = _outcome(lambda: delattr(a, "not_a_field"))
    seen["asdict"] = _outcome(lambda: _text(dataclasses.asdict(a)))
    seen["astuple"] = _outcome(lambda: _text(dataclasses.astuple(a)))
    if "<locals>" not in kind.__qualname__:  # (a class pickle finds by its name)
        again = pickle.loads(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL))
        seen["pickle"] = [again == a, _text(again), type(again) is kind]
    seen["copy"] = [copy.copy(a) == a, _text(copy.deepcopy(a))]

    class Plain(kind):  # a subclass that is not a dataclass
        pass

    sub = Plain(**one)
    seen["plain subclass"] = [
        _text(sub),
        sub == Plain(**one),
        sub == kind(**one),
        _outcome(lambda: setattr(sub, "extra", 1)),  # allowed even when frozen
        _outcome(lambda: _hashes(sub, Plain(**one))),
    ]
    return seen


@pytest.mark.parametrize(("module", "name"), CLASSES, ids=[f"{m}.{n}" for m, n in CLASSES])
def test_each_dataclass_behaves_as_the_standard_one(twins, module, name):
    lazy, standard = twins
    ours, theirs = getattr(lazy[module], name), getattr(standard[module], name)
    assert isinstance(vars(theirs)["__init__"], types.FunctionType)
    if "__slots__" not in vars(ours):  # (slots=True: the standard decorator's own class)
        # not made yet (its module may have used some, as Container's __init__)
        assert not all(isinstance(vars(ours)[m], types.FunctionType) for m in MADE[:3])
    # (both unpickled from the same instance: a set's order is its history's)
    assert behaviour(ours, made_by=theirs) == behaviour(theirs, made_by=theirs)
    assert behaviour(ours) == behaviour(theirs)  # (now with its methods made)
    for method in MADE:  # the very functions the standard decorator makes
        if isinstance(vars(theirs).get(method), types.FunctionType):
            assert isinstance(vars(ours)[method], types.FunctionType), method


def test_the_package_uses_it():
    """Every dataclass of the package is made by lazy_dataclass (a plain
    ``from dataclasses import dataclass`` would make its methods at import)."""
    modules = sorted(Path(portfolio_gen.__file__).parent.rglob("*.py"))
    plain = [
        str(path)
        for path in modules
        if path.name != "lazy_dataclass.py"
        and (
            "from dataclasses import dataclass" in path.read_text(encoding="utf-8")
            or "@dataclasses.dataclass" in path.read_text(encoding="utf-8")
        )
    ]
    assert plain == []


# ------------------------------------------------------------ made on first use


def _example(decorator, **options):
    @decorator(**options)
    class Point:
        """A point."""

        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Point


def test_methods_are_made_when_first_used_and_not_before():
    Point = _example(dataclass, frozen=True, order=True)
    names = ("__init__", "__repr__", "__eq__", "__hash__", "__lt__", "__setattr__")
    assert not any(isinstance(vars(Point)[n], types.FunctionType) for n in names)
    p = Point(1)
    assert isinstance(vars(Point)["__init__"], types.FunctionType)
    assert isinstance(vars(Point)["__setattr__"], types.FunctionType)  # (made with it)
    assert not isinstance(vars(Point)["__eq__"], types.FunctionType)
    assert p == Point(1, tags=["a"])
    assert isinstance(vars(Point)["__eq__"], types.FunctionType)
    assert not isinstance(vars(Point)["__repr__"], types.FunctionType)
    assert repr(p).endswith(".Point(x=1, y=0, tags=[])")
    assert Point(1) < Point(2) and hash(p) == hash(Point(1))
    assert Point.__init__.__qualname__ == "_example.<locals>.Point.__init__"


def test_an_inherited_stand_in_is_made_for_the_class_it_stands_in():
    Point = _example(dataclass, frozen=True)

    class Named(Point):
        pass

    @dataclass(frozen=True)
    class Labelled(Point):
        label: str = ""

    n = Named(1)  # Point.__init__, made from Named: for Point
    assert "__init__" not in vars(Named) and isinstance(vars(Point)["__init__"], types.FunctionType)
    assert repr(n).endswith(".Named(x=1, y=0, tags=[])")
    assert n != Point(1) and n == Named(1)
    n.extra = 1  # a frozen dataclass's __setattr__ lets a subclass's own attributes be set
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        n.x = 2
    label = Labelled(1, label="a")
    assert repr(label).endswith(".Labelled(x=1, y=0, tags=[], label='a')")
    with pytest.raises(dataclasses.FrozenInstanceError):
        label.extra = 1  # (a frozen dataclass itself: no attribute at all)
    assert Labelled(1, label="a") == label != Labelled(1, label="b")
    with pytest.raises(TypeError, match="cannot inherit frozen dataclass from a non-frozen one"):

        @dataclass(frozen=True)
        class Bad(_example(dataclass)):
            pass

    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @dataclass
        class Bad2(Point):
            pass


def test_a_subclass_used_first_does_not_change_what_the_base_gets():
    Point = _example(dataclass)

    @dataclass(eq=False)
    class Labelled(Point):
        label: str = ""

    assert Labelled(1, label="a") == Labelled(1, label="b")  # Point.__eq__: x, y only
    assert Point(1) == Point(1) and Point(1) != Point(2)
    assert Point.__hash__ is None and Labelled.__hash__ is None


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"frozen": True},
        {"eq": False},
        {"unsafe_hash": True},
        {"frozen": True, "eq": False},
        {"order": True},
        {"init": False},
        {"repr": False},
        {"kw_only": True},
        {"frozen": True, "slots": True},
        {"match_args": False},
    ],
    ids=str,
)
def test_options_as_the_standard_decorator(options):
    ours, theirs = _example(dataclass, **options), _example(dataclasses.dataclass, **options)
    if options.get("init") is False:
        for kind in (ours, theirs):
            kind.__init__ = _own_init
    expected = behaviour(theirs)
    assert behaviour(ours) == expected
    assert ours.__hash__ is None if theirs.__hash__ is None else ours.__hash__ is not None


def _own_init(self: Any, x: int = 1, y: int = 0, tags: list[str] | None = None) -> None:
    object.__setattr__(self, "x", x)
    object.__setattr__(self, "y", y)
    object.__setattr__(self, "tags", tags or [])


def test_own_methods_are_kept_and_errors_are_the_standard_ones():
    for decorator in (dataclass, dataclasses.dataclass):

        @decorator
        class Own:
            x: int

            def __repr__(self) -> str:
                return "own"

            def __eq__(self, other: object) -> bool:
                return True

        assert repr(Own(1)) == "own" and Own(1) == Own(2) and Own.__hash__ is None

        @decorator(frozen=True)
        class OwnInit:
            x: int

            def __init__(self, x: int = 5) -> None:
                object.__setattr__(self, "x", x * 2)

            def __repr__(self) -> str:
                return "mine"

        assert OwnInit().x == 10 and repr(OwnInit(1)) == "mine" and OwnInit(1) == OwnInit(1)
        assert hash(OwnInit(1)) == hash(OwnInit(1)) != hash(OwnInit(2))
        assert str(inspect.signature(OwnInit)) == "(x: 'int' = 5) -> 'None'"
        assert OwnInit.__doc__ == "OwnInit(x: 'int' = 5) -> 'None'"  # (its own __init__'s)

        @decorator(init=False)
        class NoInit:
            x: int = 1

        assert NoInit.__doc__ == "NoInit()"

        class Keyed:  # a base that needs a class keyword: no throw-away subclass of it
            def __init_subclass__(cls, key: int, **kwargs: object) -> None:
                super().__init_subclass__(**kwargs)
                cls.key = key

        @decorator
        class WithKey(Keyed, key=1):
            x: int

        assert (
            WithKey(2).x == 2
            and WithKey(2) == WithKey(2)
            and repr(WithKey(2)).endswith("WithKey(x=2)")
        )

        @decorator
        class Undocumented:
            x: int
            y: str = "a"

        assert Undocumented.__doc__ == "Undocumented(x: 'int', y: 'str' = 'a')"
        assert Undocumented(1).__doc__ == Undocumented.__doc__

        with pytest.raises(TypeError, match="non-default argument 'y' follows default argument"):

            @decorator
            class Unordered:
                x: int = 0
                y: int

        with pytest.raises(TypeError, match="Cannot overwrite attribute __lt__"):

            @decorator(order=True)
            class Ordered:
                x: int

                def __lt__(self, other: object) -> bool:
                    return True

        with pytest.raises(ValueError, match="eq must be true if order is true"):
            decorator(order=True, eq=False)(type("Odd", (), {"__annotations__": {"x": "int"}}))

        @decorator
        class WithPost:
            x: int
            y: int = dataclasses.field(init=False)
            z: dataclasses.InitVar[int] = 2

            def __post_init__(self, z: int) -> None:
                self.y = self.x * z

        assert WithPost(3).y == 6 and WithPost(3, 3).y == 9
        assert dataclasses.replace(WithPost(3), x=4, z=1).y == 4


def test_making_a_method_twice_is_harmless():
    """Two threads (or a thread and a fork) may both hold the stand-in: the second
    to use it gets the function the first made, not another."""
    Point = _example(dataclass, frozen=True)
    stub = vars(Point)["__eq__"]
    made = stub.__get__(Point(1))  # (as a first thread: the stand-in is replaced)
    assert made(Point(1)) is True and vars(Point)["__eq__"] is not stub
    again = stub.__get__(Point(1))  # (as a second thread that looked it up before)
    assert again(Point(1)) is True and again.__func__ is made.__func__ is vars(Point)["__eq__"]
    assert isinstance(vars(Point)["__eq__"], types.FunctionType)
