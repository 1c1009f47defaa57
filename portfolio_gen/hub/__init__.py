"""``portfolio-gen hub``: moved to a package; split into its modules in the next commit."""

from .members import *  # noqa: F403
from .members import _size  # noqa: F401
