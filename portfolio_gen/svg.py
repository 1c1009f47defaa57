"""Make an SVG file safe to publish on the portfolio's origin.

An SVG is an active document: opened from the site (or shown through
``<object>``), its ``<script>``, event handlers, ``javascript:`` links and
animations of ``href`` run with the site's rights, and its external references
(``<image href="https://...">``, CSS ``url()``, ``@import``) tell another host
who looks at the page. :func:`sanitize` keeps an allow-list of SVG elements
and attributes and writes a new, deterministic file: everything else is left
out (scripts, ``<foreignObject>``, editor metadata, comments, other
namespaces). Links may only point inside the file (``#id``) or hold a PNG,
JPEG, GIF or WebP picture (``data:image/...``).

Every SVG read anywhere goes through :func:`scan`, the one SVG reader (this
sanitizer and badges/containers.py): expat hardened by xmlsafe.py (no DTD
internal subset, no entities, nothing loaded from outside), the file size and
the nesting capped, the root element ``<svg>``; the work is linear in the size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import NoReturn, TypeVar
from xml.parsers import expat

from . import xmlsafe
from .diagnostics import InputError
from .lazy_dataclass import dataclass

#: Changes whenever the output for the same input changes (cache keys use it).
VERSION = "svg-sanitize/2"  # 2: svg.scan (prefixes declared in the file are honoured)
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 512

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset(
    """a animate animateMotion animateTransform circle clipPath defs desc ellipse feBlend
    feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence filter g image line linearGradient
    marker mask mpath path pattern polygon polyline radialGradient rect set stop style svg
    switch symbol text textPath title tspan use view""".split()
)

ATTRIBUTES = frozenset(
    """id class style lang role tabindex focusable transform x y x1 y1 x2 y2 cx cy r rx ry fx fy
    fr width height d points pathLength viewBox preserveAspectRatio version offset gradientUnits
    gradientTransform spreadMethod patternUnits patternContentUnits patternTransform
    clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits markerUnits markerWidth
    markerHeight refX refY orient href zoomAndPan enable-background
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering cursor direction display dominant-baseline fill
    fill-opacity fill-rule filter flood-color flood-opacity font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight image-rendering
    letter-spacing lighting-color marker-end marker-mid marker-start mask mask-type opacity
    overflow paint-order pointer-events shape-rendering stop-color stop-opacity stroke
    stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width text-anchor text-decoration text-rendering transform-origin
    unicode-bidi vector-effect visibility word-spacing writing-mode mix-blend-mode isolation
    in in2 result stdDeviation dx dy mode type values tableValues slope intercept amplitude
    exponent operator k1 k2 k3 k4 order kernelMatrix divisor bias targetX targetY edgeMode
    kernelUnitLength preserveAlpha surfaceScale diffuseConstant specularConstant
    specularExponent azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle scale
    xChannelSelector yChannelSelector radius baseFrequency numOctaves seed stitchTiles
    rotate textLength lengthAdjust startOffset method spacing side
    attributeName attributeType begin dur end min max restart repeatCount repeatDur calcMode
    keyTimes keySplines from to by additive accumulate path keyPoints systemLanguage""".split()
)
#: Attributes an animation may not change (``<set attributeName="href" to="javascript:...">``).
NOT_ANIMATED = frozenset({"href", "style", "attributeName", "type", "values", "from", "to", "by"})
_ANIMATION = frozenset({"animate", "animateMotion", "animateTransform", "set"})

_SAFE_HREF = re.compile(r"#[^\s]*|data:image/(?:png|jpeg|gif|webp)[;,][^\s]*", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*(.?)", re.IGNORECASE)
_CSS_DANGER = re.compile(
    r"\\|@import|expression|image-set|binding|behavior|javascript:|(?:image|src|cross-fade)\s*\(",
    re.IGNORECASE,
)
_CSS_PIECES = re.compile(r"[^;{}]+|[;{}]")
DROPPED, METADATA = "-", "-metadata"  # not element names: those never start with "-"
# A folder on the builder's computer: C:\..., /home/..., ~/..., \\server, file:...
_PATH = re.compile(r"file:|\b[A-Za-z]:[\\/]|(?:^|[\s\"'=])(?:/|~[\\/]|\\\\)\w", re.IGNORECASE)


class SvgError(InputError):
    """An SVG that cannot be read: one sentence, and the line if known."""


class EntitiesRefused(SvgError):
    """An SVG that declares entities (an entity bomb, an external file): never expanded."""


ENTITIES = (
    "the SVG declares entities in a DTD, which is refused for safety "
    "(no entity expansion, no external entities)"
)
_ILLUSTRATOR = "; export it again without them (in Illustrator: File > Export > Export As > SVG)"


@dataclass(frozen=True)
class Cleaned:
    """A sanitized SVG and what was taken out, for warnings."""

    data: bytes
    active: bool = False  # scripts, event handlers, unsafe links or external references
    paths: bool = False  # editor metadata that named a folder on the builder's computer


def css_ok(text: str) -> bool:
    """True when a CSS fragment can neither run script nor load from anywhere.

    Backslash escapes are refused outright (they could spell any of the rest),
    so the checks below see the text the browser sees.
    """
    if _CSS_DANGER.search(text):
        return False
    return all(m.group(2) == "#" for m in _CSS_URL.finditer(text))


def clean_css(text: str) -> str:
    """``text`` without the declarations, selectors or rules that fail :func:`css_ok`.

    Pieces are cut at ``;``, ``{`` and ``}`` and the separators are kept, so
    what remains cannot join into a new token.
    """
    text = _drop_comments(text)
    return "".join(p for p in _CSS_PIECES.findall(text) if p in ";{}" or css_ok(p))


def _drop_comments(text: str) -> str:
    out, pos = [], 0
    while True:
        start = text.find("/*", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:start])
        end = text.find("*/", start + 2)
        if end < 0:
            return "".join(out)
        pos = end + 2


def _escape(text: str, attr: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attr:
        text = text.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
        text = text.replace("\r", "&#13;")
    return text


def safe_href(value: str) -> str | None:
    """The link if it stays inside the file or holds a picture, else None."""
    value = value.strip()
    return value if _SAFE_HREF.fullmatch(value) else None


# --------------------------------------------------------------------------- the reader


@dataclass(frozen=True, slots=True)
class Tag:
    """A start tag as :func:`scan` tells it."""

    ns: str  # its namespace: "" for none, "?" for a prefix the file never declares
    local: str
    attrs: dict[str, str]  # "<namespace> <local>" for a prefixed attribute, else its name
    line: int
    offset: int  # the byte offset of its "<"


class Reader:
    """What :func:`scan` tells, in document order; a subclass keeps what it needs."""

    def start(self, tag: Tag) -> None:
        """A start tag (an empty element ``<x/>`` is a start and an end)."""

    def end(self, offset: int) -> None:
        """The end of the innermost open element; ``offset`` as expat reports it."""

    def text(self, text: str) -> None:
        """Text (entities and CDATA sections joined, one call per run)."""


R = TypeVar("R", bound=Reader)
_PREFIXES = {"svg": SVG_NS, "xlink": XLINK_NS, "xml": XML_NS}
_UNBOUND = expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]


def scan(data: bytes, reader: Callable[[], R], guess: Mapping[str, str] | None = None) -> R:
    """Read ``data`` as an SVG, telling a ``reader()``; raise SvgError if it is unreadable.

    The limits hold for every caller: at most MAX_BYTES, MAX_DEPTH elements
    inside one another, no entity declarations, the root element ``<svg>``
    (in the SVG namespace, or none).
    A file that uses a prefix it does not declare (``<rdf:RDF>`` pasted into
    ``<metadata>``, an ``xlink:href`` without ``xmlns:xlink``) is read again,
    by a fresh reader, resolving its prefixes by hand: a declared one as
    declared, else svg/xlink/xml, else ``guess`` (qualified name -> namespace:
    ``openbadges:assertion``), else "?". Browsers show such files too.
    """
    if len(data) > MAX_BYTES:
        raise SvgError(f"the SVG file is too large (the limit is {MAX_BYTES // (1024 * 1024)} MiB)")
    try:
        return _scan(data, reader(), None)
    except _Unbound:
        return _scan(data, reader(), guess or {})


class _Unbound(Exception):
    pass


def _scan(data: bytes, reader: R, guess: Mapping[str, str] | None) -> R:
    """One read; ``guess`` None: by expat's namespaces, else by prefixes (see scan)."""

    def refuse(line: int) -> NoReturn:
        raise EntitiesRefused(ENTITIES, line)

    parser = xmlsafe.parser(guess is None, refuse)
    depth = 0  # elements open
    scopes: list[dict[str, str]] = [{}]  # by prefixes: the declarations in scope, innermost last

    def resolve(name: str, attrs: dict[str, str]) -> tuple[str, str, dict[str, str]]:
        declared = dict(scopes[-1])
        for qname, value in attrs.items():
            if qname == "xmlns" or qname.startswith("xmlns:"):
                declared[qname[6:]] = value
        scopes.append(declared)

        def namespace(prefix: str, qname: str) -> str:
            if prefix in declared:
                return declared[prefix]
            return _PREFIXES.get(prefix) or (guess or {}).get(qname, "?")

        prefix, _, local = name.rpartition(":")
        ns = namespace(prefix, name) if prefix else declared.get("", "")
        named = {}
        for qname, value in attrs.items():
            if qname != "xmlns" and not qname.startswith("xmlns:"):
                p, _, a = qname.rpartition(":")
                named[f"{namespace(p, qname)} {a}" if p else a] = value
        return ns, local, named

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise SvgError(
                f"the SVG file is nested too deeply (more than {MAX_DEPTH} elements "
                "inside one another)",
                parser.CurrentLineNumber,
            )
        if guess is None:
            ns, _, local = name.rpartition(" ")
        else:
            ns, local, attrs = resolve(name, attrs)
        if depth == 1 and local != "svg":
            raise SvgError(f"not an SVG image (the root element is <{local}>, not <svg>)")
        if depth == 1 and ns not in (SVG_NS, ""):
            where = "a prefix it never declares" if ns == "?" else f"'{ns}'"
            raise SvgError(f"not an SVG image (its <svg> is in another namespace: {where})")
        reader.start(Tag(ns, local, attrs, parser.CurrentLineNumber, parser.CurrentByteIndex))

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1
        if guess is not None:
            scopes.pop()
        reader.end(parser.CurrentByteIndex)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        if exc.code == _UNBOUND and guess is None:
            raise _Unbound from None
        reason = expat.errors.messages[exc.code] if exc.code else str(exc)
        raise SvgError(
            f"not a well-formed SVG file ({reason}, line {exc.lineno}, column {exc.offset + 1})",
            exc.lineno,
        ) from None
    return reader


