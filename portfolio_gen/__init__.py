"""portfolio-gen: learner portfolios from Markdown projects, Open Badges and standards."""

__version__ = "0.1.0"
