"""Websocket routes, collected from the apps that serve live pages."""
from ops.boards.routing import websocket_urlpatterns as boards
from ops.dispatch.routing import websocket_urlpatterns as dispatch
from ops.needs.routing import websocket_urlpatterns as needs
from ops.reports.routing import websocket_urlpatterns as reports
from ops.volunteers.routing import websocket_urlpatterns as volunteers

websocket_urlpatterns = [*boards, *dispatch, *needs, *reports, *volunteers]
