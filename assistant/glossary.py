"""Applicants' words → the documents' words (shared/GLOSSARY.md), and English → Danish for the same terms.

The corpus is Danish administrative prose; a question in everyday Danish or in English shares few words
with it. Search gets the question plus the document terms its words stand for.
"""

from __future__ import annotations

import re

from assistant.danish import fold

# Everyday phrases that say the same as a document phrase, not merely lead to its section: a sentence in those
# words answers a yes/no question in these ("Kan vi få ekstra penge?" / "ikke muligt at modtage et tillæg til
# tilskuddet" → no). Searched like the entries of EVERYDAY.
SAME_AS: dict[str, str] = {
    # More money on top of the grant given (none is given for an extension).
    r"\b(?:ekstra|flere|mere|yderligere|extra|more|additional) (?:penge|midler|tilskud|money|funding|funds)\b"
    r"|\bstoerre tilskud|\bforhoej\w* (?:af )?tilskud": "tillæg til tilskuddet",
}

# folded pattern → document words appended to the search text
EVERYDAY: dict[str, str] = {
    **SAME_AS,
    r"\b(?:udstyr|computer|pc|baerbar|tablet|ipad|mobiltelefon|telefon|mobil(?:er|en|erne)?\b|smartphone|iphone|laptop"
    r"|moebler|skrivebord|kontorstol|reol|printer)": ("materiel materielanskaffelser udstyr"),
    r"\bhvad (?:kan|maa) (?:vi|man|jeg) (?:faa )?(?:daekket|bruge pengene|soege om)": "tilskudsberettigede udgifter",
    # the money put down before renting a room ("indskud" is the everyday word; the FAQ says "depositum")
    r"\bindskud\w*|\bdeposit\w*": "depositum",
    # a gift one buys for someone ("gavebevis", "gavecheck", "tilgodebevis"): the documents' gavekort/gaver
    r"\bgavebevis\w*|\bgavecheck\w*|\btilgodebevis\w*": "gavekort gaver vouchers",
    r"\b(?:ikke faa penge|ikke daekket|ikke daekke)": "ikke tilskudsberettigede udgifter",
    # Costs to be covered ("kan udgifterne til det dækkes?", "can the costs be covered?") are asked of the lists
    # of what the grant covers, not of the sections that describe the work.
    r"\budgift\w*\b[^.?!]*\bdaekke\w*|\bdaekke\w*\b[^.?!]*\budgift\w*"
    r"|\bcover (?:the |our )?(?:costs?|expenses?)|\b(?:costs?|expenses?)\b[^.?!]*\bcovered\b": "tilskudsberettigede udgifter",
    r"\bhvem kan (?:soege|ansoege)|\bmaa vi soege|\ber vi berettiget": "ansøgerkreds",
    r"\bhvem er projektet for": "målgruppe",
    r"\bhvor laenge|\bhvornaar skal pengene": "projektperiode",
    r"\brevisorerklaering|\bskal regnskabet": "revision revideres regnskab",
    r"\btimeloen|\btimepris": "timesats årsnorm",
    # Buying from a firm that someone of the project owns ("projektlederens enkeltmandsfirma", "et firma, som
    # koordinatorens mand ejer", "a company owned by our project manager") is an economic interest, a "personsammenfald
    # mellem projektets medarbejdere og leverandører".
    r"\benkeltmandsfirma\w*|\b(?:eget|egen|sit|sin|hendes|hans) (?:firma|virksomhed|selskab)\b"
    r"|\b(?:firma|virksomhed|selskab)\w*,? (?:som|der) (?:\w+ ){1,3}ejer\b|\binteressekonflikt\w*|\binhabil\w*"
    r"|\bconflict of interest|\b(?:company|firm|business) owned by\b|\bown (?:company|firm|business)\b": (
        "økonomisk interesse personsammenfald leverandører"
    ),
    # Doing up a home or a room ("sætte lejligheden i stand", "istandsættelse", "male og lægge nyt gulv") is
    # renovating it: a cost of building work.
    r"\bsaet\w* (?:\w+ ){0,2}i stand\b|\bistandsaet\w*|\bsat i stand\b|\bmaling\b|\bmale (?:\w+ )?(?:om|vaeg\w*)\b"
    r"|\bnyt gulv\b|\bnye gulve\b|\bnyt koekken\b": "renovering ombygning anlægsudgifter",
    # Moving money around in the budget ("flytte rundt på budgettet", "rykke rundt på pengene", "omrokere") is
    # changing the budget.
    r"\bflytte penge|\bmellem (?:budget)?poster|\b(?:flytte|rykke|skubbe) (?:lidt )?rundt (?:paa|i|med)\b"
    r"|\bomroker\w*": "budgetændring",
    # Spending less on one thing and more on another is moving money between budget lines.
    r"\bflytte\b[^.?!]*\b(?:over til|til|fra)\b|\b(?:mindre|faerre penge)\b[^.?!]*\bmere (?:paa|til)\b"
    r"|\bspend less\b[^.?!]*\bmore\b": "budgetændring budgetpost",
    # Money not spent by the end of a project year (not managed, left over) is an unspent grant carried over.
    r"\brestbeloeb|\bubrugte penge|\bpenge tilbage|\bikke (?:kan |kunne )?(?:naa|naar|naaede|faa|faar) (?:at )?brug\w*"
    r"|\b(?:naar|naa|naaede|faar) ikke (?:at )?brug\w*|\bunspent|\bleft ?over\b|\b(?:money|funds|grant) (?:\w+ )?left\b"
    r"|\b(?:not|cannot|can ?t|won ?t|don ?t|didn ?t) (?:manage to |be able to |get to )?spend"
    # Not spending all of it ("ikke bruger alle pengene", "bruger ikke hele tilskuddet")
    r"|\bikke (?:faar )?brug\w* (?:alle|alt|hele)\b|\bbrug\w* ikke (?:alle|alt|hele)\b": (
        "overførsel af uforbrugt tilskud"
    ),
    # Paying money back is the documents' "tilbagebetale" (a grant for equipment is as a rule paid back).
    r"\bbetale\w* (?:\w+ ){0,3}tilbage\b|\btilbagebetal\w*|\bpa(?:y|ying|id) (?:\w+ ){0,3}back\b|\brepa(?:y|id)\w*": (
        "tilbagebetales tilbagebetale"
    ),
    # Every year, once a year: the documents say "årligt", "årlige rater" and "pr. projektår".
    r"\b(?:every|each|per|a) year\b|\byearly\b|\bannual(?:ly)?\b|\bhvert aar\b|\bom aaret\b|\bhvert projektaar\b": (
        "årligt årlige projektår"
    ),
    # A project running late (delayed, not finished on time, taking longer) asks for more time: an extension.
    r"\bforlaenge|\bmere tid|\bforsink\w*|\b(?:bliver|blive|er|bliv) (?:ikke )?(?:faerdig\w*|klar) (?:til tiden|i tide|inden)"
    r"|\bikke (?:bliver|blive|er) (?:faerdig\w*|klar) (?:til tiden|i tide|inden)|\btager (?:\w+ )?laengere tid"
    r"|\bdelay\w*|\bbehind schedule|\brunning late|\b(?:not|won ?t|can ?t) (?:be )?finish\w* (?:on time|in time)"
    r"|\btakes? longer\b": "projektforlængelse",
    # Events, outings and parties for participants or residents are the documents' activities.
    r"\b(?:\w*arrangement\w*|udflugt\w*|\w*fest(?:en|er|erne)?\b|\w*spisning\w*|events?\b|outings?\b|trips?\b"
    r"|parties\b|party\b)": "aktiviteter",
    # An activity dropped or cancelled after the grant is a change to the project, approved beforehand.
    r"\b(?:ikke bliver|bliver ikke|blev ikke) til noget|\baflys\w*|\bdroppe\w*|\bopgive\w*|\bfalder (?:bort|vaek|ud)\b"
    r"|\bcancel\w*|\bdrop (?:an|the|one)\b": "ændringer i projektet",
    # Paying a person's arrears or debts, or their own costs ("en beboers husleje"), is covering debt or an
    # individual's upkeep, which the lists of costs not covered name.
    r"\b(?:husleje)?restance\w*|\bskylder\b|\barrears\b|\bunpaid rent|\bdebts?\b": "underskud",
    # (Folded, "a tenant's" reads "a tenant s"; "the participants" is the plural, whom an activity is for.)
    r"\b(?:beboers|borgers|deltagers|lejers|familiens)\b|\b(?:a|the) (?:resident|tenant|citizen|participant) s\b": (
        "støtte til enkeltpersoners underhold"
    ),
    r"\bhvilken konto|\bbankkonto": "NemKonto",
    r"\beu ?regler|\bkonkurrence": "statsstøtte",
    # Thrown out unread is rejected on formalities.
    r"\bsmide\b[^.?!]*\bud\b|\bsmidt ud|\bkasse(?:re|rer|ret)\b|\bsorte(?:re|rer|ret)\b[^.?!]*\bfra\b|\bfrasorte"
    r"|\bafvis|\bafvist": "afvisning afvise formalia",
    # Who decides which applicants get the money.
    r"\bhvem (?:bestemmer|beslutter|vaelger|udvaelger)|\b(?:bestemmer|beslutter|vaelger|udvaelger)\b[^.?!]*\bhvilke\b"
    r"|\bwho (?:decides|selects|chooses)|\b(?:decides?|selects?|chooses?|picks?)\b[^.?!]*\bwhich\b": (
        "træffer beslutning udvælgelse"
    ),
    # What the assessment looks at is what weight is given to.
    r"\b(?:kigger|ser|laegger) (?:i|de|man) (?:ellers |mere )?(?:paa|vaegt)|\bvurderer (?:i|de)\b|\bwhat do you look at"
    r"|\bhow (?:is|are) (?:it|applications|we) (?:assessed|judged)": "vurderingen lagt vægt på",
    r"\baftale med kommunen": "samarbejdsaftale",
    # What the pool (the grant, the money) is meant to achieve is the pool's stated purpose.
    r"\bformaal(?:et)? med (?:tilskuddet|pengene|projekterne|ordningen|midlerne)|\btilskuddets formaal"
    r"|\bhvad skal (?:projektet|projekterne|puljen|tilskuddet|pengene) (?:opnaa|fremme|bidrage til)"
    r"|\bpurpose of the (?:grant|pool|fund|funding)|\bwhat is the (?:grant|pool|fund) for\b": "ansøgningspuljens formål",
    r"\bportalen|\bsystemet": "tilskudsportal",
    # Spreading costs over time (the year, the quarters, the project years) is periodising the budget.
    r"\bfordeling over aaret|\bkvartaler|\bfordel\w* (?:\w+ ){0,2}over (?:tid|aaret|aarene|perioden|projektperioden)"
    r"|\bspread\w* (?:\w+ ){0,2}over (?:time|the year|the years|the period)": "periodisering periodiserede budgetter",
    # A shop or a firm joining a partnership is a business ("virksomhed").
    r"\b(?:koebmand\w*|butik\w*|forretning\w*|supermarked\w*|kiosk\w*|erhvervsdrivende|shop|shopkeeper|grocer)\b": "virksomhed virksomheder",
    r"\b(?:slut|status|midtvejs)?rapport(?:en|er|erne)?\b": "afrapportering",
    # What is due when the project ends is its reporting and accounts.
    r"\b(?:naar|efter|inden) projektet er (?:slut|afsluttet|faerdigt|ovre|gennemfoert)|\bprojektets (?:afslutning|slut)\b"
    r"|\b(?:when|after) the project (?:ends|has ended|is over|is finished)|\bend of the project\b": (
        "afrapportering regnskab"
    ),
    r"\b(?:fodbold|haandbold|svoemning|gymnastik|sport|idraet|motion|traening|fitness)": "idrætsaktiviteter kulturelle aktiviteter",
    r"\b(?:fond|fonde|fonden|fondene|fondsmidler|sponsor|medfinansiering|anden finansiering|andre penge)\b": "tilskud fra anden side finansiering",
    # The verb's own forms: "kørestol" (a wheelchair) is no driving.
    r"\b(?:koersel|koer(?:e|er|te|t)\b|kilometerpenge|benzin|parkering)": "transport",
    # Getting people into work is employment, which the vejledninger name as a main purpose they do not fund.
    r"\b(?:job\w*|arbejdsloes\w*|ledige?\b|ledighed|i arbejde|faa (?:et )?arbejde\b|arbejdsmarked\w*|employment)": "beskæftigelse",
    r"\btilsagn": "tilskud ydet",
    # A municipality's agreement with housing organisations on dwellings to assign: the documents' "udlejningsaftaler".
    r"\b(?:letting|rental|tenancy|housing|lease) agreements?\b|\blejeaftale\w*|\banvisningsaftale\w*": "udlejningsaftaler",
    # A project's main aim is its "primære formål" (which, for some aims, the vejledninger do not support).
    r"\bhoved(?:maal|formaal)\w*|\bprimaert\b|\bfoerst og fremmest\b|\bvigtigste (?:maal|formaal)\b|\bmest af alt\b"
    r"|\bmain (?:goal|aim|purpose|focus|objective)s?\b|\bfirst and foremost\b|\babove all\b": "primære formål",
    # Small things used up in an activity (drawing pads, paint, yarn): the documents' "mindre materialeanskaffelse …
    # (ex skrivehæfter, sanghæfter og pensler mv.)".
    # (Not "tegne" or "maling" alone: one takes out ("tegner") insurance and paints ("maling") rooms.)
    r"\b(?:tegne(?:blok|papir|grej|redskab|sager|ting)\w*|farve(?:r|rne|blyant\w*|kridt\w*)\b|male(?:grej|ting)\w*"
    r"|pensl\w*|karton\w*|hobbymateriale\w*|formningsmateriale\w*|garn\b|perler\b|modellervoks|art supplies"
    r"|craft supplies|crayons?|drawing pads?)": "mindre materialeanskaffelse aktivitet pensler skrivehæfter",
    # Pay that depends on results (a bonus, performance pay) is the documents' "vederlag som baserer sig på … opnåede
    # resultater", which is not part of the salary the grant covers.
    r"\bbonus\w*|\bresultatl(?:oen|øn)\w*|\bpraestationsl(?:oen|øn)\w*|\bresultatbaseret|\bperformance pay"
    r"|\bperformance.related": "engangsvederlag vederlag opnåede resultater støtteberettigede løn",
    # Sent otherwise than through the portal: "via andre kanaler …, fx med post eller via mail".
    r"\b(?:med|pr|per|paa|via|by) (?:almindelig )?(?:post|brev|mail|e ?mail|letter)\b|\bmaile\b": "indgive ansøgning tilskudsportal andre kanaler post mail",
    # Paid before the grant was given: "udgifter, der er afholdt, før der blev ydet tilskud".
    r"\b(?:betalt|afholdt|brugt|lagt ud|haft udgifter|paid|spent)\b[^.?!]*\b(?:foer|inden|before)\b[^.?!]*"
    r"\b(?:svar|tilsagn|bevilling|tilskud|grant|approval|award|decision)": "udgifter afholdt før der blev ydet tilskud",
}

