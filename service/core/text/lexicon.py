"""Every word list of the core, in one place: stopwords, calendar words, cue words, polar words.

The lists differ on purpose: each was tuned with the code that reads it (retrieval and the
passage judge, reuse fingerprints, the learned stance model, direction cues), and a trained
model file or stored fingerprints depend on some of them, so similar lists are not merged.
Keeping them together shows those differences and stops a new module from growing a sixth
list of its own.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Stopwords
# --------------------------------------------------------------------------------------------

# Function words carry no topic: full-text queries (``service.search``) and the frame of a
# statement (``service.core.stance.statement``) leave them out.
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself
    nor of off on once only or other ought our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says say according s t re ve ll d m
    """.split()
)

# Words that say nothing about what a statement is about, on top of ``STOPWORDS``.
FRAME_STOPWORDS = frozenset(
    "told tell tells stated states reportedly would could should may might must can also new "
    "there here now then just like".split()
)

# Function words and reporting verbs: never anchors, ignored by content-word matching
# (reuse fingerprints, ``service.core.reuse``).
REUSE_STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any are
    around as at be became because become been before being below between both but by can cannot
    could did do does doing done down during each either else even ever every few for from further
    had has have having he her here hers herself him himself his how however i if in into is it its
    itself just last least less many may me might more most much must my myself neither never next
    no nor not now of off often on once one only or other others our ours ourselves out over own per
    quite rather said same says say saying she should since so some still such than that the their
    theirs them themselves then there these they this those though through thus to too under until
    up upon us very via was we were what when where whether which while who whom whose why will with
    within without would yet you your yours yourself yourselves according reported reportedly report
    reports told tells tell according new year years time week weeks month months day days like well
    """.split()
)

# The learned stance model's stopwords: its idf table is keyed by the stems of the other words.
MODEL_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself said says say told new one two year years may might could would also like just get
    got make made many much well even back since still way according reports report reported""".split()
)

# --------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------

_MONTH_NAMES = "january february march april may june july august september october november december".split()
_WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()

# Folded month names and abbreviations, with the month each stands for.
MONTH_NUMBERS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_WORDS = frozenset(MONTH_NUMBERS)
# Weekdays as written: a capitalised word, yet no name.
WEEKDAY_NAMES = frozenset(day.capitalize() for day in _WEEKDAY_NAMES)
# Month and day names: capitalised, yet never the start of an entity.
CALENDAR_WORDS = frozenset(_MONTH_NAMES + _WEEKDAY_NAMES)

# --------------------------------------------------------------------------------------------
# Claims: hedges, modality, refutation, attribution, negation
# --------------------------------------------------------------------------------------------

HEDGES = frozenset(
    "may might could possibly perhaps probably likely unlikely reportedly allegedly rumored rumoured "
    "purportedly apparently supposedly expected considering mulling weighing potential potentially "
    "speculated suggest suggests suggested".split()
)
STRONG_MODALS = frozenset("will definitely certainly confirmed officially shall".split())
# Modal words a passage allows a claim with, where a statement may be certain ("will").
WEAK_MODALS = frozenset("may might could possibly perhaps considering mulling weighing rumored rumoured".split())
REFUTATION = frozenset(
    "deny denies denied denial denying false falsely hoax hoaxes debunk debunked debunks fake faked "
    "untrue refute refutes refuted fabricated baseless bogus photoshopped doctored satire satirical "
    "staged dismiss dismisses dismissed disputes disputed rubbished retract retracts retracted".split()
)
# Words that attribute a claim to someone else or leave it open: a passage using them reports
# the claim rather than asserting it.
ATTRIBUTION = frozenset(
    "reportedly allegedly alleged rumor rumors rumour rumours rumored rumoured purportedly supposedly "
    "unconfirmed unverified claims claimed claiming speculation speculated may might could possibly "
    "perhaps apparently".split()
)
# The statement reports what someone said rather than asserting it.
SAYING_WORDS = frozenset("say says said claim claims claimed according told tells report reports reported".split())
# Words that may stand between a negation and the predicate it negates ("has not yet been approved").
NEGATION_GAP_WORDS = frozenset(
    "be been being have has had yet ever even to get got actually really currently immediately officially "
    "publicly formally fully entirely necessarily always".split()
)

