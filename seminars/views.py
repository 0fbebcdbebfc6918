from django.views.generic import DetailView, ListView, TemplateView

from seminars import selectors
from seminars.models import Recap


class HomeView(TemplateView):
    template_name = "seminars/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **selectors.home_context())


class SeminarListView(TemplateView):
    template_name = "seminars/seminar_list.html"

    def get_context_data(self, **kwargs):
        upcoming, past = selectors.seminar_list_split()
        return super().get_context_data(**kwargs, upcoming=upcoming, past=past)


class SeminarDetailView(DetailView):
    template_name = "seminars/seminar_detail.html"
    context_object_name = "seminar"

    def get_queryset(self):
        return selectors.seminar_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = selectors.seminar_programme(self.object)
        return context


class RecapListView(ListView):
    template_name = "seminars/recap_list.html"
    context_object_name = "recaps"
    paginate_by = 20

    def get_queryset(self):
        return selectors.recap_list_queryset()


class RecapDetailView(DetailView):
    template_name = "seminars/recap_detail.html"
    context_object_name = "recap"

    def get_queryset(self):
        return Recap.objects.public().select_related("seminar").prefetch_related("authors")