# --------------------------------------------------------------------------- the sanitizer


def sanitize(data: bytes) -> Cleaned:
    """The SVG with only allow-listed elements and attributes; raise SvgError if unreadable."""
    try:
        kept = scan(data, _Sanitizer)
    except EntitiesRefused as exc:
        raise SvgError(exc.message + _ILLUSTRATOR, exc.line) from None
    # Empty elements are written <x></x>: the same bytes for <x/> and <x></x>.
    return Cleaned("".join(kept.out).encode("utf-8"), kept.active, kept.paths)


class _Sanitizer(Reader):
    def __init__(self) -> None:
        self.out: list[str] = []
        # The local name of each open element kept; DROPPED for one left out, METADATA for
        # one left out whose text may name the builder's folders (RDF, sodipodi...).
        self.stack: list[str] = []
        self.style: list[str] | None = None  # the text of an open <style>
        self.active = False  # scripts, event handlers, unsafe links or references taken out
        self.paths = False  # a folder on the builder's computer seen in what was taken out

    def note(self, value: str) -> None:
        if looks_like_a_folder(value):
            self.paths = True

    def start(self, tag: Tag) -> None:
        ns, local, stack = tag.ns, tag.local, self.stack
        if (
            (stack and stack[-1] in (DROPPED, METADATA, "style"))  # a <style> holds text only
            or ns not in (SVG_NS, "")
            or local not in ELEMENTS
        ):
            if local in ("script", "foreignObject", "handler", "listener", "iframe"):
                self.active = True
            for value in tag.attrs.values():
                self.note(value)
            metadata = local == "metadata" or ns not in (SVG_NS, "")
            inside = stack[-1] if stack and stack[-1] in (DROPPED, METADATA) else None
            stack.append(inside or (METADATA if metadata else DROPPED))
            return
        kept = _attributes(local, tag.attrs, self)
        if not stack:
            kept = [("xmlns", SVG_NS), ("xmlns:xlink", XLINK_NS), *kept]
        self.out.append("<" + local + "".join(f' {k}="{_escape(v, True)}"' for k, v in kept) + ">")
        stack.append(local)
        if local == "style":
            self.style = []

    def end(self, offset: int) -> None:
        local = self.stack.pop()
        if local in (DROPPED, METADATA):
            return
        if local == "style" and self.style is not None:
            css = "".join(self.style)
            cleaned = clean_css(css)
            if cleaned != _drop_comments(css):
                self.active = True
            self.out.append(_escape(cleaned))
            self.style = None
        self.out.append(f"</{local}>")

    def text(self, text: str) -> None:
        if not self.stack or self.stack[-1] == DROPPED:
            return
        if self.stack[-1] == METADATA:
            self.note(text)
        elif self.style is not None:
            self.style.append(text)
        else:
            self.out.append(_escape(text))


