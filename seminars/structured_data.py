"""schema.org JSON-LD for seminars (Event) and recaps (Article), built from our models."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe

from seminars.identity import series_identity

# The characters that could end a <script> block or start markup, written as JSON escapes.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    """JSON that is safe inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))


def _local_iso(moment):
    return timezone.localtime(moment).isoformat()


def _url(path):
    return f"{settings.SITE_URL}{path}"


def _person(person):
    data = {"@type": "Person", "name": person.name}
    if person.is_listed:
        data["url"] = _url(person.get_absolute_url())
    return data


def _organizer(series):
    return {"@type": "Organization", "name": series.title, "url": _url("/")}


def _place(venue, provisions=()):
    """The venue, with what the seminar provides there for access as its amenity features."""
    address = {"@type": "PostalAddress", "addressCountry": "GB"}
    street = ", ".join(line.strip() for line in venue.address.splitlines() if line.strip())
    for key, value in [
        ("streetAddress", street),
        ("addressLocality", venue.city),
        ("postalCode", venue.postcode),
    ]:
        if value:
            address[key] = value
    place = {"@type": "Place", "name": venue.name, "address": address}
    if provisions:
        place["amenityFeature"] = [
            {"@type": "LocationFeatureSpecification", "name": provision.name, "value": True}
            for provision in provisions
        ]
    return place


def _availability(availability):
    if availability.code in {"full", "waitlist"}:
        return "https://schema.org/SoldOut"
    if availability.code == "not_yet":
        return "https://schema.org/PreOrder"
    if availability.code == "open":
        if availability.places_left is not None and availability.places_left <= 5:
            return "https://schema.org/LimitedAvailability"
        return "https://schema.org/InStock"
    return "https://schema.org/Discontinued"


def seminar_event(seminar, *, programme, availability):
    page_url = _url(seminar.get_absolute_url())
    online = bool(seminar.online_url) or seminar.venue is None
    # schema.org gives amenities to a Place only: an online-only seminar has none to carry
    # them, and a hybrid one lists them all on its venue.
    provisions = seminar.access_provision_list
    if seminar.venue and online:
        mode, location = "Mixed", [_place(seminar.venue, provisions), _virtual(page_url)]
    elif seminar.venue:
        mode, location = "Offline", _place(seminar.venue, provisions)
    else:
        mode, location = "Online", _virtual(page_url)
    performers, seen = [], set()
    for item in programme:
        for person in item.people:
            if person.pk not in seen:
                seen.add(person.pk)
                performers.append(_person(person))
    offer = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "GBP",
        "availability": _availability(availability),
        # The seminar's page, which says how to register: robots.txt keeps crawlers off the
        # registration form itself, and a search engine drops an offer it cannot fetch.
        "url": page_url,
    }
    if seminar.registration_opens_at:
        offer["validFrom"] = seminar.registration_opens_at.isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": seminar.title,
        "description": seminar.summary,
        "url": page_url,
        # The series' card, the same image the page gives social sites (og:image).
        "image": [_url(static("img/og-default.png"))],
        "startDate": _local_iso(seminar.starts_at),
        "endDate": _local_iso(seminar.ends_at),
        "eventStatus": "https://schema.org/EventCancelled"
        if seminar.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
        "location": location,
        "performer": performers,
        "organizer": _organizer(seminar.series),
        "isAccessibleForFree": True,
        "offers": offer,
    }
    return json_ld(data)


def _virtual(page_url):
    # The joining link is private: the public data points at the seminar's page.
    return {"@type": "VirtualLocation", "url": page_url}


def recap_article(recap):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": recap.title,
        "description": recap.summary,
        "url": _url(recap.get_absolute_url()),
        "datePublished": _local_iso(recap.published_at),
        "dateModified": _local_iso(max(recap.updated_at, recap.published_at)),
        "author": [_person(author) for author in recap.authors.all()],
        "publisher": {"@type": "Organization", "name": series_identity().name, "url": _url("/")},
    }
    if recap.seminar and recap.seminar.status != "draft":
        data["about"] = {
            "@type": "Event",
            "name": recap.seminar.title,
            "url": _url(recap.seminar.get_absolute_url()),
        }
    return json_ld(data)