ENGLISH: dict[str, str] = {
    "deadline": "ansøgningsfrist",
    "apply": "ansøge ansøgning",
    "application": "ansøgning",
    "applicants": "ansøgerkreds",
    "eligible": "tilskudsberettigede",
    "eligibility": "ansøgerkreds",
    "grant": "tilskud",
    "funding": "tilskud",
    "fund": "tilskud",
    "money": "tilskud midler",
    "computer": "materiel computer udstyr",
    "laptop": "materiel computer udstyr",
    "buy": "køb anskaffelse",
    "purchase": "køb anskaffelse",
    "vat": "moms",
    "email": "e-mail mail",
    "e-mail": "e-mail mail",
    "equipment": "materiel udstyr",
    "furniture": "inventar",
    "expenses": "udgifter",
    "costs": "udgifter",
    "salary": "løn lønudgifter",
    "salaries": "lønudgifter",
    "wages": "løn",
    "hourly": "timesats årsnorm",
    "audit": "revision revideres",
    "auditor": "revisor",
    "accounts": "regnskab",
    "budget": "budget budgetpost",
    "period": "projektperiode",
    "project": "projekt",
    "target": "målgruppe",
    "group": "målgruppe gruppe",
    "volunteers": "frivillige",
    "volunteer": "frivillig",
    "municipality": "kommune",
    "municipalities": "kommuner",
    "housing": "bolig boliganvisning",
    "homeless": "hjemløshed",
    "homelessness": "hjemløshed",
    # Places the lists of costs not covered name ("Projekter forankret i udlandet, Grønland og på Færøerne").
    "greenland": "Grønland",
    "faroe": "Færøerne",
    "faroes": "Færøerne",
    "abroad": "udlandet",
    "caretaker": "sociale viceværter",
    "caretakers": "sociale viceværter",
    "partnership": "partnerskab",
    "partnerships": "partnerskaber",
    "association": "forening",
    "associations": "foreninger",
    "organisation": "organisation",
    "organization": "organisation",
    "unused": "uforbrugt",
    "transfer": "overførsel",
    "extension": "projektforlængelse",
    "extend": "forlænge",
    "report": "afrapportering",
    "reporting": "afrapportering",
    "evaluation": "evaluering",
    "rent": "husleje lokaler",
    "transport": "transport",
    "mileage": "transport kilometer takst",
    "kilometre": "kilometer",
    "kilometer": "kilometer",
    "driving": "transport kilometer",
    "food": "mad forplejning",
    "consultant": "konsulent",
    "consultants": "eksterne konsulenter",
    "insurance": "forsikringer",
    "payment": "udbetaling",
    "paid": "udbetaling",
    "state": "statsstøtte",
    "agreement": "samarbejdsaftale",
    "loneliness": "ensomhed",
    "purpose": "formål",
    "theme": "tema",
    "activities": "aktiviteter",
    "cooperation": "samarbejde",
    "collaboration": "samarbejde",
    "who": "hvem",
    "amount": "beløb",
    "much": "beløb",
    "section": "§",
    "act": "lov serviceloven",
    "adopted": "vedtaget",
    "law": "lov",
    "companies": "virksomheder",
    "company": "virksomhed",
    "down": "driftsforstyrrelser it-problemer",
    "examples": "eksempler",
    "example": "eksempel",
    "year": "år",
    "pool": "pulje",
    "change": "ændring",
    "changes": "ændringer",
    "documents": "bilag",
    "attachments": "bilag",
    "requirements": "krav",
    "criteria": "krav vurdering",
    "assessed": "vurdering",
    "rejected": "afvisning",
    "portal": "tilskudsportal",
    "account": "NemKonto",
    "renovate": "renovering ombygning anlægsudgifter",
    "renovation": "renovering ombygning anlægsudgifter",
    "refurbish": "renovering ombygning anlægsudgifter",
    "rebuild": "ombygning anlægsudgifter",
    "unspent": "uforbrugt",
    "leftover": "uforbrugt",
    "voucher": "vouchers gavekort gaver",
    "gift": "gavekort gaver",
    "course": "kursus kursusaktiviteter uddannelse",
    "training": "uddannelse kursusaktiviteter",
    "overhead": "overhead administrationsbidrag",
    "debt": "underskud gæld",
    "deficit": "underskud gæld",
    "tenant": "lejer beboere",
    "resident": "beboere",
    "flat": "bolig",
    "apartment": "bolig",
    "region": "regioner",
    "suitable": "egnede",
    "nationwide": "landsdækkende",
    "national": "landsdækkende",
    "participants": "deltagere",
    "participant": "deltager",
    # What a project's main purpose may not be (SærligSoc: "… hvis primære formål … er integration, uddannelse,
    # beskæftigelse eller sundhed"), and the words for its main aim.
    "health": "sundhed",
    "education": "uddannelse",
    "integration": "integration",
    "aim": "formål",
    "goal": "formål",
    "mainly": "primære hovedformål",
    "primarily": "primære hovedformål",
    "primary": "primære hovedformål",
    # costs that may not be lumped or budgeted for the unknown ("overhead, administrationsbidrag …", "uforudsete
    # udgifter")
    "admin": "administrationsbidrag overhead",
    "administration": "administrationsbidrag overhead",
    "unforeseen": "uforudsete udgifter",
    "contingency": "uforudsete udgifter",
    "buffer": "uforudsete udgifter",
}

