"""The drill's pages under c/<centre>/drill/: each part keeps its own routes (the run, the reset, the review)."""
from ops.drills.urls_reset import urlpatterns as reset
from ops.drills.urls_review import urlpatterns as review
from ops.drills.urls_run import urlpatterns as run

app_name = "drills"
urlpatterns = [*run, *reset, *review]
