"""Small hand-written gazetteers and sentence templates for the synthetic NER task.

Every list has a training part and a held-out part. Held-out entries never occur
in training text, so they are also absent from the learned vocabulary as whole
words: the model must tag them from context and sub-word shape. The entities of
the project's demo sentences ("Angela Merkel met Tim Cook in Berlin.", "Zoë Schmidt
works for Deutsche Bank in Frankfurt.", "The United Nations opened an office in
São Paulo.") are all training entries.
"""

FIRST_NAMES = [
    "Angela", "Tim", "Zoë", "José", "Maria", "John", "Emma", "Lukas", "Sofia", "Mohammed",
    "Wei", "Yuki", "Olga", "Pierre", "Ana", "Chloé", "François", "Søren", "Björn", "Ingrid",
    "Raj", "Priya", "Carlos", "Lucía", "Hans", "Greta", "Fatima", "Omar", "Kenji", "Mei",
    "Aisha", "David", "Sarah", "Michael", "Laura", "Noah", "Léa", "Mateo", "Amélie", "Jürgen",
    "Elena", "Thomas", "Anna", "Paul", "Julia", "Ahmed", "Hiroshi", "Ingeborg", "Sven", "Marta",
    "Andrés", "Camille", "Dmitri", "Nadia", "Kwame", "Amara", "Liam", "Olivia", "Rafael", "Inés",
]
FIRST_NAMES_HELDOUT = [
    "Renée", "Björk", "Ximena", "Tobias", "Keiko", "Anders", "Leila", "Ignacio", "Hélène", "Oskar",
    "Nkechi", "Matías", "Svetlana", "Yusuf", "Annika",
]

LAST_NAMES = [
    "Merkel", "Cook", "Schmidt", "García", "Müller", "Smith", "Johnson", "Dubois", "Rossi", "Kowalski",
    "Nakamura", "Tanaka", "Chen", "Wang", "Kim", "Nguyen", "Silva", "Santos", "Fernández", "Novak",
    "Ivanova", "Jensen", "Larsen", "O'Brien", "Okafor", "Mensah", "Patel", "Sharma", "Haddad", "Cohen",
    "Lindqvist", "Bergström", "Núñez", "Weber", "Fischer", "Becker", "Martin", "Bernard", "Moreau", "Ricci",
    "Romano", "Costa", "Pereira", "Yamamoto", "Suzuki", "Li", "Zhang", "Park", "Lee", "Petrov",
    "Horvat", "Nielsen", "Andersson", "Walsh", "Murphy", "Brown", "Taylor", "Wilson", "Singh", "Kaplan",
]
LAST_NAMES_HELDOUT = [
    "Hoffmann", "Lefèvre", "Esposito", "Gonçalves", "Takahashi", "Kovačević", "Eriksson", "Dąbrowski",
    "Oyelaran", "Castellanos", "Whitfield", "Brennan", "Iglesias", "Vasquez", "Thorsen",
]

# Full names with more than two words, particles, hyphens or CJK characters.
FULL_NAMES = [
    "Angela Merkel", "Tim Cook", "Ursula von der Leyen", "Jean-Claude Juncker", "Gabriel García Márquez",
    "Martin Luther King", "Ada Lovelace", "Marie Curie", "Zoë Schmidt", "José María Aznar",
    "Ludwig van Beethoven", "Mary Ann Evans", "Olaf Scholz", "Emmanuel Macron", "Jacinda Ardern",
    "山田太郎", "李娜", "王伟", "Anne-Marie Dupont", "Charles de Gaulle",
]
FULL_NAMES_HELDOUT = [
    "Vincent van Gogh", "Karl-Heinz Rummenigge", "Frida Kahlo", "佐藤花子", "Leonardo da Vinci",
]

LOCATIONS = [
    "Berlin", "Frankfurt", "Paris", "London", "Madrid", "Rome", "Vienna", "Zürich", "Munich", "Köln",
    "Kraków", "Warsaw", "Prague", "Oslo", "Stockholm", "Helsinki", "Lisbon", "Porto", "São Paulo",
    "Rio de Janeiro", "Buenos Aires", "Mexico City", "New York", "Los Angeles", "San Francisco",
    "Hong Kong", "Tokyo", "東京", "北京", "上海", "Seoul", "Bangkok", "Delhi", "Mumbai", "Cairo",
    "Nairobi", "Lagos", "Sydney", "Toronto", "Montréal", "Germany", "France", "Brazil", "Japan",
    "China", "Spain", "Italy", "Canada", "Kenya", "Nigeria", "India", "United States", "United Kingdom",
    "South Africa", "New Zealand", "Bogotá", "Istanbul", "Hamburg", "Geneva", "Brussels", "Amsterdam",
    "Dublin", "Athens", "Chicago", "Boston", "Singapore", "Jakarta", "Lima", "Santiago", "Ghana",
]
LOCATIONS_HELDOUT = [
    "Düsseldorf", "Reykjavík", "Kyoto", "Marseille", "Valparaíso", "Edinburgh", "Osaka", "大阪",
    "Casablanca", "Salt Lake City", "Gdańsk", "Norway", "Argentina", "Sri Lanka", "Vancouver",
]

