"""An XML parser for files someone else wrote (SVG pictures, SVG badges).

expat with no DTD read: no parameter entities, and an internal DTD subset, an
entity declaration or an external entity stops the parse (so no entity bomb
and no file or URL is ever read). Text comes in one call per run, not one per
entity or CDATA section, so a reader that joins it stays linear.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn
from xml.parsers import expat


def parser(namespaces: bool, refuse: Callable[[int], NoReturn]) -> Any:
    """A hardened expat parser; ``refuse(line)`` raises the caller's error for a DTD.

    With ``namespaces``, element and attribute names are ``"<namespace> <local>"``.
    """
    p = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True

    def stop(*_args: Any) -> None:
        refuse(p.CurrentLineNumber)

    def doctype(_name: str, _sys: str | None, _pub: str | None, internal: int) -> None:
        if internal:
            stop()

    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = stop
    p.UnparsedEntityDeclHandler = stop
    p.ExternalEntityRefHandler = stop  # type: ignore[assignment]  # typeshed: it returns int
    return p
