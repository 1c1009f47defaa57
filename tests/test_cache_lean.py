"""The record cache pickles records lean (cache._lean): a field at its class's
default is left out and read back from the class. A record loaded from the
records file or the journal is the record read from its source."""

from __future__ import annotations

import functools
import io
import pickle
from dataclasses import dataclass, field

from support.helpers import project

from portfolio_gen import cache, pickling
from portfolio_gen.build import Options, load
from portfolio_gen.content.projects import Project

RICH = project(
    "Robot arm",
    body="See [B](b.md) and ![me](me.png).\n\nText.",
    interests="[robotics, 3D printing]",
    standards="[MS-ETS1-1, {code: MS-ETS1-2, rationale: because, level: proficient}]",
    mentors="[{name: Dr. A, url: 'https://a.example.org'}]",
    setting="school",
    program="Maker club",
    featured="true",
    cover="me.png",
)


def _records(root):
    result, loaded = load(root, Options(), save=True)
    assert loaded is not None
    return {k: e[2] for k, e in loaded.cache.entries.items()}


def test_records_read_back_lean_are_the_records_read(make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": RICH,
            "content/projects/a/me.png": b"not a png",
            "content/projects/b.md": project("B", draft="true"),
            "content/about.md": "# Me\n\nHello.",
        }
    )
    fresh = _records(root)  # read from the sources (and the records file written)
    kept = _records(root)  # read back from the records file
    assert kept.keys() == fresh.keys() and len(kept) == 3
    for key, record in fresh.items():
        assert type(kept[key].body) is cache.Deferred  # (its repr is not a Body's)
        assert kept[key] == record and kept[key].body_html == record.body_html
        fields = [f for f in vars(record) if f != "body"]
        assert [getattr(kept[key], f) for f in fields] == [getattr(record, f) for f in fields]
    b = kept["content/projects/b.md"]
    assert isinstance(b, Project) and b.draft is True and b.featured is False
    assert "featured" not in vars(b) and "interests" not in vars(b)  # from the class
    assert "draft" in vars(b) and "title" in vars(b)
    a = kept["content/projects/a/index.md"]
    assert a.featured is True and a.interests == ("robotics", "3D printing")
    assert [s.rationale for s in a.standards] == [None, "because"]
    # an edit: the journal holds the new record (whole)
    (root / "content/projects/b.md").write_text(project("B2"), encoding="utf-8")
    fresh = _records(root)
    kept = _records(root)
    assert kept["content/projects/b.md"] == fresh["content/projects/b.md"]
    assert kept["content/projects/b.md"].title == "B2"
    assert kept["content/projects/b.md"].draft is False


@dataclass(frozen=True)
class Plain:
    name: str
    tags: tuple[str, ...] = ()
    flag: bool = False
    count: int = 0
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Ref:
    code: str
    tags: tuple[str, ...]
    line: int = 1


@dataclass(frozen=True)
class Code:
    code: str
    weight: float | int | bool | None


@dataclass
class OwnState:
    name: str
    flag: bool = False

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, restored=True)


def _lean(obj: object) -> bytes:
    """``obj`` pickled as the records file pickles a record (``_write_records``)."""
    kind = type(obj)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=cache.PROTOCOL)
    defaults = pickling.defaults(kind) if pickling.plain(kind) else {}
    pickler.dispatch_table = {kind: functools.partial(cache._lean, defaults)}
    pickler.dump(obj)
    return buffer.getvalue()


def test_only_fields_at_their_default_are_left_out():
    for made in (
        Plain("a"),
        Plain("a", ("x",), True, 3, {"k": 1}),
        Plain("a", (), False, 0, {}),
        Plain("a", flag=0),  # type: ignore[arg-type]  # 0 is not False: kept as it was
    ):
        back = pickle.loads(_lean(made))
        assert back == made and repr(back) == repr(made)
        assert type(back.flag) is type(made.flag)
    assert set(vars(pickle.loads(_lean(Plain("a"))))) == {"name", "extra"}  # (a factory's: kept)
    assert len(_lean(Plain("a"))) < len(pickle.dumps(Plain("a"), protocol=cache.PROTOCOL))
    own = pickle.loads(_lean(OwnState("a")))  # its own __setstate__ gets its whole state
    assert vars(own) == {"name": "a", "flag": False, "restored": True}