# English endings taken off a word the glossary does not know as written ("renovating" → "renovate").
_ENGLISH_ENDINGS = (("ies", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""), ("es", ""), ("s", ""))


def _english_entry(word: str) -> str | None:
    if word in ENGLISH:
        return ENGLISH[word]
    for ending, replacement in _ENGLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)] + replacement
            if base in ENGLISH:
                return ENGLISH[base]
    return None


def _typed_plain(pattern: str) -> str:
    """The pattern as its words are typed without æ/ø/å ("korsel" for "kørsel", "dakket" for "dækket")."""
    return pattern.replace("oe", "o").replace("aa", "a").replace("ae", "[ae]")


# Each everyday pattern, matching its words as folded (æ→ae, ø→oe, å→aa) or typed without æ/ø/å.
def _compiled(entries: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(f"{pattern}|{_typed_plain(pattern)}"), terms) for pattern, terms in entries.items()]


_EVERYDAY = _compiled(EVERYDAY)


_SAME_AS = _compiled(SAME_AS)


def same_as_terms(question: str) -> str:
    """The document phrases the question's everyday phrases say the same as ("" if none)."""
    folded = fold(question)
    return " ".join(dict.fromkeys(terms for pattern, terms in _SAME_AS if pattern.search(folded)))


# The longest glossary match (in words) whose words all count as the asker's words for a document term.
GLOSSARY_PHRASE_WORDS = 4


