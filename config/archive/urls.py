from django.urls import path

from config.archive import views

app_name = "archive"

urlpatterns = [
    path("snapshots/<int:pk>/", views.snapshot_text, name="text"),
    path("snapshots/<int:pk>/screenshot.png", views.snapshot_screenshot, name="screenshot"),
    path("snapshots/<int:pk>/warc", views.snapshot_warc, name="warc"),
    path("claims/<int:pk>/bundle.zip", views.claim_bundle_download, name="bundle"),
    path("", views.watch, name="watch"),
]

# For anyone: the archived text of a page a published claim appeared in (config/urls.py).
public_urlpatterns = [
    path("fact-checks/archived/<int:pk>/", views.public_text, name="factcheck-archived"),
]