def test_loading_the_index_leaves_nothing_frozen(make_portfolio):
    """Loaded records go to the collector's oldest generation (cache.collector_paused): none
    stays in its permanent one (never collected), and the collector is as it was."""
    import gc

    root = make_portfolio({"content/projects/a.md": project("A")})
    _records(root)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert len(_records(root)) == 1
            assert gc.get_freeze_count() == 0 and gc.isenabled() is enabled
        finally:
            gc.enable()


def test_equal_values_are_written_once_and_read_back_shared(make_portfolio):
    """pickling.Shared: a mentor, interests and a standard that two projects have
    alike are one object each once loaded, and each record is still the one read."""
    same = {
        "mentors": "[{name: Dr. A}]",
        "interests": "[robotics, art]",
        "standards": "[MS-ETS1-1]",
    }
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", program="Club", **same),
            "content/projects/b.md": project("B", setting="school", program="Club", **same),
        }
    )
    fresh = _records(root)
    kept = _records(root)
    a, b = kept["content/projects/a.md"], kept["content/projects/b.md"]
    assert a == fresh["content/projects/a.md"] and b == fresh["content/projects/b.md"]
    for key, record in kept.items():  # (the body: a Deferred, whose repr is not a Body's)
        assert [repr(v) for f, v in vars(record).items() if f != "body"] == [
            repr(getattr(fresh[key], f)) for f in vars(record) if f != "body"
        ]
    assert a.mentors[0] is b.mentors[0] and a.interests is b.interests
    assert a.program is b.program and a.date is b.date
    assert a.standards[0].line != b.standards[0].line  # (so two refs)
    assert (
        a.standards[0] is not b.standards[0]
        and a.standards[0] == fresh["content/projects/a.md"].standards[0]
    )


def test_only_values_that_are_the_same_are_shared():
    """Equal is not enough: 1 and True, 1 and 1.0, a str and a subclass of str, a date
    and a datetime stay apart, and a mutable value is never shared."""
    import datetime

    from markupsafe import Markup

    shared = pickling.Shared()
    one, true = shared(Plain("a", count=1)), shared(Plain("a", count=True))  # type: ignore[arg-type]
    assert one is not true and type(true.count) is bool and type(one.count) is int
    assert shared((1,)) is shared((1,)) and shared((True,)) is not shared((1,))
    assert type(shared((1.0,))[0]) is float and shared(("x",)) is not shared((Markup("x"),))
    day = datetime.date(2026, 1, 2)
    assert shared(day) is day and shared(datetime.datetime(2026, 1, 2)) is not day
    first = shared(Plain("a", ("x",), extra={"k": 1}))
    assert shared(Plain("a", ("x",), extra={"k": 1})) is not first  # (two dicts: kept apart)
    code = "7.RP.A.2"
    ref = shared(Ref(code, ("x",)))
    assert shared(Ref("7.RP.A.2", ("x",))) is not ref  # (a field that is a tuple: kept)
    assert shared(Plain("b")) is not shared(Plain("b"))  # (a dict in it: kept)
    assert shared(Code("7.RP.A.2", None)) is shared(Code(code, None))
    assert shared(Code(code, 0.0)).weight == 0.0 and str(shared(Code(code, -0.0)).weight) == "-0.0"
    assert shared(Code(code, 1)) is not shared(Code(code, True))
    for value in (one, true, first, (1, True, 1.0), Markup("<b>")):  # as they were
        back = pickle.loads(pickle.dumps(value, protocol=cache.PROTOCOL))
        assert back == value and repr(back) == repr(value)


def test_a_pause_inside_a_freeze_leaves_the_freeze_alone():
    """gc.unfreeze() moves every frozen object: a pause inside someone's freeze
    (what forked workers inherit) must not undo it."""
    import gc

    from portfolio_gen.cache import collector_paused

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and len(kept) == 1000
    finally:
        gc.unfreeze()
