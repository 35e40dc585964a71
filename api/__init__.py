"""The read-only open-data API (issue 16), mounted under /api by asgi.py: `create_app(engine_factory)`.

A layer of its own beside ui/: it may use services, analytics and db, never Streamlit or ui
(tests/test_layers.py). What the public may see is decided in services/public.py, not here."""

from api.app import create_app

__all__ = ["create_app"]
