from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from people.models import Person, Role
from seminars import selectors


def _public_roles():
    return Prefetch("roles", queryset=Role.objects.all(), to_attr="role_list")


class PersonListView(ListView):
    template_name = "people/person_list.html"
    context_object_name = "people"
    paginate_by = 60

    def get_queryset(self):
        return Person.objects.filter(is_listed=True).prefetch_related(_public_roles())


class PersonDetailView(DetailView):
    """A listed person's page. Unlisted people appear by name on programmes only."""

    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.filter(is_listed=True).prefetch_related(_public_roles())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = selectors.person_programme(self.object)
        context["recaps"] = selectors.person_recaps(self.object)
        return context
