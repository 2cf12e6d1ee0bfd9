"""Routes of the drill's reset (filled by that part)."""
urlpatterns = []