def _attributes(element: str, attrs: dict[str, str], found: _Sanitizer) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    for qname, value in attrs.items():
        ns, _, local = qname.rpartition(" ")
        if ns == XML_NS and local in ("space", "lang"):
            kept.append(("xml:" + local, value))
            continue
        if local.lower().startswith("on"):
            found.active = True
            continue
        if ns not in ("", XLINK_NS) or (ns == XLINK_NS and local != "href"):
            found.note(value)  # sodipodi:docname, inkscape:export-filename...
            continue
        if local not in ATTRIBUTES:
            continue
        if local == "href":
            href = safe_href(value)
            if href is None:
                found.active = True
                found.note(value)
                continue
            kept.append(("xlink:href" if ns else "href", href))
            continue
        if element in _ANIMATION and local == "attributeName":
            target = value.strip().rpartition(":")[2]
            if target not in ATTRIBUTES or target in NOT_ANIMATED or target.startswith("on"):
                found.active = True
                return []  # an animation of something else does nothing: keep it inert
        if local == "style":
            cleaned = clean_css(value)
            if cleaned != _drop_comments(value):
                found.active = True
            if cleaned.strip(" ;"):
                kept.append((local, cleaned))
            continue
        if not css_ok(value):
            found.active = True
            continue
        kept.append((local, value))
    return kept


def looks_like_a_folder(text: str) -> bool:
    """True when ``text`` holds a path on someone's computer (``C:\\...``, ``/home/...``)."""
    return _PATH.search(text) is not None


def notes(cleaned: Cleaned) -> tuple[str, ...]:
    """Warnings for a published SVG: what was taken out, in the learner's words."""
    out = []
    if cleaned.paths:
        out.append("editor metadata removed (it named a folder on your computer)")
    if cleaned.active:
        out.append(
            "scripts, event handlers or references to other sites removed "
            "(an SVG on the site may not run code or load anything from elsewhere)"
        )
    return tuple(out)
