"""The contributor's payment pages, under /profile/ (included by people/urls.py)."""

from django.urls import path

from people.payments import views

urlpatterns = [
    path("profile/offers/<int:pk>/", views.OfferDetailView.as_view(), name="offer_detail"),
    path(
        "profile/offers/<int:pk>/claims/new/",
        views.ClaimCreateView.as_view(),
        name="claim_create",
    ),
    path("profile/claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("profile/claims/<int:pk>/receipt/", views.ReceiptView.as_view(), name="claim_receipt"),
]