# Hedges and negations whose appearance in one copy of a sentence but not the other is a
# changed fact of reused text.
REUSE_HEDGES = frozenset(
    "may might could reportedly likely possibly probably expected considering "
    "reported allegedly rumored rumoured potentially perhaps apparently".split()
)
REUSE_NEGATIONS = frozenset("not no never n't without".split())

# Cue lexicons of the learned stance model. Each entry is an exact folded token; entries
# ending in "*" match as prefixes. The model's features count them group by group, in this order.
MODEL_CUES: dict[str, tuple[str, ...]] = {
    "refute": tuple(
        """fake* hoax* false falsely falsehood deny denies denied denying denial* debunk* bogus fabricat*
        untrue myth myths prank* satire satiric* fraud* retract* refut* dismiss* baseless unfounded
        misleading incorrect wrong doctored photoshop* spoof* parody scam* nope rubbish nonsense lie
        lies lied lying phony phoney invented disprove* contradict* reject* rebut* discredit* erroneous*
        mistaken* misreport* debunk clarif* correction""".split()
    ),
    "negation": tuple(
        """not no never none nothing nobody neither nor without n't cannot isn't wasn't aren't weren't
        don't doesn't didn't won't wouldn't can't couldn't hasn't haven't hadn't shouldn't nowhere
        hardly""".split()
    ),
    "doubt": tuple(
        """doubt* despite however skeptic* sceptic* question* suspicious* dubious unlikely unclear unproven
        implausib* far-fetched apparently purported* supposed* so-called actually turns turned truth""".split()
    ),
    "hedge": tuple(
        """reportedly allegedly alleged allegation* claim* rumor* rumour* may might could possibly possible
        perhaps unconfirmed unverified speculat* suggest* appear* seem* believed likely whether if
        potential* report reports supposedly rumored rumoured""".split()
    ),
    "report": tuple(
        """said says say told according reported stated statement source sources spokesman spokeswoman
        spokesperson announced quoted interview tweeted wrote""".split()
    ),
    "confirm": tuple(
        """confirm* official* true indeed verified verify evidence proof proves proved proven revealed
        reveals genuine authentic real actual fact announc* admit* acknowledg*""".split()
    ),
}

# --------------------------------------------------------------------------------------------
# Clause structure: what makes a string a claim (``service.core.stance.claim``)
# --------------------------------------------------------------------------------------------

# Auxiliaries, copulas and modals, with their contracted negations: any of them is a predicate.
AUXILIARIES = frozenset(
    """is are was were be been being am has have had will would shall should can could may might must
    do does did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't shan't shouldn't can't
    cannot couldn't mustn't doesn't don't didn't ain't""".split()
)
# Verbs that carry no content of their own: a statement's predicate is then its complement
# ("Jane Doe is the finance minister": "finance minister").
LIGHT_VERBS = frozenset("be have do get become remain seem make take".split())
# Words after which a verb form is a modifier or a noun, not a predicate ("the closed model",
# "in leaked memos").
DETERMINERS = frozenset("the a an this these those its his her their our my your every each no any some".split())
PREPOSITIONS = frozenset(
    "of in on at by for with from into onto over under about after before between through during "
    "against without within among across via per than like as".split()
)
# Subjects that a bare verb form follows ("they approve", "we expect").
SUBJECT_PRONOUNS = frozenset("i you he she it we they who that which".split())
# Questions that ask for something (who, what...) rather than whether something holds.
WH_WORDS = frozenset("who whom whose what which when where why how".split())
# Uppercase operators of search-query syntax ("Meta AND (Avocado OR Llama) NOT closed").
SEARCH_OPERATORS = frozenset("AND OR NOT NEAR XOR ADJ AROUND ONEAR".split())
# Converse verbs describe one event from the two sides ("A sold B to C" = "C bought B from A"):
# never opposites, whatever WordNet says.
CONVERSES = frozenset(
    "buy sell purchase give take lend borrow send receive teach learn bring import export".split()
)
# Verb + particle pairs that name one action ("lay off", "shut down", "pull out").
PARTICLES = frozenset("off out up down in back away over".split())

# --------------------------------------------------------------------------------------------
# Polar words
# --------------------------------------------------------------------------------------------

