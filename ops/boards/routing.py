from django.urls import path

from ops.boards import consumers

websocket_urlpatterns = [
    path("ws/c/<slug:centre>/board/", consumers.StaffBoardConsumer.as_asgi()),
    path("ws/p/<slug:centre>/board/", consumers.PublicBoardConsumer.as_asgi()),
]
