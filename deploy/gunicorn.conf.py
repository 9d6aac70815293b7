"""gunicorn settings for the panel and the event API: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

Requests are short (one signed event is stored and acknowledged; jobs do the work), so a few processes
with a few threads each keep a core busy while one waits on the database.
"""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("WEB_THREADS", 4))
worker_class = "gthread"
timeout = 30  # a request never waits on WooCommerce or SMTP; jobs do
graceful_timeout = 20
keepalive = 5
max_requests, max_requests_jitter = 5000, 500  # recycle workers now and then: no slow memory creep
accesslog = "-"
# Client addresses from the TLS proxy in front (X-Forwarded-For); set FORWARDED_ALLOW_IPS to its address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True
