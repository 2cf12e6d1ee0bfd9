"""Routes of the drill's run pages (filled by that part)."""
urlpatterns = []
