from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from seminars.identity import identity_for_error_page


@requires_csrf_token
def server_error(request):
    """Django's 500 view, naming the series and its organisers from the cache, or from
    settings alone when the cache cannot say: the database (or the cache) may be what
    failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"series_identity": identity_for_error_page()}))
