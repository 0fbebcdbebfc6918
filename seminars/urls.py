from django.urls import path
from django.views.decorators.http import conditional_page

from seminars import feeds, views

app_name = "seminars"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("seminars/", views.SeminarListView.as_view(), name="seminar_list"),
    path(
        "seminars/feed/",
        conditional_page(feeds.etag_only(feeds.UpcomingSeminarFeed())),
        name="seminar_feed",
    ),
    path("calendar.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
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
    path("recaps/feed/", conditional_page(feeds.etag_only(feeds.RecapFeed())), name="recap_feed"),
    path("recaps/<slug:slug>/", views.RecapDetailView.as_view(), name="recap_detail"),
]
