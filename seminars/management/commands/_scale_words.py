"""Word lists for `seed_scale`. Everything built from them is fictional and says so.

Names are common given names and surnames combined at random: no real person is described,
and every biography states that it was generated.
"""

GIVEN_NAMES = [
    "Aaliyah", "Abdul", "Ada", "Aisha", "Alex", "Amara", "Amir", "Ana", "Arjun", "Beatriz",
    "Ben", "Bilal", "Bronwen", "Callum", "Carys", "Chen", "Chidi", "Ciara", "Dafydd", "Dev",
    "Eilidh", "Elif", "Emeka", "Erin", "Farah", "Femi", "Finn", "Gwen", "Hana", "Hamza",
    "Ifeoma", "Imran", "Iris", "Isla", "Jai", "Jamie", "Jun", "Kasia", "Kofi", "Lena",
    "Leon", "Li", "Mairi", "Marek", "Maya", "Mei", "Nadia", "Niamh", "Nico", "Noor",
    "Olu", "Omar", "Owen", "Priya", "Rafael", "Rhys", "Rosa", "Sam", "Sana", "Sean",
    "Sol", "Tariq", "Tomasz", "Una", "Yusuf", "Zara", "Zeynep", "Robin", "Kit", "Ash",
]  # fmt: skip

SURNAMES = [
    "Adeyemi", "Ahmed", "Ali", "Anderson", "Bailey", "Begum", "Bell", "Campbell", "Chowdhury",
    "Clarke", "Davies", "Dlamini", "Edwards", "Evans", "Fernandes", "Fraser", "Green",
    "Gupta", "Hall", "Hughes", "Hussain", "Islam", "Jackson", "Jones", "Kaur", "Kelly",
    "Khan", "Kowalski", "Lewis", "Lin", "Macdonald", "Mensah", "Mitchell", "Morgan",
    "Murphy", "Nowak", "Obi", "O'Brien", "Okafor", "Owen", "Patel", "Price", "Quinn",
    "Rahman", "Reid", "Roberts", "Robertson", "Santos", "Shah", "Singh", "Smith", "Stewart",
    "Taylor", "Thomas", "Turner", "Walker", "Wang", "Watson", "Williams", "Wilson", "Wright",
    "Yilmaz", "Young", "Zhang",
]  # fmt: skip

PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they", ""]

PLACES = [
    "Northbridge", "Eastmoor", "Westvale", "Southholm", "Kingsmere", "Ashford Green",
    "Riverton", "Millbrook", "Harrowgate Cross", "Linfield", "Oakhaven", "Stonebury",
]  # fmt: skip

ORGANISATION_KINDS = [
    "University", "Peer Network", "Carers' Forum", "Community Mental Health Team",
    "Recovery College", "Health Board", "Mind Collective", "Hearing Voices Group",
    "Crisis House", "Housing Association", "Advocacy Service", "Arts and Wellbeing Project",
]  # fmt: skip

VENUE_KINDS = [
    "Community Hall", "Arts Centre", "Library", "Conference Centre", "Quaker Meeting House",
    "Town Hall", "Recovery College", "Students' Union", "Friends' Centre", "Guildhall",
]  # fmt: skip

ACCESS_INFO = [
    "Step-free access through the main entrance, with automatic doors.",
    "Level access and a lift to every floor.",
    "A hearing loop covers the main room.",
    "A quiet room is open all day.",
    "Accessible toilets on every floor; gender-neutral toilets on the ground floor.",
    "Two accessible parking spaces by the entrance.",
    "Assistance dogs are welcome.",
    "Seating with arms and back support is available on request.",
]

THEMES = [
    "co-production", "peer support", "shared decision-making", "lived experience",
    "carers' knowledge", "crisis care", "recovery", "professional boundaries",
    "power in services", "trauma-informed practice", "advocacy", "user-led research",
    "mutual aid", "commissioning", "mental health law", "community support",
    "service design", "survivor research", "hope and risk", "training together",
]  # fmt: skip

SERIES_OPENINGS = [
    "Rethinking", "Sharing", "Doing", "Learning", "Questioning", "Building", "Imagining",
    "Practising", "Researching", "Changing",
]  # fmt: skip

TITLE_OPENINGS = [
    "What counts as", "Who decides about", "Beyond", "Making room for", "Listening to",
    "The politics of", "Everyday", "Measuring", "Teaching", "Paying for", "Writing about",
    "Reclaiming", "Sustaining", "Evaluating", "Funding", "Caring through",
]  # fmt: skip

TITLE_ENDINGS = [
    "in acute wards", "in the community", "across generations", "after a crisis",
    "in research", "in policy", "in primary care", "with young people", "in rural areas",
    "in peer-led services", "in secure settings", "online", "in the voluntary sector",
    "between services and families",
]  # fmt: skip

ACCESS_REQUIREMENTS = [
    "A seat near the front, please.",
    "Step-free access.",
    "A hearing loop.",
    "Breaks in the quiet room.",
    "A British Sign Language interpreter.",
    "Slides in advance, in large print.",
    "Space for a wheelchair.",
]

DIETARY_REQUIREMENTS = ["Vegetarian", "Vegan", "Gluten-free", "Halal", "Kosher", "No nuts"]
