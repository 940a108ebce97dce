"""WSGI entry point for gunicorn (``service.wsgi:app``): the app built from the environment.

Importing it does no start-up work: the feature cache is warmed by the server (``when_ready`` in
docker/gunicorn.conf.py, in the master before it forks), not by every process that imports this.
"""

from service import create_app

app = create_app()
