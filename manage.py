#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproseries.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # The settings refuse an unsafe configuration (DEBUG off without a secret key): say
        # why in one line rather than deep in a traceback.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"coproseries will not start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
