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
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from dvc.routing import websocket_urlpatterns  # noqa: E402
from dvc.unavailable import SocketsWhileAway  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SocketsWhileAway(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)