def glossary_words(question: str) -> set[str]:
    """The folded words of the question that an everyday or English phrase of the glossary covers ("ordningen" in
    "formålet med ordningen"): the question's own words for a document term, not words the documents lack."""
    folded = fold(question)
    matched = [match.group(0).split() for pattern, _ in _EVERYDAY for match in pattern.finditer(folded)]
    # A short phrase only: a match spanning a gap ("flytte … over til") may hold a word the documents do lack.
    return {w for words in matched if len(words) <= GLOSSARY_PHRASE_WORDS for w in words}


# English phrases in which a word of ENGLISH means something else: "take into account" is no bank account
# (NemKonto), "what does the guideline state" no state aid, a "down payment" no portal that is down.
_OTHER_SENSE = re.compile(
    r"\b(?:take|takes|taking|took|taken) into account\b|\bon account of\b|\baccount(?:s|ed|ing)? for\b"
    r"|\b(?:does|do|did|guidelines?|it|they|documents?|faq|page|rules?) states?\b|\bstates? (?:that|how|what|when|whether)\b"
    r"|\bdown (?=payments?\b)"
)


def document_terms(question: str) -> str:
    """The document terms that the question's everyday or English words stand for ("" if none)."""
    folded = fold(question)
    extra = [terms for pattern, terms in _EVERYDAY if pattern.search(folded)]
    english = _OTHER_SENSE.sub(" ", question.lower())
    extra += [t for w in re.findall(r"[a-z]+", english) if (t := _english_entry(w))]
    return " ".join(dict.fromkeys(extra))


def expand(question: str) -> str:
    """The question followed by its document terms, as search text."""
    terms = document_terms(question)
    return f"{question} ({terms})" if terms else question
