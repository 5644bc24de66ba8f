"""WSGI entry point: `flask --app app run`, `gunicorn app:app`."""
from canal import create_app

app = create_app()
