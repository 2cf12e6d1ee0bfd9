"""The client's address, for every rule that counts by it (login lockout, public form, API rates).

It is REMOTE_ADDR as the ASGI server set it, never an X-Forwarded-For header read here: uvicorn replaces
REMOTE_ADDR with the forwarded address only when the connection comes from a proxy it trusts
(FORWARDED_ALLOW_IPS: the compose proxy, or 127.0.0.1 under `make run`), so a header a client writes itself
changes nothing.
"""


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or ""
