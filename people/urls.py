from django.contrib.auth import views as auth_views
from django.urls import path

from coproseries.pagecache import cache_public_page
from people import views
from people.payments import urls as payments_urls
from seminars.materials import views as materials_views

app_name = "people"

urlpatterns = [
    path(
        "people/",
        cache_public_page(views.PersonListView.as_view(), query=["page"]),
        name="person_list",
    ),
    path(
        "people/<slug:slug>/",
        cache_public_page(views.PersonDetailView.as_view()),
        name="person_detail",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/recording/", views.RecordingWishesView.as_view(), name="recording_wishes"),
    path("profile/talks/<int:pk>/", views.TalkEditView.as_view(), name="talk_edit"),
    path("profile/workshops/<int:pk>/", views.WorkshopEditView.as_view(), name="workshop_edit"),
    path(
        "profile/talks/<int:pk>/slides/",
        materials_views.TalkSlidesView.as_view(),
        name="talk_slides",
    ),
    path(
        "profile/workshops/<int:pk>/slides/",
        materials_views.WorkshopSlidesView.as_view(),
        name="workshop_slides",
    ),
    *payments_urls.urlpatterns,
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path(
        "accounts/logout/",
        auth_views.LogoutView.as_view(template_name="registration/logged_out.html"),
        name="logout",
    ),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
