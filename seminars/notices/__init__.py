"""Telling registrants what changed: a seminar cancelled, moved in time or to another venue
(emailed, with the calendar entry updated), and programme changes (shown on the pages)."""
