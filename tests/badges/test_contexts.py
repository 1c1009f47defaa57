"""The JSON-LD contexts shipped as package data (portfolio_gen/badges/contexts/)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from portfolio_gen.badges import _contexts
from portfolio_gen.badges._contexts import CONTEXTS


def test_every_shipped_file_is_served_by_its_url_and_nothing_else():
    folder = resources.files("portfolio_gen.badges") / "contexts"
    on_disk = sorted(p.name for p in folder.iterdir() if p.name.endswith(".jsonld"))
    assert on_disk == sorted(_contexts.FILES.values())
    assert len(CONTEXTS) == 12 and list(CONTEXTS) == list(_contexts.FILES)
    for url in CONTEXTS:
        document = json.loads(CONTEXTS[url])
        assert "@context" in document, url
    assert "https://example.org/context.json" not in CONTEXTS
    with pytest.raises(KeyError):
        CONTEXTS["https://example.org/context.json"]


def test_a_context_is_read_once_and_the_mapping_is_read_only():
    shipped = _contexts._Shipped()
    url = "https://w3id.org/security/multikey/v1"
    assert shipped[url] is shipped[url]  # read once, then kept
    assert not hasattr(shipped, "__setitem__")
    with pytest.raises(TypeError):
        shipped[url] = "{}"  # type: ignore[index]
