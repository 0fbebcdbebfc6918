"""Planning a seminar in the admin in as few steps as it takes: the series and number filled
in, the end on the start's day, a new venue typed on the seminar's own form, and "Save and
publish" (for recaps too)."""
