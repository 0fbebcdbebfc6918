"""Where uploaded slides are stored: under a name nobody can guess.

Media is public (a filesystem served by nginx, or a bucket's public URL), so slides not yet
published must not be reachable by guessing their address: each file sits in a folder named
by 128 random bits, with a readable name after it for whoever downloads it.
"""

import secrets

from django.utils.text import slugify

SLIDES_FOLDER = "slides"


def slides_upload_to(instance, filename):
    """`slides/<32 random hex digits>/<the item's title>.pdf`, whatever the upload's name."""
    readable = slugify(getattr(instance, "title", ""))[:80].strip("-") or "slides"
    return f"{SLIDES_FOLDER}/{secrets.token_hex(16)}/{readable}.pdf"
