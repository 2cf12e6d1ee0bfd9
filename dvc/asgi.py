"""ASGI entry point: HTTP through Django, websockets through Channels, on one port."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")

if os.environ.get("HTTP_HANDLER") == "django":  # Django's stock handler, to measure both (README, Benchmarks)
    from django.core.asgi import get_asgi_application  # noqa: E402
else:
    from dvc.http import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()  # before importing consumers: it sets up the app registry

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from dvc.http import BodyLimit  # noqa: E402
from dvc.origin import SameOrigin  # noqa: E402
from dvc.routing import websocket_urlpatterns  # noqa: E402
from dvc.unavailable import SocketsWhileAway  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi_app),  # whichever handler: no body past REQUEST_BODY_MAX_BYTES is read
        # SameOrigin, not Channels' AllowedHostsOriginValidator: its refusal received on the channel layer.
        # SocketsWhileAway: with the database away a handshake is closed with 1013, not an HTTP 500.
        "websocket": SocketsWhileAway(SameOrigin(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)
