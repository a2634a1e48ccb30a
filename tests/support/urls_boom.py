from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
