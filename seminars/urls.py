from django.urls import path

from seminars import views

app_name = "seminars"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("seminars/", views.SeminarListView.as_view(), name="seminar_list"),
    path("seminars/<slug:slug>/", views.SeminarDetailView.as_view(), name="seminar_detail"),
    path(
        "seminars/<slug:slug>/register/",
        views.RegistrationCreateView.as_view(),
        name="registration_create",
    ),
    path(
        "seminars/<slug:slug>/register/sent/",
        views.RegistrationSentView.as_view(),
        name="registration_sent",
    ),
    path(
        "seminars/<slug:slug>/calendar.ics",
        views.SeminarCalendarView.as_view(),
        name="seminar_calendar",
    ),
    path(
        "registrations/<str:token>/",
        views.RegistrationManageView.as_view(),
        name="registration_manage",
    ),
    path(
        "registrations/<str:token>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("recaps/", views.RecapListView.as_view(), name="recap_list"),
    path("recaps/<slug:slug>/", views.RecapDetailView.as_view(), name="recap_detail"),
]
