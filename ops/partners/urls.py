"""三者連携's pages: the organisations' own (views_partner: their jobs, on a phone), the centre staff's (views_staff:
organisations, the technical desk, offering and withdrawing) and the 情報共有会議 sheet (views_meeting)."""
from django.urls import path

app_name = "partners"

urlpatterns: list = []
for _module in ("views_partner", "views_staff", "views_meeting"):
    try:
        urlpatterns += __import__(f"ops.partners.{_module}", fromlist=["urls"]).urls
    except ModuleNotFoundError as err:
        if err.name != f"ops.partners.{_module}":
            raise

__all__ = ["path", "urlpatterns"]
