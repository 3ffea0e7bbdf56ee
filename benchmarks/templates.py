"""Invented text material for the synthetic syndication corpus.

Everything here was written for this benchmark: outlet names, site chrome, editorial commentary,
background-reporting sentences, headline pools, synonym and house-style tables. None of it comes
from Reuters or any real site. Slots in braces are filled from the base story (see generate.py).
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Outlets
# --------------------------------------------------------------------------------------------

OUTLET_NAMES: list[str] = [
    "Harbor Tribune",
    "Metro Ledger",
    "Northgate Courier",
    "The Daily Meridian",
    "Valley Sentinel",
    "Capital Dispatch",
    "Lakeside Gazette",
    "The Evening Compass",
    "Pinecrest Herald",
    "Ironbridge Post",
    "The Market Lantern",
    "Coastline Chronicle",
    "Redfield Observer",
    "The Granary Report",
    "Summit Business Wire",
    "Westbrook Examiner",
    "The Copper Desk",
    "Old Town Bulletin",
    "Commodity Watchtower",
    "The Prairie Review",
    "Brightwater Times",
    "Ledgerline Daily",
]

# Outlets that read like blogs: used for the independent rewrites.
BLOG_OUTLETS: list[str] = ["The Copper Desk", "The Market Lantern", "Commodity Watchtower"]

STAFF_FIRST: list[str] = [
    "Jane", "Marcus", "Priya", "Tomas", "Helen", "Daniel", "Ines", "Kwame", "Laura", "Oskar",
    "Mei", "Rafael", "Sofia", "Graham", "Nadia", "Peter", "Aisha", "Henrik", "Chloe", "Victor",
]
STAFF_LAST: list[str] = [
    "Doe", "Whitfield", "Raman", "Kowalski", "Brandt", "Okafor", "Lindqvist", "Moreau", "Tanaka",
    "Castellano", "Fairbairn", "Haddad", "Novak", "Pereira", "Ashworth", "Vance", "Brennan",
    "Iyer", "Sorensen", "Delacroix",
]
STAFF_ROLES: list[str] = [
    "Staff Writer", "Business Reporter", "Markets Correspondent", "Senior Editor",
    "Economics Editor", "Commodities Reporter", "Contributing Writer", "Deputy Business Editor",
]

NAV_SECTIONS: list[str] = [
    "Home", "World", "Business", "Markets", "Economy", "Politics", "Opinion", "Energy", "Tech",
    "Farming", "Money", "Companies", "Local", "Sport", "Weather", "Commodities", "Finance",
    "Trade", "Investing", "Video",
]

# topic code -> (section name, noun used in slots)
TOPIC_WORDS: dict[str, tuple[str, str]] = {
    "earn": ("Companies", "earnings"),
    "acq": ("Deals", "takeover"),
    "money-fx": ("Currencies", "currency"),
    "interest": ("Economy", "interest rate"),
    "grain": ("Agriculture", "grain"),
    "wheat": ("Agriculture", "wheat"),
    "corn": ("Agriculture", "corn"),
    "rice": ("Agriculture", "rice"),
    "oilseed": ("Agriculture", "oilseed"),
    "soybean": ("Agriculture", "soybean"),
    "veg-oil": ("Agriculture", "vegetable oil"),
    "sugar": ("Commodities", "sugar"),
    "coffee": ("Commodities", "coffee"),
    "cocoa": ("Commodities", "cocoa"),
    "crude": ("Energy", "oil"),
    "nat-gas": ("Energy", "natural gas"),
    "gold": ("Metals", "gold"),
    "copper": ("Metals", "copper"),
    "iron-steel": ("Metals", "steel"),
    "trade": ("Trade", "trade"),
    "ship": ("Shipping", "shipping"),
    "gnp": ("Economy", "growth"),
    "cpi": ("Economy", "inflation"),
    "jobs": ("Economy", "jobs"),
    "bop": ("Economy", "balance of payments"),
    "money-supply": ("Economy", "money supply"),
    "dlr": ("Currencies", "dollar"),
    "livestock": ("Agriculture", "livestock"),
    "reserves": ("Economy", "reserves"),
}
DEFAULT_TOPIC: tuple[str, str] = ("Business", "business")

PLACE_NAMES: dict[str, str] = {
    "usa": "the United States",
    "uk": "Britain",
    "ussr": "the Soviet Union",
    "west-germany": "West Germany",
    "east-germany": "East Germany",
    "japan": "Japan",
    "france": "France",
    "canada": "Canada",
    "brazil": "Brazil",
    "china": "China",
    "australia": "Australia",
    "netherlands": "the Netherlands",
    "switzerland": "Switzerland",
    "italy": "Italy",
    "belgium": "Belgium",
    "saudi-arabia": "Saudi Arabia",
    "argentina": "Argentina",
    "south-africa": "South Africa",
    "hong-kong": "Hong Kong",
    "new-zealand": "New Zealand",
    "south-korea": "South Korea",
    "philippines": "the Philippines",
    "uae": "the United Arab Emirates",
}
CITIES: dict[str, str] = {
    "usa": "New York",
    "uk": "London",
    "west-germany": "Frankfurt",
    "japan": "Tokyo",
    "france": "Paris",
    "canada": "Toronto",
    "brazil": "Sao Paulo",
    "switzerland": "Zurich",
    "netherlands": "Amsterdam",
    "australia": "Sydney",
    "hong-kong": "Hong Kong",
    "italy": "Milan",
    "belgium": "Brussels",
    "china": "Peking",
    "argentina": "Buenos Aires",
    "saudi-arabia": "Riyadh",
    "singapore": "Singapore",
}
DEFAULT_CITIES: list[str] = ["London", "New York", "Frankfurt", "Chicago", "Tokyo", "Zurich"]

# --------------------------------------------------------------------------------------------
# Site chrome
# --------------------------------------------------------------------------------------------

TIMESTAMP_FORMATS: list[str] = [
    "Published {hh}:{mm} GMT, {month} {day}, {year}",
    "Updated: {mo:02d}/{day:02d}/{year} {h12}:{mm} {ampm}",
    "{month} {day}, {year} | {h12}:{mm} {ampm_l}",
    "Posted on {weekday}, {day} {month} {year}",
    "Last updated {day} {month_short} {year}, {hh}:{mm}",
    "{weekday}, {month} {day}, {year} - {h12}:{mm} {ampm}",
    "First published: {day} {month} {year}",
    "{day}.{mo:02d}.{year} {hh}:{mm}",
]

READ_TIME_FORMATS: list[str] = ["{n} min read", "Reading time: {n} minutes", "{n} MIN READ",
                                "Estimated read: {n} min"]

BYLINE_FORMATS: list[str] = [
    "By {name}, {role}",
    "By {name}",
    "{name} | {role}",
    "Written by {name}",
    "Staff and wire reports",
    "By {name_upper}",
]

CAPTIONS_BY_SECTION: dict[str, list[str]] = {
    "Energy": [
        "An oil refinery near the coast at dusk.",
        "Storage tanks at a fuel terminal.",
        "A drilling platform in the North Sea.",
        "Pump jacks in a field outside Midland, Texas.",
    ],
    "Agriculture": [
        "Wheat being harvested on the plains.",
        "Grain silos at a river port.",
        "A farmer inspects his crop.",
        "Cattle at an auction yard.",
    ],
    "Commodities": [
        "Sacks stacked in a warehouse at the docks.",
        "Traders in the pit of a commodities exchange.",
        "Beans drying in the sun on a plantation.",
    ],
    "Metals": [
        "Molten metal is poured at a smelter.",
        "Copper cathodes stacked at a refinery.",
        "Gold bars in a bank vault.",
    ],
    "Currencies": [
        "Banknotes are counted at a currency exchange.",
        "Dealers at work in a foreign exchange trading room.",
    ],
    "Economy": [
        "Shoppers on a busy high street.",
        "The central bank building in the financial district.",
        "Workers leave a factory at the end of a shift.",
    ],
    "Shipping": [
        "The port of Rotterdam.",
        "Container ships waiting offshore.",
        "A bulk carrier is loaded at the quay.",
    ],
    "Trade": [
        "Containers stacked at a busy port.",
        "Customs officers inspect a shipment.",
    ],
    "Companies": [
        "The company's headquarters.",
        "Shares are traded on the floor of the stock exchange.",
        "The company logo outside its offices.",
    ],
    "Deals": [
        "Executives shake hands after a news conference.",
        "The company's headquarters.",
    ],
    "Business": [
        "Office towers in the financial district.",
        "A trader watches screens on the exchange floor.",
    ],
}
CAPTION_CREDITS: list[str] = [
    "[Photo: {agency}]",
    "(Photo: {agency}/{photographer})",
    "[Getty]",
    "(File photo)",
    "Photo: {photographer}/{agency}",
    "[Image: {agency}]",
]
PHOTO_AGENCIES: list[str] = ["Getty", "AP", "Shutterstock", "Stock Images", "AFP", "Alamy"]

SHARE_LINES: list[str] = [
    "Share this article on Facebook Twitter Email",
    "Share: Facebook | Twitter | LinkedIn | Email",
    "Tweet  Share  Email  Print",
    "Share this story",
    "SHARE  TWEET  EMAIL",
    "Share on WhatsApp | Share on Facebook | Copy link",
]

PAYWALL_BLOCKS: list[list[str]] = [
    [
        "Subscribe to continue reading",
        "Get unlimited digital access for just $1 a week.",
        "Already a subscriber? Log in",
    ],
    [
        "You have read {k} of your {m} free articles this month.",
        "Subscribe now for unlimited access to {outlet} journalism.",
        "Cancel anytime.",
    ],
    [
        "*Subscribe to {outlet} digital and get complimentary access to our markets newsletter",
        "Quarterly plan",
        "$29 per quarter",
        "Annual plan",
        "$99 per year - SAVE 15%",
        "Renews automatically, cancel anytime",
    ],
    [
        "Support independent journalism",
        "Quality reporting costs money. Become a member of {outlet} today from $5 a month.",
        "Join now",
    ],
]

NEWSLETTER_BLOCKS: list[list[str]] = [
    ["Sign up for our Morning Markets newsletter", "Enter your email address  Sign up"],
    ["Get the {outlet} daily briefing in your inbox", "Subscribe"],
    [
        "Newsletter",
        "The week's most important business stories, every Friday.",
        "Email address",
        "By signing up you agree to our privacy policy.",
    ],
    ["Never miss a story: sign up for {outlet} alerts"],
]

COMMENT_BLOCKS: list[list[str]] = [
    ["Leave a comment"],
    ["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
    ["Comments ({n})", "Join the conversation"],
    ["Comments are closed for this article."],
    ["Have your say", "Log in or register to comment."],
]

COPYRIGHT_FORMATS: list[str] = [
    "\u00a9 {year} {outlet}. All rights reserved.",
    "Copyright {year} {outlet}",
    "\u00a9 {year}-2024 {outlet}. All Rights Reserved",
    "All content \u00a9 {outlet} {year}. Reproduction prohibited.",
    "(c) {year} {outlet} Media Group",
]

CREDIT_LINES: list[str] = [
    "Reuters contributed to this report.",
    "(Reuters)",
    "Source: Reuters",
    "Additional reporting by Reuters.",
    "- Reuters",
    "With wire services.",
]

AD_MARKERS: list[str] = ["Advertisement", "ADVERTISEMENT", "Story continues below advertisement",
                         "- Advertisement -", "Sponsored content"]

APP_PROMOS: list[str] = [
    "Download the {outlet} app for the latest news.",
    "Get breaking news alerts on your phone with the {outlet} app.",
    "Follow {outlet} on Twitter for updates.",
]

TAG_PREFIXES: list[str] = ["Tags:", "Topics:", "Filed under:", "More on:"]

RELATED_HEADERS: list[str] = ["Related stories", "Related", "You may also like",
                              "More from {outlet}", "Read more", "Similar posts"]

READ_MORE_PREFIXES: list[str] = ["READ MORE:", "Read more:", "Related:", "ALSO READ:"]

MISC_LINES: list[str] = [
    "Print  Font size A A A",
    "Spotted an error? Tell us.",
    "Listen to this article",
    "Save article",
    "Report an error",
]

# Invented headlines for "Related stories" lists.
FAKE_HEADLINES: list[str] = [
    "Central bank holds rates steady as inflation cools",
    "Port workers vote to end week-long strike",
    "Local council approves harbor expansion plan",
    "Regional airline adds three new routes for summer",
    "Farm incomes fall for second straight year",
    "Tech start-up raises funds to expand overseas",
    "Retail sales beat forecasts in holiday quarter",
    "Steelmaker warns of job cuts at northern plant",
    "Housing starts climb to four-year high",
    "Ministers meet to discuss fishing quotas",
    "Brewer agrees to buy rival in cash deal",
    "Exporters hit by stronger currency",
    "Bond yields edge higher ahead of auction",
    "Shipping rates slide as demand weakens",
    "Insurer sets aside more for storm claims",
    "Union and carmaker reach tentative wage deal",
    "Small businesses report rising confidence",
    "Coffee growers brace for frost damage",
    "Pension funds shift money into property",
    "Utility seeks approval for price increase",
    "Chip maker opens new assembly plant",
    "Gold steadies after volatile week",
    "Textile mills struggle with cheap imports",
    "City plans new tram line to business district",
    "Mining group reports record copper output",
    "Bank chief calls for tighter lending rules",
    "Supermarket chain to close 40 stores",
    "Drought threatens summer grain harvest",
    "Airline posts surprise quarterly profit",
    "Opinion: Why the budget will not add up",
    "Five things to watch in the markets this week",
    "Analysis: The quiet boom in regional banking",
]

# --------------------------------------------------------------------------------------------
# Editorial commentary
# --------------------------------------------------------------------------------------------

COMMENTARY_PARAGRAPHS: list[str] = [
    "Let's be honest about what is going on here: {subject} is protecting its own position, "
    "and everyone else is expected to applaud.",
    "Is anyone really surprised? Anybody who has followed the {topic} business for more than a "
    "week could have seen this coming.",
    "This is exactly the kind of short-term thinking that has left {country} exposed every time "
    "the {topic} cycle turns.",
    "For ordinary families in {country}, none of this is abstract. Every decision like this one "
    "eventually shows up in prices, jobs and pensions.",
    "Readers should ask themselves who really benefits. It is rarely the small investor, and it "
    "is almost never the worker on the shop floor.",
    "We have said it before and we will say it again: {subject} owes the public a far clearer "
    "explanation than the thin statement issued so far.",
    "Frankly, the timing could hardly be worse. Markets are nervous, confidence is brittle, and "
    "announcements like this do nothing to calm anyone.",
    "Call it what you like, but this looks a lot like a bet that nobody will be paying attention.",
    "There is something almost admirable about the confidence on display, if only it were backed "
    "by a convincing plan.",
    "Supporters will say this is a sensible, overdue step. They are half right: it is overdue.",
    "The bigger question is why regulators in {country} keep waving these things through without "
    "a serious look at the consequences.",
    "If this is what passes for strategy in the {topic} industry, investors have every reason to "
    "be worried.",
    "One can only marvel at how quickly yesterday's promises have been forgotten.",
    "Make no mistake, this is a political decision dressed up as an economic one.",
    "Our view is simple: {subject} should publish the full numbers and let the public judge for "
    "itself.",
    "It would be funny if the stakes were not so high. Thousands of jobs depend on getting this "
    "right, and getting it right does not appear to be the priority.",
    "Whatever the official line, the message to the market is unmistakable: the easy years for "
    "{topic} are over.",
    "Spare a thought for the smaller players, who will have to live with the fallout of decisions "
    "taken in boardrooms far away from {city}.",
    "So much for the much-advertised new era of transparency.",
    "Write to your representatives. Decisions of this size should not be taken without a proper "
    "public debate, and that debate has barely begun.",
    "This newspaper has long argued that {country} needs a coherent {topic} policy. Episodes like "
    "this one show how far away that remains.",
    "What happened to the bold talk of only a few months ago? It seems to have evaporated the "
    "moment it met a balance sheet.",
    "None of this inspires much confidence in the people who are supposed to be steering the ship.",
    "The official explanation sounds tidy. Reality rarely is, and the gaps in this account are "
    "hard to ignore.",
    "Investors deserve better than carefully worded statements and a shrug.",
    "Here is a prediction: within a year, someone will be explaining why none of this turned out "
    "as planned.",
    "Once again, the people who will pay the price had no say in the matter.",
    "Yes, the figures look respectable on paper. But paper has a way of flattering those who "
    "print it.",
    "It is hard to avoid the impression that {subject} is making this up as it goes along.",
    "Cheerleaders will call it visionary. A cooler reading suggests it is mostly about buying "
    "time.",
    "How many more warnings does it take before someone in {city} actually listens?",
    "The silence from the government on this is deafening, and it is not a good look.",
    "Good news, then, at least for those who already had plenty. For everybody else the picture "
    "is considerably murkier.",
    "We will believe the turnaround when we see it in the accounts, not in a press release.",
    "In plain English: somebody made a bad bet, and somebody else is being asked to cover it.",
    "There is a lesson here for anyone who still believes the {topic} market looks after itself.",
    "Perhaps the most remarkable thing about this announcement is how unremarkable the people "
    "behind it seem to find it.",
    "Strip away the jargon and what remains is a familiar story of ambition running well ahead "
    "of results.",
    "It is worth remembering that the same voices now celebrating were predicting disaster not "
    "so long ago.",
    "Shareholders should use the next annual meeting to demand answers, and they should not "
    "accept another round of reassuring generalities.",
    "Nobody should mistake this for a solution. At best it postpones the hard choices; at worst "
    "it makes them harder.",
    "A bolder leadership would have seized the moment. Instead we got caution wrapped in "
    "corporate language.",
    "Brilliant timing, as ever. Just when the sector needed calm, it gets another surprise.",
    "The uncomfortable truth is that {country} has been here before, and it did not end well "
    "last time.",
    "Those who follow {topic} closely will recognise the pattern: a confident announcement, a "
    "nervous market, and a quiet retreat a few months later.",
    "Why should taxpayers in {country} be asked to shoulder risks that were taken so casually? "
    "Nobody has offered a good answer.",
    "Pay attention to what {subject} did not say. The omissions tell you more than the "
    "carefully chosen numbers.",
    "Sceptics have a point, and it deserves a hearing before anything is signed.",
    "{person} may believe that, but the numbers tell a rather different story.",
    "It is hard to take {person} at face value here. The track record simply does not inspire "
    "that kind of trust.",
]

COMMENTARY_CLAUSES: list[str] = [
    "a move critics have rightly called reckless",
    "which should surprise absolutely no one",
    "a telling sign of how little has changed",
    "and that is hardly reassuring",
    "though few outside {subject} seem convinced",
    "a decision that looks worse the longer you examine it",
    "which is a polite way of saying nobody knows",
    "an outcome ordinary savers will rightly resent",
    "as if anyone still believed such promises",
    "a figure that deserves far more scrutiny than it has received",
    "which tells you everything about their priorities",
    "conveniently enough for those already in charge",
    "a remarkably rosy view, to put it kindly",
    "and the rest of us are simply expected to trust them",
    "yet another example of insiders looking after insiders",
    "hardly the bold leadership that was promised",
    "a claim that strains credulity",
    "which is exactly what the sceptics warned about",
    "in what can only be described as wishful thinking",
    "a welcome, if embarrassingly late, admission",
    "though the real story is what was left unsaid",
    "and it is worth asking who really gains from that",
    "a gamble that taxpayers in {country} may end up underwriting",
    "something that should worry anyone with a pension",
    "despite years of warnings that went unheeded",
    "an argument that would be more persuasive if it were new",
    "which sounds impressive until you read the small print",
    "a dubious achievement at best",
    "a stance that is becoming harder and harder to defend",
    "proof, if any were needed, that the {topic} industry has learned nothing",
    "which amounts to little more than wishful accounting",
    "a convenient story for the boardroom, if not for anyone else",
    "though one suspects the markets will see through it",
    "and the public deserves a straight answer about why",
    "a view {person} may come to regret",
]

# --------------------------------------------------------------------------------------------
# Background reporting: attributed, factual tone, no opinion
# --------------------------------------------------------------------------------------------

BACKGROUND_SENTENCES: list[str] = [
    "{company} reported a net profit of {num} mln dlrs in 1986, according to its annual report.",
    "Analysts at a {city} brokerage said the {topic} sector had been under pressure since "
    "January.",
    "{country} accounted for about {pct} pct of world {topic} trade last year, according to "
    "industry estimates.",
    "{company} employs about {thousands},000 people, according to its latest annual filing.",
    "{company} was founded in {founded} and has been publicly listed since {listed}, according "
    "to exchange records.",
    "Trade figures published last month showed exports from {country} rising {pct} pct in the "
    "fourth quarter of 1986.",
    "The last comparable agreement was signed in {year}, according to officials familiar with "
    "the talks.",
    "Prices in the sector have fallen by roughly {pct} pct over the past two years, according to "
    "figures compiled by a trade association.",
    "A spokesman for the industry ministry said separately that a review of {topic} policy was "
    "due to be completed by the summer.",
    "According to central bank data, lending to the {topic} sector grew {pct} pct last year.",
    "Industry sources in {city} said several other firms were considering similar steps.",
    "Shares of {company} have traded between {low} and {high} dlrs over the past year, according "
    "to exchange data.",
    "The {topic} market has been the subject of repeated negotiations among producers since "
    "{year}, trade officials said.",
    "Government statistics show the sector contributes around {pct} pct of the gross domestic "
    "product of {country}.",
    "In a separate report this week, a {city} research firm estimated total {topic} investment "
    "at {num} mln dlrs for 1987.",
    "A similar proposal was rejected by lawmakers in {year}, according to parliamentary records.",
    "Officials at the embassy of {country} said the issue would be raised at talks scheduled "
    "for next month.",
    "Earlier this year, {company} announced a restructuring that it said would cut annual costs "
    "by {num} mln dlrs.",
    "Figures from the national statistics office put regional unemployment at {pct} pct in "
    "January.",
    "According to a filing with the Securities and Exchange Commission, {company} had about "
    "{num} mln shares outstanding at the end of 1986.",
    "Market participants in {city} said trading volumes had been thin ahead of the announcement.",
    "The previous chairman stepped down in {year}, company records show.",
    "Shipping data compiled by an agency in {city} showed {small} vessels waiting to load at the "
    "end of last week.",
    "Consumption of {topic} products in {country} has grown steadily since {year}, according to "
    "a government survey.",
    "A World Bank study published last year listed {country} among the fastest-growing markets "
    "for the sector.",
    "Previous talks on the matter broke down in {month} {year}, diplomats said.",
    "Credit rating agencies last reviewed the debt of {company} in {month}, a company "
    "spokeswoman said.",
    "The largest shareholder holds a stake of about {pct} pct, according to regulatory filings.",
    "Customs figures showed {topic} imports rising to {num} mln dlrs in 1986 from {num2} mln a "
    "year earlier.",
    "Economists polled by a {city} newsletter expect the next official figures in the second "
    "week of {month}.",
    "The agency's previous forecast, issued in {month}, had put the figure slightly lower, "
    "officials noted.",
    "Records filed with regulators show {company} has made {small} acquisitions since {year}.",
    "The industry body representing {topic} producers has {small}0 members, according to its "
    "secretariat.",
    "According to the finance ministry, the government's stake in the sector was last reduced "
    "in {year}.",
]

# --------------------------------------------------------------------------------------------
# Rewording: synonyms (wire word -> replacement), attribution verbs, house style
# --------------------------------------------------------------------------------------------

SYNONYMS: dict[str, str] = {
    "rose": "climbed",
    "fell": "dropped",
    "increased": "boosted",
    "decline": "drop",
    "rise": "gain",
    "company": "firm",
    "companies": "firms",
    "bought": "purchased",
    "acquired": "bought",
    "acquisition": "purchase",
    "buy": "acquire",
    "sell": "offload",
    "sold": "offloaded",
    "agreed": "consented",
    "agreement": "accord",
    "planned": "intended",
    "expected": "anticipated",
    "expects": "anticipates",
    "because": "since",
    "approximately": "roughly",
    "said": "stated",
    "also": "additionally",
    "however": "nevertheless",
    "big": "large",
    "large": "sizeable",
    "small": "modest",
    "major": "leading",
    "begin": "start",
    "began": "started",
    "shows": "indicates",
    "showed": "indicated",
    "profits": "earnings",
    "loss": "deficit",
    "officials": "authorities",
    "talks": "negotiations",
    "sharply": "steeply",
    "slightly": "marginally",
    "reported": "posted",
    "announced": "unveiled",
    "recent": "latest",
    "recently": "lately",
    "previous": "prior",
    "output": "production",
    "workers": "employees",
    "government": "administration",
    "proposed": "suggested",
    "proposal": "plan",
    "received": "obtained",
    "completed": "finished",
    "higher": "greater",
    "lower": "reduced",
    "prices": "rates",
    "demand": "appetite",
    "estimated": "projected",
    "include": "comprise",
    "including": "among them",
    "problems": "difficulties",
    "result": "consequence",
    "strong": "robust",
    "weak": "soft",
    "quickly": "swiftly",
    "currently": "at present",
    "significant": "substantial",
    "substantial": "considerable",
    "additional": "further",
    "primarily": "mainly",
    "nearly": "almost",
    "chairman": "chair",
    "spokesman": "representative",
    "statement": "release",
    "meeting": "session",
    "shareholders": "stockholders",
    "subsidiary": "unit",
    "unchanged": "steady",
    "annual": "yearly",
    "immediately": "at once",
    "considering": "weighing",
    "reduce": "cut",
    "raise": "lift",
    "raised": "lifted",
    "opposition": "resistance",
    "told": "informed",
}

ATTRIBUTION_VERBS: list[str] = ["stated", "told reporters", "noted", "added", "said on Tuesday",
                                "explained"]

# (regex, replacement); each outlet with a house style applies a fixed subset.
HOUSE_RULES: list[tuple[str, str]] = [
    (r"(\d[\d,.]*)\s+mln\s+dlrs", r"$\1 million"),
    (r"(\d[\d,.]*)\s+bln\s+dlrs", r"$\1 billion"),
    (r"\bmln\b", "million"),
    (r"\bbln\b", "billion"),
    (r"\bpct\b", "percent"),
    (r"\bdlrs\b", "dollars"),
    (r"\bdlr\b", "dollar"),
    (r"\bcts\b", "cents"),
    (r"\bstg\b", "sterling"),
    (r"\bU\.S\.(?=\s+[a-z])", "US"),
    (r"\bU\.S\.(?=[\s,;:])", "US"),
    (r"\bU\.K\.", "UK"),
    (r"\bqtr\b", "quarter"),
    (r"\byr\b", "year"),
    (r"\bInc\b", "Inc."),
    (r"\bCorp\b", "Corp."),
    (r"\bvs\b", "versus"),
]

# --------------------------------------------------------------------------------------------
# Independent rewrites (blog retellings): framing sentences, openers, closers
# --------------------------------------------------------------------------------------------

REWRITE_OPENERS: list[str] = [
    "This one flew under the radar this week, but it deserves a closer look.",
    "Here is the short version of a story worth your time.",
    "If you only follow one {topic} story today, make it this one.",
    "A quick explainer for readers who missed the news.",
    "Another week, another twist in the {topic} saga.",
    "Our desk has been digging through the latest announcement so you do not have to.",
    "Some context first, because the headlines alone do not tell you much.",
    "Numbers, numbers, numbers. Here is what they add up to.",
]
REWRITE_CLOSERS: list[str] = [
    "We will keep an eye on how this develops.",
    "Expect more on this in the coming days.",
    "What do you make of it? Tell us in the comments.",
    "It remains to be seen whether the market agrees.",
    "Stay tuned; this is far from over.",
]
REWRITE_LEADS: list[str] = [
    "The key detail: ",
    "Worth noting: ",
    "Put simply, ",
    "As it turns out, ",
    "According to the announcement, ",
    "Reading between the lines, ",
    "On the numbers side, ",
    "Meanwhile, ",
    "Perhaps more importantly, ",
]
RUN_BREAKERS: list[str] = ["reportedly", "apparently", "notably", "evidently", "seemingly",
                           "roughly speaking", "it seems"]
REWRITE_TITLES: list[str] = [
    "What the latest {topic} news means for you",
    "Explainer: {subject} in five points",
    "Why everyone is talking about {subject}",
    "The {topic} story you may have missed",
    "Five takeaways from this week's {topic} headlines",
    "{subject}: a closer look",
    "Breaking down the {topic} news of the week",
]
# Facts retold from scratch: {num} is a rephrased figure, {subj} an entity, {kw1}/{kw2} words.
REWRITE_FACTS_NUM: list[str] = [
    "The figure to keep in mind is {num}, according to {subj}.",
    "{subj} puts the number at {num}.",
    "We are talking about {num} here, and that is not small change.",
    "Look closely and the number that matters is {num}.",
    "The number being passed around is {num}.",
    "By the latest count it comes to {num}.",
    "There is {num} involved, if the reports are right.",
    "Somewhere around {num} is at stake for {subj}.",
    "Mark this one down: {num}.",
    "For {subj}, the relevant number is {num}.",
]
REWRITE_FACTS_KW: list[str] = [
    "{subj} also had things to say about {kw1} and {kw2}.",
    "Much of this hinges on {kw1}, with {kw2} in the background.",
    "Expect to hear more about {kw1} as this goes on.",
    "The story also touches on {kw1} and {kw2}.",
    "Then there is the question of {kw1}.",
    "Anyone watching {kw1} should pay attention to {subj} here.",
]

# --------------------------------------------------------------------------------------------
# Attributed opinion (tuning part): somebody else's view, reported. Gold label "other": the
# outlet reports the opinion, it does not voice it.
# --------------------------------------------------------------------------------------------

ATTRIBUTED_OPINION: list[str] = [
    '"This is a disaster for exporters," the union leader said.',
    "Analysts expect the bank to cut rates before the end of the year.",
    '"Frankly, it is a shameful deal and we will fight it," a spokesman for the workers said.',
    "{person} told reporters the plan was reckless and would cost jobs.",
    "Opposition lawmakers in {country} called the decision a betrayal of small savers.",
    '"The market has been far too complacent about {topic}," said an economist at a {city} '
    "bank.",
    "Several traders in {city} said they were worried the move would unsettle prices.",
    "A consumer group said the price rise was unjustified and urged regulators to step in.",
    '"We think the timing is terrible," one investor told Reuters.',
    "Industry executives warned that the rules would drive business out of {country}.",
    "Critics of {subject} said the company had ignored repeated warnings.",
    '"It is an absurd situation," {person} said in a statement.',
    "Economists polled last week expect growth in {country} to slow sharply.",
    "The employers' federation described the proposal as a welcome step.",
    '"Nobody should be surprised by this," a senior official said.',
    "Union officials said the offer was an insult to the workforce.",
]

# --------------------------------------------------------------------------------------------
# Held-out part: written apart from the tuning part above and from dedup/label.py, in styles
# the tuning part lacks (sarcasm, understatement, moral judgement, colloquial, formal
# editorial, pro-market and pro-labour framing). dedup is scored on these, never tuned on
# them; tests/benchmarks/test_benchmarks_generate.py fails if a phrase dedup/label.py lists
# occurs here.
# --------------------------------------------------------------------------------------------

HELDOUT_COMMENTARY_PARAGRAPHS: list[str] = [
    # sarcasm
    "What a relief to learn that {subject} has everything under control. Again.",
    "Another triumph of planning, then: announce first, work out the details afterwards.",
    "How generous of {subject} to let shareholders find out about it from the newspapers.",
    "Who could possibly have seen that coming, apart from everyone?",
    "Bravo to the board for discovering, at this late hour, that costs matter.",
    "A masterclass in saying a great deal while committing to nothing whatsoever.",
    # understatement
    "Not the finest week for the people running {subject}.",
    "This will not go down as a high point in the history of {topic} regulation.",
    "One or two questions about the numbers linger, to put it gently.",
    "The plan is not without its difficulties, and some of them are quite large.",
    "Investors may be forgiven for feeling a little underwhelmed.",
    # moral judgement
    "There is nothing honourable about asking the poorest households to absorb the losses of the "
    "richest.",
    "Whatever the legal position, treating long-serving staff this way is indefensible.",
    "Those who drew up this deal ought to be ashamed of it.",
    "A rescue this kind to the creditors and this harsh to everyone else is morally bankrupt.",
    "Public money was put at risk, and somebody owes the taxpayer an apology.",
    # colloquial
    "The bosses get the cream, the staff get the washing-up. Same as it ever was.",
    "Pull the other one. Nobody in {city} believes a word of it.",
    "Talk about moving the goalposts halfway through the match.",
    "This whole affair smells fishy, and the excuses are getting thinner by the day.",
    "Blink and you would miss the small print that lets {subject} off the hook.",
    # formal editorial
    "This title has consistently maintained that {country} requires a credible, long-term "
    "{topic} strategy; the present episode demonstrates why.",
    "The proper course is plain: full disclosure, an independent review, and accountability for "
    "those responsible.",
    "It falls to parliament to insist upon the scrutiny that the executive has so far avoided.",
    "The case for reform has seldom been stronger, nor the appetite for it weaker.",
    "Sound policy cannot rest on optimistic assumptions and unpublished models.",
    "Prudence, not bravado, is what the {topic} sector needs from its leaders now.",
    # pro-market
    "Let the market decide. Propping up failing firms merely postpones an inevitable reckoning.",
    "Subsidies of this sort punish efficient producers and reward the inefficient ones.",
    "Lower taxes and lighter rules would do more for {country} than any number of bailouts.",
    "Competition, not protection, is the surest route to lower prices for consumers.",
    "Every heavy-handed intervention like this frightens away the investment {country} badly "
    "requires.",
    # pro-labour
    "The workers who built this business are being shown the door while executives pocket "
    "bonuses.",
    "Once more, the people on the factory floor are told to tighten their belts for the sake "
    "of the balance sheet.",
    "A fair deal would put jobs and wages first, not the next dividend.",
    "Nurses, drivers and dockers did not cause this crisis, yet they are the ones being asked "
    "to fund its repair.",
    "Decent pay is not a luxury; it is the foundation of a healthy economy.",
    # mixed and unadorned stance
    "Creditors walk away whole while pensioners do not. That is the shape of this rescue.",
    "Frugality for the many, largesse for the few: that is the pattern here.",
    "The sums may add up in a spreadsheet in {city}, but they will not add up in a family "
    "budget.",
    "Good intentions are no substitute for a plan that works.",
    "Nothing about this decision suggests that the lessons of the last downturn were absorbed.",
    "For a firm that prides itself on discipline, {subject} has shown remarkably little of it.",
    "The public will judge this by results, and so far there are none worth mentioning.",
]

HELDOUT_COMMENTARY_CLAUSES: list[str] = [
    # short splices: opinion whatever the length
    "mercifully",
    "of all things",
    "pity the small saver",
    "alas",
    "bizarrely",
    "predictably enough",
    "heaven help us",
    "God knows why",
    "astonishing as it may seem",
    "wisely",
    "shamefully late",
    # sarcasm, understatement, colloquial
    "because that worked so well last time",
    "a bold choice, in every sense",
    "not exactly a vote of confidence",
    "which is one way of putting it",
    "no prizes for guessing who pays",
    "a neat trick if you can pull it off",
    "hardly what anyone would call ambitious",
    # moral and formal
    "an indefensible burden on the least fortunate",
    "a disgraceful way to treat loyal staff",
    "a decision history is unlikely to forgive",
    "an arrangement that rewards failure",
    "a sorry testament to the state of {topic} governance",
    # pro-market and pro-labour
    "another costly distortion of the market",
    "a victory for red tape over common sense",
    "leaving taxpayers to foot the bill once more",
    "at the direct cost of working families",
    "while the workers are left to pick up the pieces",
    "a kick in the teeth for the workforce",
    "a lifeline nobody should have needed",
]

HELDOUT_BACKGROUND_SENTENCES: list[str] = [
    "{company} has operated a plant near {city} since {founded}.",
    "The company makes packaging for food and drinks producers and sells mainly to customers in "
    "Europe.",
    "Parliament in {country} is due to vote on the budget in {month}.",
    "The two sides last met in {month} {year} without reaching a settlement.",
    "{company} paid its most recent dividend in {month}, its filings show.",
    "The {topic} industry in {country} employs some {thousands},000 people, official statistics "
    "show.",
    "The previous contract expired at the end of {year}.",
    "Output in the sector was {pct} pct higher in the first half than a year earlier, the trade "
    "ministry said in {month}.",
    "The central bank next meets to set interest rates in {month}.",
    "{company} listed its shares in {listed} and moved its headquarters to {city} in {year}.",
    "The regulator opened a review of the sector in {month} {year}.",
    "Prices of {topic} futures have swung by as much as {pct} pct in a day this year, exchange "
    "records show.",
    "A delegation from {country} visited {city} last month for preliminary talks.",
    "The board of {company} has {small} members, two of them appointed by the state.",
    "The plant has capacity for about {num} tonnes a year.",
    "The agreement covers shipments through the end of next year.",
    "Talks on a new framework began in {year} and have been adjourned several times.",
    "{company} sold its shipping arm in {year} for {num} mln dlrs.",
    "Under the current rules, firms must report large holdings within {small} days.",
    "The state owns a minority stake in the company.",
    "Imports of {topic} products reached {num} mln dlrs in {year}, customs data show.",
    "The exchange extended trading hours for the contract in {month}.",
    "The ministry's budget for the sector this year is {num} mln dlrs.",
    "{company} has {small} production sites and exports to more than {small}0 countries.",
    "The labour contract at the port runs for three years.",
    "The tax was introduced in {year} and last changed in {listed}.",
    "A court hearing in the case is scheduled for {month}.",
    "The company's chief executive took office in {year}.",
    "The government holds a seat on the board through its development bank.",
    "Shipments leave mainly from the port of {city}.",
]

HELDOUT_ATTRIBUTED_OPINION: list[str] = [
    '"It is a catastrophe for the region," a local mayor said of the closure.',
    "Brokers in {city} expect {company} to raise more capital within months.",
    "{person} described the offer as insulting and unworkable.",
    'A dockers\' leader put it bluntly: "They want us to pay for their mistakes."',
    "Market economists argue that the subsidy will distort prices and deter investment.",
    '"We consider this a grave error," the federation of small businesses said in a letter to '
    "the ministry.",
    "According to one fund manager in {city}, the shares are badly overvalued.",
    "Environmental groups condemned the project as reckless.",
    "Most forecasters expect prices to ease in the second half.",
    '"Sheer madness," was how one veteran trader described the sell-off.',
    "Some shareholders complained that the board had kept them in the dark.",
    "Union representatives said the staff had been treated with contempt.",
    'The finance minister insisted the measures were "fair, necessary and temporary".',
    "Bankers in {city} predict a wave of consolidation in the {topic} sector.",
    "In the view of the employers' association, the new rules are an unnecessary burden.",
    '"Honestly, I think they have lost their minds," one supplier told the newspaper.',
]
