from django.urls import path
from django.views.decorators.http import conditional_page

from coproseries.pagecache import cache_public_page
from seminars import feeds, views
from seminars.about import views as about_views
from seminars.certificates import views as certificate_views
from seminars.feedback import views as feedback_views
from seminars.subscriptions import views as subscription_views

app_name = "seminars"

urlpatterns = [
    path("", cache_public_page(views.HomeView.as_view()), name="home"),
    path(
        "seminars/",
        cache_public_page(views.SeminarListView.as_view(), query=["page"]),
        name="seminar_list",
    ),
    path(
        "seminars/feed/",
        cache_public_page(conditional_page(feeds.etag_only(feeds.UpcomingSeminarFeed()))),
        name="seminar_feed",
    ),
    path("calendar.ics", cache_public_page(views.CalendarFeedView.as_view()), name="calendar_feed"),
    path(
        "seminars/<slug:slug>/",
        cache_public_page(views.SeminarDetailView.as_view()),
        name="seminar_detail",
    ),
    path(
        "seminars/<slug:slug>/register/",
        cache_public_page(views.RegistrationCreateView.as_view()),
        name="registration_create",
    ),
    path(
        "seminars/<slug:slug>/register/sent/",
        views.RegistrationSentView.as_view(),
        name="registration_sent",
    ),
    path(
        "seminars/<slug:slug>/calendar.ics",
        cache_public_page(views.SeminarCalendarView.as_view()),
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
    path(
        "registrations/<str:token>/change/",
        views.RegistrationChangeView.as_view(),
        name="registration_change",
    ),
    path(
        "registrations/<str:token>/data/",
        views.RegistrationDataView.as_view(),
        name="registration_data",
    ),
    path(
        "registrations/<str:token>/certificate/",
        certificate_views.CertificateView.as_view(),
        name="registration_certificate",
    ),
    path(
        "registrations/<str:token>/delete/",
        views.RegistrationEraseView.as_view(),
        name="registration_erase",
    ),
    path(
        "registrations/<str:token>/feedback/",
        feedback_views.FeedbackView.as_view(),
        name="feedback",
    ),
    path(
        "registrations/<str:token>/feedback/sent/",
        feedback_views.FeedbackSentView.as_view(),
        name="feedback_sent",
    ),
    path(
        "subscribe/",
        cache_public_page(subscription_views.SubscribeView.as_view()),
        name="subscribe",
    ),
    path(
        "subscribe/sent/",
        cache_public_page(subscription_views.SubscribeSentView.as_view()),
        name="subscribe_sent",
    ),
    path(
        "subscriptions/<str:token>/confirm/",
        subscription_views.SubscriptionConfirmView.as_view(),
        name="subscription_confirm",
    ),
    path(
        "subscriptions/<str:token>/unsubscribe/",
        subscription_views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path("search/", cache_public_page(views.SearchView.as_view(), query=["q"]), name="search"),
    path("voices/", cache_public_page(views.VoicesView.as_view()), name="voices"),
    path("privacy/", cache_public_page(about_views.PrivacyView.as_view()), name="privacy"),
    path(
        "accessibility/",
        cache_public_page(about_views.AccessibilityView.as_view()),
        name="accessibility",
    ),
    path("glossary/", cache_public_page(about_views.GlossaryView.as_view()), name="glossary"),
    path(
        "recaps/",
        cache_public_page(views.RecapListView.as_view(), query=["page"]),
        name="recap_list",
    ),
    path(
        "recaps/feed/",
        cache_public_page(conditional_page(feeds.etag_only(feeds.RecapFeed()))),
        name="recap_feed",
    ),
    path("themes/", cache_public_page(views.ThemeListView.as_view()), name="theme_list"),
    path(
        "themes/<slug:slug>/",
        cache_public_page(views.ThemeDetailView.as_view()),
        name="theme_detail",
    ),
    path(
        "recaps/<slug:slug>/",
        cache_public_page(views.RecapDetailView.as_view()),
        name="recap_detail",
    ),
]