# Opposite poles of properties that news reports flip. Each class lists folded surface forms.
POLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "openness": (
        frozenset("open open-source opensource open-sourced open-weight open-weights".split()),
        frozenset("closed close closed-source closed-sourced proprietary".split()),
    ),
    "direction": (
        frozenset("rose rise rises rising risen increase increased increases gained gain gains jumped jump "
                  "jumps surged surge surges climbed climb climbs soared soar soars".split()),
        frozenset("fell fall falls falling fallen declined decline declines decreased decrease decreases "
                  "dropped drop drops slumped slump plunged plunge plunges tumbled tumble sank sink".split()),
    ),
    "confirmation": (
        frozenset("confirm confirms confirmed confirming".split()),
        frozenset("deny denies denied denying".split()),
    ),
    "approval": (
        frozenset("approve approves approved approving accept accepts accepted".split()),
        frozenset("reject rejects rejected rejecting refuse refuses refused veto vetoed".split()),
    ),
    "outcome": (frozenset("win wins won winning".split()), frozenset("lose loses lost losing".split())),
    "life": (frozenset("alive survived survives".split()), frozenset("dead died dies killed".split())),
    "membership": (
        frozenset("join joins joined joining".split()),
        frozenset(
            "quit quits leave leaves left leaving departed depart departs exit exits exited exiting resign "
            "resigns resigned".split()
        ),
    ),
    "legality": (frozenset("legal lawful".split()), frozenset("illegal unlawful".split())),
    "guilt": (frozenset("guilty convicted".split()), frozenset("innocent acquitted".split())),
    "hiring": (frozenset("hire hires hired hiring".split()), frozenset("fire fires fired firing".split())),
}
# Folded polar word -> (property, +1 or -1).
POLE_OF: dict[str, tuple[str, int]] = {
    word: (name, sign) for name, (pos, neg) in POLES.items() for sign, group in ((1, pos), (-1, neg)) for word in group
}

# --------------------------------------------------------------------------------------------
# Names, places and counted things
# --------------------------------------------------------------------------------------------

# Countries and their demonyms match each other ("U.S." / "American", "UK" / "British"): one
# matching key per country, so neither coverage nor the entity check sees a different name.
PLACE_GROUPS = (
    "u.s usa america american americans",
    "u.k uk britain british briton britons",
    "china chinese",
    "russia russian russians",
    "france french",
    "germany german germans",
    "japan japanese",
    "india indian indians",
    "iran iranian iranians",
    "iraq iraqi iraqis",
    "syria syrian syrians",
    "israel israeli israelis",
    "canada canadian canadians",
    "australia australian australians",
    "mexico mexican mexicans",
    "italy italian italians",
    "spain spanish",
    "ukraine ukrainian ukrainians",
    "korea korean koreans",
    "brazil brazilian brazilians",
    "nigeria nigerian nigerians",
    "egypt egyptian egyptians",
    "turkey turkish",
    "pakistan pakistani pakistanis",
    "saudi saudis",
)

# Nouns that count the same thing in news copy ("400 jobs" = "400 workers" = "400 positions").
UNIT_GROUPS = (
    "job jobs employee employees worker workers staff staffer staffers position positions role roles post posts",
    "people persons individuals residents citizens",
    "year years yr yrs",
    "month months",
    "day days",
    "hour hours hr hrs",
    "minute minutes min mins",
    "user users customer customers subscriber subscribers",
)
# Words between a count and the noun it counts ("400 new jobs", "12 percent of the staff").
UNIT_SKIP_WORDS = frozenset({"new", "more", "additional", "other", "of", "the", "a", "an", "percent", "per", "cent"})
# Lower-cased words before a number that make it no part of a name ("in 2025", "over 11").
NAME_BREAKERS = frozenset("in of on by at to from for and or with than about around over under".split())

# Words that end many organisation names; sharing one of them says nothing.
GENERIC_NAME_WORDS = frozenset(
    "inc corp corporation co ltd llc plc group holdings capital systems labs lab company companies bank news "
    "media networks energy motors pharma partners technologies technology international global the of and "
    "ai chief officer executive president".split()
)

# Cited "sources" that are nobody in particular ("according to people", "officials said").
GENERIC_SOURCES = frozenset(
    "people person sources source officials official analysts documents data insiders executives "
    "employees staff us we i he she they it this that a an the one two several multiple some many "
    "government company".split()
)
# Words a cited name never starts with ("Earlier, Reuters reported": the name is Reuters).
CITE_LEADING_WORDS = (
    REUSE_STOPWORDS
    | frozenset(
        "after before when as since while although meanwhile earlier later last then still however but and".split()
    )
    | CALENDAR_WORDS
)
