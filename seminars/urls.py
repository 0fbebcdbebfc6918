from django.urls import path

from seminars import views

app_name = "seminars"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("seminars/", views.SeminarListView.as_view(), name="seminar_list"),
    path("seminars/<slug:slug>/", views.SeminarDetailView.as_view(), name="seminar_detail"),
    path("recaps/", views.RecapListView.as_view(), name="recap_list"),
    path("recaps/<slug:slug>/", views.RecapDetailView.as_view(), name="recap_detail"),
]
