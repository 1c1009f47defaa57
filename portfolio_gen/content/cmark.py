"""cmark-gfm's HTML of a Markdown text, and whether it is all cmark-gfm's own.

Kept apart from markdown.py (which renders with it) and trusted.py (which
relies on the second answer) so that a build reading one source imports
neither more nor less than it needs.
"""

from __future__ import annotations

import re

from cmarkgfm import _cmark  # (cmarkgfm.cmark wraps it: its renderer decodes strictly)
from cmarkgfm.cmark import Options

_lib, _ffi = _cmark.lib, _cmark.ffi
_UNSAFE = Options.CMARK_OPT_UNSAFE
_extensions: dict[str, object] = {}
# What raw HTML and autolinks start with (a tag, "</", "<!--", "<!X", "<?").
_MAYBE_RAW = re.compile(r"<[A-Za-z/!?]")
_OMITTED = "<!-- raw HTML omitted -->"  # what cmark-gfm writes for it in its safe mode


def to_html(text: str, options: int, extensions: tuple[str, ...]) -> tuple[str, bool]:
    """cmark-gfm's HTML of ``text``, and whether it is all its own: no raw HTML (the
    text is written again without ``CMARK_OPT_UNSAFE``, 0.02 ms, when it holds a '<'
    that may start some) and no carriage return (the sanitizer's parser makes it a
    newline; cmark-gfm writes none that we know of, but that is not modelled). Bytes that are not UTF-8 (cmark-gfm cuts a footnote label inside a
    character) become U+FFFD."""
    if not _extensions:
        _lib.cmark_gfm_core_extensions_ensure_registered()
    parser = _lib.cmark_parser_new(options)
    try:
        for name in extensions:
            if name not in _extensions:
                _extensions[name] = _lib.cmark_find_syntax_extension(name.encode())
            _lib.cmark_parser_attach_syntax_extension(parser, _extensions[name])
        data = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, data, len(data))
        root = _lib.cmark_parser_finish(parser)
        attached = _lib.cmark_parser_get_syntax_extensions(parser)

        def render(options: int) -> str:
            html = _lib.cmark_render_html(root, options, attached)
            return str(_ffi.string(html).decode("utf-8", "replace"))

        html = render(options)
        own = "\r" not in text and not (
            _MAYBE_RAW.search(text) and _OMITTED in render(options & ~_UNSAFE)
        )
    finally:
        _lib.cmark_parser_free(parser)
    return html, own
