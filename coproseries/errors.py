from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from seminars.identity import identity_fallback


@requires_csrf_token
def server_error(request):
    """Django's 500 view, naming the organisers from settings alone: the database (or the
    cache) may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"series_identity": identity_fallback()}))
