"""The pages about the site itself: the privacy notice, the accessibility statement and the
glossary, and the one sentence that says how long registrants' details are kept."""
