"""Access Keys API: /api/v1/projects/{projectId}/accessKeys[/{accessKeyId}]."""

urlpatterns: list = []