ORGANIZATIONS = [
    "Acme Corporation", "United Nations", "Deutsche Bank", "Siemens", "Volkswagen", "Microsoft",
    "Apple", "Google", "Amazon", "Toyota", "Samsung", "Nestlé", "Société Générale", "Banco Santander",
    "Red Cross", "World Health Organization", "European Commission", "Bank of England",
    "International Monetary Fund", "Greenpeace", "Petrobras", "Globex Industries", "Initech",
    "Stark Industries", "Wayne Enterprises", "Procter & Gamble", "AT&T", "三菱", "Airbus", "BMW",
    "FIFA", "NASA", "UNESCO", "Reuters", "Lufthansa", "Allianz", "Commerzbank", "Oxfam",
    "Bayer", "Ericsson", "Nokia", "Spotify", "Renault", "Philips", "Unilever", "Barclays",
    "World Bank", "Amnesty International", "General Electric", "Tata Motors",
]
ORGANIZATIONS_HELDOUT = [
    "Hapag-Lloyd", "Crédit Agricole", "Umbrella Pharmaceuticals", "Novartis", "Médecins Sans Frontières",
    "European Central Bank", "Heineken", "Infosys", "Vestas Wind Systems", "Sony",
]

# MISC is split by role so templates stay grammatical; all of them are labelled MISC.
NATIONALITIES = [
    "German", "French", "Brazilian", "Japanese", "Chinese", "Spanish", "European", "American",
    "Italian", "Mexican", "Kenyan", "Canadian", "Swedish", "Dutch", "Polish", "Turkish",
]
NATIONALITIES_HELDOUT = ["Portuguese", "Norwegian", "Korean", "Nigerian"]
# Languages must also be nationality words (templates use both).
LANGUAGES = ["German", "French", "Japanese", "Chinese", "Spanish", "Italian", "Swedish", "Dutch", "Polish", "Turkish"]
LANGUAGES_HELDOUT = ["Portuguese", "Norwegian", "Korean"]
EVENTS = ["World Cup", "Olympic Games", "Champions League", "Euro 2024", "Bundesliga", "Super Bowl"]
EVENTS_HELDOUT = ["Tour de France", "Wimbledon"]
AWARDS = ["Nobel Prize", "Oscar", "Grammy", "Booker Prize", "Fields Medal"]
AWARDS_HELDOUT = ["Pulitzer Prize", "Palme d'Or"]

# Titles precede a last name but are not part of the PER entity (CoNLL convention).
TITLES = ["Dr.", "Mr.", "Ms.", "Mrs.", "Prof.", "President", "Minister", "Judge"]

