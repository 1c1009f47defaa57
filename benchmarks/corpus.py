"""The corpus generator is tests/support/corpus.py (tests build with it too, and
no test imports benchmarks/). This file keeps ``import corpus`` in the
benchmarks and ``python benchmarks/corpus.py --projects 20 --out /tmp/x`` working.
"""

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "tests" / "support" / "corpus.py"
_spec = importlib.util.spec_from_file_location("corpus", _PATH)
assert _spec is not None and _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
if __name__ == "__main__":
    sys.modules["corpus"] = _module  # its dataclasses look their module up by name
    _spec.loader.exec_module(_module)
    _module.main()
else:
    sys.modules[__name__] = _module  # ``import corpus`` gets the generator itself
    _spec.loader.exec_module(_module)
