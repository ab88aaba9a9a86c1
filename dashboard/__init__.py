"""National cancer registry: release pipeline, public dashboard and data API."""

__version__ = "0.1.0"
