"""{{project_name}} - FastAPI items service."""

__version__ = "0.1.0"
