"""python -m portfolio_gen"""

import sys

from .cli import main

sys.exit(main())
