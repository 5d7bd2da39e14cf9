"""Open311 GeoReport v2, mounted by config/urls.py at /open311/v2/."""

from django.urls import path, re_path

from ghiseu.petitions import open311

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^services\.{FMT}$", open311.services, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]{{1,60}})\.{FMT}$", open311.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", open311.requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]{{1,40}})\.{FMT}$", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]{{1,60}})\.{FMT}$", open311.token, name="token"),
    path("media/<int:pk>.<str:ext>", open311.media, name="media"),
    re_path(r"^(?P<path>.*)$", open311.not_found, name="not-found"),
]
