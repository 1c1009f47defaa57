"""The closed sets are Literal types that mypy checks (issue 21), and the tuples the
code reads at run time are made from them, with the values they always had."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_gen.colours import LAYOUTS
from portfolio_gen.content.projects import SETTINGS
from portfolio_gen.diagnostics import ERROR, WARNING
from portfolio_gen.standards.reviews import STATUSES
from portfolio_gen.standards.schemes import SCHEME_NAMES

REPO = Path(__file__).resolve().parent.parent

# One misspelt value for each closed set, after the same call with a right one.
# mypy must accept every "ok" line and flag every "bad" line.
CALLS = {
    "severity": (
        "from portfolio_gen.diagnostics import Diagnostic",
        'Diagnostic("a.md", 1, {!r}, "m")',
        "warning",
        "warnng",
    ),
    "signature": (
        "from portfolio_gen.badges.verify import Findings",
        "Findings(signature={!r})",
        "hosted-ok",
        "hosted",
    ),
    "recipient": (
        "from portfolio_gen.badges.verify import Findings",
        "Findings(recipient={!r})",
        "unchecked",
        "unknown",
    ),
    "proof": (
        "from portfolio_gen.badges.integrity import ProofResult",
        'ProofResult({!r}, "")',
        "unavailable",
        "missing",
    ),
    "endorsement": (
        "from portfolio_gen.badges.model import Endorsement",
        'Endorsement("A", about={!r}, spec="ob2")',
        "issuer",
        "profile",
    ),
    "spec": (
        "from portfolio_gen.badges.model import Endorsement",
        'Endorsement("A", spec={!r})',
        "ob3",
        "ob4",
    ),
    "review status": (
        "from portfolio_gen.standards.reviews import Verdict",
        'Verdict("Ms. Rivera", {!r}, None)',
        "partial",
        "parcial",  # a spelling a teacher may type, not the status itself
    ),
    "layout": (
        "from portfolio_gen.config import ThemeOptions",
        "ThemeOptions(layout={!r})",
        "journal",
        "list",
    ),
    "scheme": (
        "from portfolio_gen.standards.model import Standard",
        'Standard("K-PS2-1", "NGSS", scheme={!r})',
        "NGSS",
        "ngss",
    ),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[int, str]]:
    """A file of right and wrong calls, and mypy's messages about it by line number."""
    api = pytest.importorskip("mypy.api")
    folder = tmp_path_factory.mktemp("types")
    source = sorted({imports for imports, *_ in CALLS.values()})
    for _, call, ok, bad in CALLS.values():
        source += [call.format(ok), call.format(bad)]
    snippet = folder / "snippet.py"
    snippet.write_text("\n".join(source) + "\n", encoding="utf-8")
    config = ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(folder / "cache")]
    out, err, _ = api.run([*config, "--follow-imports", "silent", str(snippet)])
    assert not err, err
    messages: dict[int, str] = {}
    for message in out.splitlines():
        if message.startswith(f"{snippet}:"):
            line = int(message.split(":")[1])
            messages[line] = messages.get(line, "") + message
    return source, messages


@pytest.mark.parametrize("name", list(CALLS))
def test_mypy_rejects_a_value_outside_the_closed_set(
    checked: tuple[list[str], dict[int, str]], name: str
):
    source, messages = checked
    _, call, ok, bad = CALLS[name]
    ok_line = source.index(call.format(ok)) + 1
    bad_line = source.index(call.format(bad)) + 1
    assert ok_line not in messages, messages[ok_line]
    assert f"\"Literal['{bad}']\"" in messages.get(bad_line, "accepted"), messages.get(bad_line)


def test_the_tuples_read_at_run_time_keep_their_values_and_order():
    assert (ERROR, WARNING) == ("error", "warning")
    assert SETTINGS == ("in-school", "out-of-school", "home", "online", "community")
    assert STATUSES == ("begun", "partial", "completed")  # lowest first: Review.rank
    assert SCHEME_NAMES == ("ccss", "ngss")
    assert LAYOUTS == ("grid", "journal")
