"""The no-op yardstick of bench/ingest.py: a Flask app that takes the event URL's POST and does nothing with it.

    gunicorn --config deploy/gunicorn.conf.py --pythonpath bench noop_app:app

Served by the same gunicorn settings as the service, it costs what any Flask request costs there (the server,
WSGI, routing, reading the body), so `ingest / no-op` is the share of that ceiling the real endpoint keeps.
"""
from flask import Flask, request

app = Flask(__name__)


@app.post("/api/v1/shops/<int:shop_id>/events")
def receive_event(shop_id):
    request.get_data()  # the body is read, as the real endpoint reads it, and dropped
    return "", 204


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
