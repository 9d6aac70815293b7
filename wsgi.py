"""The WSGI entry point: `gunicorn wsgi:app` in production, `flask --app wsgi ...` for every command."""
from crisisdesk import create_app

app = create_app()
