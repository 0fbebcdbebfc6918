"""Access, structured: the provisions a seminar offers (step-free access, live captions…),
from a vocabulary organisers own, and what each registrant asks for from the same list, with
where the organisers are in arranging it, and a companion or personal assistant's place.

What a registrant asks for is health data: only organisers and the registrant see it, it is
never logged, and it is erased with the rest of the registration (seminars.services)."""
