"""python -m portfolio_gen"""

from .cli import run

run()
