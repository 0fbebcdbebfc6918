"""A small HTTP client for the rehearsal: a visitor with a cookie jar, over TLS to nginx,
that does not follow redirects (the tests look at them) and posts forms as a browser does,
with the CSRF token from the page and a Referer."""

import gzip
import http.cookiejar
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict
    raw: bytes
    url: str = ""
    history: list = field(default_factory=list)

    @property
    def text(self):
        body = self.raw
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower(), "")


class _AppHostCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """nginx speaks TLS to browsers and plain HTTP to the app hosts: a visitor talking to a
    host directly, in nginx's place, sends the site's Secure cookies over that plain HTTP."""

    def return_ok_secure(self, cookie, request):
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its own cookies, trusting the rehearsal's self-signed certificate."""

    def __init__(self, base_url, cafile=None, timeout=30, *, as_proxy_for=None):
        """as_proxy_for: the public site URL, when talking to one app host directly with the
        headers nginx would add (Host, X-Forwarded-Proto)."""
        self.base_url = base_url.rstrip("/")
        self.site_url = (as_proxy_for or base_url).rstrip("/")
        self.default_headers = {}
        policy = None
        if as_proxy_for:
            self.default_headers = {
                "Host": urllib.parse.urlsplit(as_proxy_for).netloc,
                "X-Forwarded-Proto": "https",
            }
            policy = _AppHostCookiePolicy()
        self.cookies = http.cookiejar.CookieJar(policy)
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()]
        if cafile:
            handlers.append(
                urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile))
            )
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout = timeout

    def request(self, method, path, *, data=None, headers=None, follow=False):
        url = path if "://" in path else f"{self.base_url}{path}"
        history = []
        for _ in range(5):
            request = urllib.request.Request(
                url, data=data, method=method, headers={**self.default_headers, **(headers or {})}
            )
            try:
                with self.opener.open(request, timeout=self.timeout) as raw:
                    response = Response(raw.status, _headers(raw), raw.read(), url)
            except urllib.error.HTTPError as error:
                response = Response(error.code, _headers(error), error.read(), url)
            if not (follow and response.status in (301, 302, 303)):
                response.history = history
                return response
            history.append(response)
            url = urllib.parse.urljoin(url, response.header("location"))
            method, data = "GET", None
        raise RuntimeError(f"too many redirects from {path}")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path):
        page = self.get(path)
        match = CSRF_INPUT.search(page.text)
        assert match, f"no form on {path} ({page.status})"
        return match[1]

    def post_form(self, path, fields, *, files=None, form_path=None, headers=None, follow=False):
        """Post a form the way a browser does: fetch the page (form_path, or the same path),
        take its CSRF token, send the fields (multipart when there are files)."""
        fields = {"csrfmiddlewaretoken": self.csrf_token(form_path or path), **fields}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        headers = {
            "Content-Type": content_type,
            "Referer": f"{self.site_url}{form_path or path}",
            **(headers or {}),
        }
        return self.request("POST", path, data=body, headers=headers, follow=follow)


def _headers(response):
    """Header names in lower case; a header sent twice (nginx adds its own Vary) joined."""
    headers = {}
    for name, value in response.headers.items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def multipart(fields, files):
    """multipart/form-data: fields {name: value or [values]}, files {name: (filename, bytes,
    content type)}."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
