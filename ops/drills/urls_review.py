"""Routes of the drill's review pages (filled by that part)."""
urlpatterns = []
