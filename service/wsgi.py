"""WSGI entry point for gunicorn (``service.wsgi:app``): the app built from the environment.

Importing it loads WordNet (the statement check's lexical resource, a few seconds) and nothing
else: gunicorn preloads the app in the master before it binds its socket, so no request waits
for it and every forked worker shares it. The feature cache is warmed by the server
(``when_ready`` in docker/gunicorn.conf.py, in the master before it forks), not by every process
that imports this.
"""

from service import create_app
from service.core.text import wordnet

app = create_app()
wordnet.load()