# Templates: {PER} {LOC} {ORG} and the MISC slots {NAT} {LANG} {EVENT} {AWARD} are entities.
# Sentence-initial capitals, weekdays, months and titles stay O, so capitalisation
# alone is not the answer.
TEMPLATES = [
    "{PER} met {PER} in {LOC}.",
    "{PER} works for {ORG} in {LOC}.",
    "The {ORG} opened an office in {LOC}.",
    "{ORG} announced that {PER} will lead its office in {LOC}.",
    "Yesterday, {PER} flew from {LOC} to {LOC}.",
    "In {LOC}, the {NAT} delegation met representatives of {ORG}.",
    "{PER} said the deal with {ORG} was signed on Monday.",
    "According to {ORG}, prices in {LOC} rose sharply in March.",
    "{PER} and {PER} founded {ORG} in {LOC}.",
    "The {NAT} team won the {EVENT} after beating {LOC}.",
    "Shares of {ORG} fell after {PER} resigned.",
    "{PER} visited {LOC} last week.",
    "A spokesperson for {ORG} declined to comment.",
    "{PER}, the chief executive of {ORG}, lives in {LOC}.",
    "Talks between {ORG} and {ORG} resumed in {LOC} on Tuesday.",
    "{PER} was born in {LOC} and moved to {LOC} in 1998.",
    "The {NAT} minister {PER} arrived in {LOC}.",
    "On Friday {ORG} hired {PER} as its new director.",
    "Protesters gathered outside the {ORG} headquarters in {LOC}.",
    "{PER} won the {AWARD} for her work in {LOC}.",
    "Flights from {LOC} to {LOC} were cancelled.",
    "Our reporter {PER} spoke with {PER} about the election.",
    "{ORG} will build a new factory near {LOC}.",
    "The meeting in {LOC} was chaired by {PER}.",
    "{PER} thanked {ORG} for its support.",
    "It rained in {LOC} all day.",
    "When {PER} joined {ORG}, the company had ten employees.",
    "The report by {ORG} praised the {NAT} economy.",
    "{PER}'s new book is set in {LOC}.",
    "Why did {ORG} leave {LOC}?",
    "Last year {PER} moved from {ORG} to {ORG}.",
    "Fans in {LOC} celebrated as {PER} scored twice.",
    "The CEO of {ORG}, {PER}, will speak in {LOC} on Thursday.",
    "Both {PER} and {PER} criticised the {NAT} government.",
    "A new museum opened in {LOC} in January.",
    "{ORG} and the {ORG} agreed on a plan for {LOC}.",
    "\"We are proud of this,\" said {PER} of {ORG}.",
    "Investors expect {ORG} to report higher profits.",
    "The train from {LOC} arrived late in {LOC}.",
    "{PER} ({ORG}) disagreed with {PER}.",
    "During the {EVENT}, {PER} stayed in {LOC}.",
    "Students from {LOC} visited the {ORG} lab.",
    "{PER} told reporters in {LOC} that {ORG} would appeal.",
    "Most people in {LOC} speak {LANG}.",
    "The conference will take place in {LOC} next May.",
]
TEMPLATES_HELDOUT = [
    "{PER} will travel to {LOC} with colleagues from {ORG}.",
    "Officials at {ORG} confirmed that {PER} had resigned.",
    "After leaving {LOC}, {PER} settled in {LOC}.",
    "{ORG} reported record sales in {LOC} this quarter.",
    "The {NAT} press praised {PER} for the speech in {LOC}.",
    "Last month {PER} signed a contract with {ORG}.",
    "Residents of {LOC} welcomed the decision by {ORG}.",
    "{PER} interviewed {PER} for a documentary about {LOC}.",
]

# Sentences without entities keep the model from tagging every capitalised word.
NO_ENTITY_SENTENCES = [
    "The weather was nice on Monday.",
    "Prices rose again in December.",
    "Nobody knows what will happen next year.",
    "The committee will meet again on Wednesday.",
    "It was a long and difficult winter.",
    "Please send the report by Friday.",
    "The company expects growth to slow down.",
    "Many people prefer to travel by train.",
    "In April the river flooded the valley.",
    "The new policy takes effect in June.",
    "Experts warned that the plan could fail.",
    "This is the best coffee I have had in years!",
    "The children played in the park until sunset.",
    "Sales doubled in the second half of the year.",
    "What time does the meeting start?",
]
NO_ENTITY_SENTENCES_HELDOUT = [
    "The bakery closes early on Sundays.",
    "Several roads were closed after the storm.",
    "Remember to water the plants in August.",
]

# Characters that must be single-character vocabulary entries even when the
# training text does not use them (held-out names, user text in demos).
EXTRA_ALPHABET = (
    "".join(chr(c) for c in range(33, 127))
    + "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    + "ĀāăąĆćČčĎďĒēĘęĚěĞğĪīİıŁłŃńŇňŌōŐőŒœŘřŚśŞşŠšŤťŪūŮůŰűŸŹźŻżŽž"
    + "€£¥°§©®±×÷¿¡«»–—‘’“”„…•·"
    + "東京北上海大阪中国日本人山田太郎李娜王伟佐藤花子三菱会社長市府省銀行学大新"
)

