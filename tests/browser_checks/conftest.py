"""Built sites for the browser checks, once per test process (each xdist worker builds its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.sites import build, build_hub, copy_demo, feature_portfolio, hub_file


@pytest.fixture(scope="session")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo portfolio built in English, Spanish and Arabic: language -> site folder."""
    folder = tmp_path_factory.mktemp("demo")
    return {lang: build(copy_demo(folder / lang, lang)) for lang in ("en", "es", "ar")}


@pytest.fixture(scope="session")
def feature_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The feature fixture (with drafts), and a hub over it and its peer: name -> site folder."""
    folder = tmp_path_factory.mktemp("features")
    root = feature_portfolio(folder)
    site = build(root, "--drafts")
    hub = build_hub(hub_file(folder), folder / "hub-site")
    return {"portfolio": site, "hub": hub}
