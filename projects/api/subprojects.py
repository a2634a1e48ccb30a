"""Subprojects API: /api/v1/projects/{parentProjectId}/subprojects, /api/v1/subprojects/{id}."""

urlpatterns: list = []
