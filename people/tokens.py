"""One-time links that invite a speaker to set a password, valid for a week."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_VALID_SECONDS = 7 * 24 * 60 * 60


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens with their own salt and a week's life.

    The hash covers the password and last login, so a link stops working once it has been
    used to set a password (and a fresh invitation does not revive an older link's use).
    """

    key_salt = "coproseries.people.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > INVITATION_VALID_SECONDS:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token = InvitationTokenGenerator()
