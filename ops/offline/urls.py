"""The offline parts' own routes (the service worker's script), at the site root."""
app_name = "offline"
urlpatterns = []
