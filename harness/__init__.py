"""Start what a run needs on free loopback ports, and stop it afterwards.

Used by `make test` (python -m harness run -- pytest ...), by the integration tests (server and worker on
top of the test database) and by every bench script. Real servers only: a throwaway PostgreSQL cluster,
a Redis server, uvicorn serving the ASGI app, a Celery worker.
"""
from harness.stack import Stack, free_port, wait_http

__all__ = ["Stack", "free_port", "wait_http"]
