"""`/api/v1/`: the JSON API of the mobile-app channel, its OpenAPI schema and its docs (served
offline from drf-spectacular-sidecar's static files: no CDN)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import complaints, documents, facilities, information, jobs, postfeed, registry, tracking, views

app_name = "api"

# The busiest first (tracking, filing): Django tries the patterns in order (issue 7).
urlpatterns = [
    path("track/", tracking.TrackView.as_view(), name="track"),
    path("complaints/", complaints.ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaint-subjects/", complaints.ComplaintSubjectsView.as_view(), name="complaint_subjects"),
    path("administrations/", registry.AdministrationListView.as_view(), name="administrations"),
    path("facilities/", facilities.FacilityGeoJsonView.as_view(), name="facilities"),
    path("facilities/nearest/", facilities.FacilityNearestView.as_view(), name="facilities_nearest"),
    path(
        "information-requests/",
        information.InformationRequestCreateView.as_view(),
        name="information_request_create",
    ),
    path(
        "information-requests/<str:reference>/recourse/",
        information.InformationRecourseView.as_view(),
        name="information_request_recourse",
    ),
    path("documents/offices/", documents.DocumentOfficeListView.as_view(), name="documents_offices"),
    path("documents/prices/", documents.DocumentPriceView.as_view(), name="documents_prices"),
    path("documents/orders/", documents.DocumentOrderCreateView.as_view(), name="documents_order_create"),
    path("documents/orders/track/", documents.DocumentOrderTrackView.as_view(), name="documents_order_track"),
    path(
        "documents/orders/<str:reference>/payment/",
        documents.DocumentOrderPaymentView.as_view(),
        name="documents_order_payment",
    ),
    path("post/events/", postfeed.PostFeedView.as_view(), name="post_events"),
    path("jobs/notices/", jobs.JobNoticeListView.as_view(), name="jobs_notices"),
    path("jobs/notices/<int:pk>/", jobs.JobNoticeView.as_view(), name="jobs_notice"),
    path("jobs/notices/<int:pk>/lists/<slug:kind>/", jobs.JobListView.as_view(), name="jobs_list"),
    path("cases/<str:reference>/", tracking.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<str:reference>/messages/", tracking.CaseMessageView.as_view(), name="case_messages"),
    path("cases/<str:reference>/information/", tracking.CaseInformationView.as_view(), name="case_information"),
    path("cases/<str:reference>/attachments/", tracking.CaseAttachmentUploadView.as_view(), name="case_attachments"),
    path(
        "cases/<str:reference>/attachments/<int:attachment_id>/",
        tracking.CaseAttachmentDownloadView.as_view(),
        name="case_attachment",
    ),
    path("cases/<str:reference>/rating/", tracking.CaseRatingView.as_view(), name="case_rating"),
    path("cases/<str:reference>/reopen/", tracking.CaseReopenView.as_view(), name="case_reopen"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    re_path(r"^.*$", views.not_found, name="not_found"),
]