# A small grammar of entity-free filler sentences. It widens the vocabulary beyond
# the templates and teaches that ordinary (and sentence-initial) words are O.
FILLER_SUBJECTS = [
    "The committee", "A local company", "Many residents", "The new manager", "Our team", "The old bridge",
    "Most analysts", "The government", "Several workers", "The small shop", "Everyone", "The report",
    "A young engineer", "The city council", "Some teachers", "The weather service", "Nobody", "The bank",
    "The museum", "A group of students", "The orchestra", "The farmers", "The airline", "This project",
    "Local volunteers", "The neighbours", "Two journalists", "The candidates",
    "Critics", "Employees", "Passengers", "The mayor", "Its director", "His lawyer",
]
FILLER_VERBS = [
    "announced", "criticised", "approved", "rejected", "discussed", "delayed", "planned", "finished",
    "started", "reviewed", "cancelled", "supported", "opened", "closed", "visited", "explained",
    "described", "expected", "improved", "reduced", "increased", "published", "ignored", "welcomed",
    "questioned", "prepared", "changed", "celebrated", "repaired", "sold", "bought", "built",
    "found", "lost", "made", "took", "gave", "wrote", "read", "saw", "left", "kept", "held", "began",
    "accepted", "admired", "avoided", "borrowed", "checked", "collected", "compared",
    "defended", "delivered", "designed", "doubted", "estimated", "examined", "funded", "hosted",
    "inspected", "launched", "measured", "mentioned", "negotiated", "organised", "painted", "postponed",
    "predicted", "promoted", "protected", "recorded", "renovated", "replaced", "requested", "resigned",
    "signed", "suspended", "translated", "updated", "upgraded", "watched",
]
FILLER_ADJECTIVES = [
    "new", "old", "small", "large", "important", "difficult", "simple", "expensive", "cheap", "final",
    "annual", "local", "national", "quiet", "busy", "early", "late", "short", "long", "strong",
    "weak", "modern", "historic", "public", "private", "green", "red", "blue", "careful", "surprising",
    "detailed", "rough", "second", "first", "major", "minor", "popular", "rare", "useful", "open",
    "ambitious", "anonymous", "brief", "broken", "controversial", "crowded", "digital", "domestic",
    "efficient", "empty", "enormous", "familiar", "famous", "fragile", "generous", "hidden", "honest",
    "official", "ordinary", "regional", "remote", "reliable", "secret", "seasonal", "temporary", "urgent",
]
FILLER_NOUNS = [
    "plan", "budget", "report", "road", "school", "hospital", "market", "contract", "proposal", "building",
    "train", "bus", "park", "river", "garden", "library", "festival", "concert", "match", "season",
    "price", "rule", "law", "study", "survey", "meeting", "decision", "project", "product", "service",
    "factory", "station", "airport", "harbour", "bridge", "tower", "street", "village", "forest", "lake",
    "winter", "summer", "morning", "evening", "week", "month", "year", "strategy", "result", "agreement",
    "election", "debate", "vote", "tax", "salary", "loan", "profit", "loss", "team", "game",
    "apartment", "audience", "bicycle", "campaign", "candidate", "ceremony", "committee",
    "customer", "document", "employee", "engine", "exhibition", "experiment", "harvest",
    "interview", "journalist", "kitchen", "ladder", "machine", "neighbour", "newspaper", "official",
    "passenger", "pension", "recipe", "resident", "scandal", "schedule", "shipment",
    "software", "stadium", "statement", "teacher", "ticket", "tourist", "tunnel", "volunteer",
]
FILLER_ENDINGS = [
    "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend", "last night",
    "in January", "in February", "in March", "in April", "in May", "in June", "in July", "in August",
    "in September", "in October", "in November", "in December", "after a long debate", "without comment",
    "for the second time", "earlier than expected", "once again", "this morning", "two years ago",
    "with great care", "in the afternoon", "despite the rain", "after the holidays",
]
FILLER_PATTERNS = [
    "{S} {V} the {A} {N} {E}.",
    "{S} {V} a {A} {N}.",
    "{S} {V} the {N} {E}, and {s} {V} the {N}.",
    "{E}, {s} {V} the {A} {N}.",
    "Nobody expected that {s} {V} the {N}.",
    "{S} never {V} the {N}.",
]

# Invented names (from a character model of the training names, see ner_data.CharMarkov)
# fill a share of the training slots, so the model learns entities from context and
# word shape instead of memorising the short lists above.
PSEUDO_ORG_SUFFIXES = ["Corporation", "Industries", "Group", "Bank", "Systems", "Holdings", "Motors", "Airlines",
                       "Foundation", "Institute", "Labs", "Energy", "Media", "Insurance", "Pharma", "AG"]
PSEUDO_LOC_PREFIXES = ["New", "San", "Port", "Lake", "Mount", "North", "East"]
PSEUDO_NAT_SUFFIXES = ["ian", "ese", "ish", "an"]
PSEUDO_EVENT_SUFFIXES = ["Cup", "Open", "Games", "Marathon", "Festival"]
PSEUDO_AWARD_SUFFIXES = ["Prize", "Award", "Medal"]
