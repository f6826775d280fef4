"""kaart: a map of re-integration and work-based-learning initiatives, built with Pelican."""

__version__ = "0.1.0"
