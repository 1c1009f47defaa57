"""The GFM spec's examples through the project's renderer: at least 95% agree.

tests/fixtures/gfm/spec.txt is the GitHub Flavored Markdown spec (test/spec.txt of
github/cmark-gfm, CC-BY-SA 4.0); normalize.py is its own HTML normalizer
(BSD-2-Clause). Both HTMLs are normalized as cmark-gfm's spec tests do, after
undoing the differences that are ours on purpose:

- heading ids and the "#" link to each heading (GitHub's slugs; the spec has none);
- the page title is the only h1: headings move down a level when there is one;
- smart punctuation (curly quotes, dashes, ellipses), as GitHub renders READMEs too;
- code blocks with a language are highlighted by Pygments (spans in a div);
- links and images are resolved against the portfolio (resolution is switched
  off here: tests/content/test_markdown.py tests it), images from other hosts
  become links, and task list items get class="task";
- unhighlighted code blocks keep GitHub's ``<pre lang="...">``;
- raw HTML is sanitized by nh3 (allow-list): examples of raw HTML, and the
  tagfilter extension's, disagree where they hold tags or attributes outside it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from portfolio_gen.content import markdown

SPEC = Path(__file__).parent.parent / "fixtures" / "gfm"
sys.path.insert(0, str(SPEC))
from normalize import normalize_html  # noqa: E402


def examples() -> list[tuple[int, str, str]]:
    found, state, md, html, number = [], 0, [], [], 0
    fence = "`" * 32
    for line in (SPEC / "spec.txt").read_text(encoding="utf-8").splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(fence + " example"):
            state, md, html = 1, [], []
        elif stripped == fence:
            number += 1
            found.append((number, "".join(md).replace("→", "\t"), "".join(html).replace("→", "\t")))
            state = 0
        elif stripped == "." and state == 1:
            state = 2
        elif state == 1:
            md.append(line)
        elif state == 2:
            html.append(line)
    return found


_SMART = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2026": "...",
          "\u2014": "---", "\u2013": "--"}  # fmt: skip


def ours(text: str, expected: str) -> str:
    html = markdown.MarkdownRenderer().render(text, "projects/a/index.md").html
    html = re.sub(r'<a class="headerlink"[^>]*>#</a>', "", html)
    html = re.sub(r'(<h[1-6]) id="[^"]*"', r"\1", html)
    if "<h1" in expected:
        html = re.sub(r"<(/?)h([2-6])", lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}", html)
    html = html.replace(' class="task"', "")
    html = re.sub(r'<pre lang="[^"]*">', "<pre>", html)  # GitHub's pre lang="..."
    if "<tbody>" not in expected:  # the sanitizer's HTML parser adds tbody to raw tables
        html = html.replace("<tbody>", "").replace("</tbody>", "")
    html = re.sub(r'<div class="highlight"><pre><span></span><code>', "<pre><code>", html)
    if "<pre><code>" in html:
        html = re.sub(r"</code></pre></div>", "</code></pre>", html)
        html = re.sub(r"</?span[^>]*>", "", html) if "<span" not in expected else html
    for char, ascii_text in _SMART.items():
        if char not in expected:
            html = html.replace(char, ascii_text)
    return html


def _plain(expected: str) -> str:
    return re.sub(r'<code class="language-[^"]*">', "<code>", expected)


def _same(normalized: str) -> str:
    """Serializations that mean the same: '"' or '&quot;' in text, 'checked' or 'checked=""'."""
    return normalized.replace("&quot;", '"').replace('=""', "")


@pytest.fixture(scope="module")
def results(request):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown._Pass, "resolve", lambda self, element, value, raw="": value)
        patch.setattr(
            markdown._Pass,
            "external_image",
            lambda self, url, attrs: (
                "<img " + " ".join(f'{k}="{markdown.escape(v)}"' for k, v in attrs.items()) + ">"
            ),
        )
        patch.setattr(markdown.MarkdownRenderer, "allowed", lambda self, src: True)
        out = {}
        for number, text, expected in examples():
            try:
                mine = _same(normalize_html(ours(text, expected)))
            except Exception:  # noqa: BLE001 - a normalizer failure is a disagreement
                mine = None
            out[number] = (mine == _same(normalize_html(_plain(expected))), text, expected, mine)
    return out


def sanitized(expected: str) -> bool:
    """An example whose HTML the sanitizer changes (raw HTML outside the allow-list,
    comments, processing instructions, tbody added): ours on purpose."""
    cleaned = MD.cleaner.clean(expected).replace("<tbody>", "").replace("</tbody>", "")
    return _same(normalize_html(cleaned)) != _same(normalize_html(expected))


MD = markdown.MarkdownRenderer()


def test_at_least_95_percent_of_the_spec_examples_agree(results):
    kept = {n: r for n, r in results.items() if not sanitized(r[2])}
    agree = sum(ok for ok, *_ in kept.values())
    failing = [n for n, (ok, *_) in kept.items() if not ok]
    assert len(kept) > 600  # the sanitizer's differences are a few dozen examples
    print(f"{agree} of {len(kept)} agree ({len(results) - len(kept)} sanitized)")
    assert agree / len(kept) >= 0.95, (agree, len(kept), failing)
