"""Step 1 — question + history → Query: the question understood once (language, pools named, question
types, topic, fact intents, out-of-scope class, relation to the previous turn). Later steps read the Query."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from wordfreq import zipf_frequency

from assistant.corpus.pools import PoolMatcher, PoolMention
from assistant.danish import ends_with_abbreviation, fold, parse_money
from assistant.glossary import document_terms
from assistant.models import Message
from assistant.retrieval import content_words, within_one_edit
from assistant.rules.lexicon import IntentSpec, Lexicon, find_terms, term_pattern

# English function words that are not also Danish words ("for", "to", "i", "have", "is" are both).
_ENGLISH = re.compile(
    r"\b(the|a|an|what|when|where|why|how|who|which|can|could|does|do|did|are|was|were|be|we|our"
    r"|you|your|my|it|this|that|these|there|should|must|will|would|may|need|use|with|from|of|in"
    r"|on|at|by|and|or|not|if|any|much|many|just|before|after|about|into|grant|deadline|apply"
    r"|is|still|open|application|applications|project|projects|funds|funding|eligible|get|paid|pay"
    r"|costs|cost|receive|submit|municipality|municipalities|association|yet|has|than|they|their)\b",
    re.I,
)
# A topic word rarer than this (wordfreq zipf) names a thing of its own; "betale", "tilbage" do not.
RARE_TOPIC_ZIPF = 4.5
# What is embedded of the previous turn: enough for its topic, never a whole pasted text (cost is linear).
PREVIOUS_CHARS = 300
# A pool named as "puljen til X" / "fonden for X" / "X-puljen" / "X-fonden" that none of ours matches.
_FOREIGN_POOL = re.compile(
    r"\b(?:(?:ansoegnings)?puljen?|fonden|fond) (?:til|for|om|mod|imod) (?P<topic>(?:\w+ ){0,4}\w+)"
    # "the pool against loneliness among older people", "the fund for green projects"
    r"|\b(?:pool|fund) (?:for|against|to|on|about) (?P<topic_en>(?:\w+ ){0,4}\w+)"
    r"|\b(?P<compound>\w{3,}(?:puljen|fonden|fondens|puljens))\b"
    # "Kulturministeriets pulje", "Novo Nordisk Fondens pulje": a genitive names whose pool it is.
    r"|\b(?P<spaced>\w{4,}s) (?:puljen|pulje|fonden|fond)\b"
)
# "Grøn Økonomi-puljen", "Særlig Støtte-fonden": a name hyphenated to "puljen"/"fonden", with the capitalised
# words before it. Matched on the text as written (folding drops the hyphen), and only when no pool of ours is named.
_HYPHENATED_POOL = re.compile(
    r"(?:\b[A-ZÆØÅ][\wæøå]* )*\b[\wæøåÆØÅ]{3,}-(?:puljen|puljens|pulje|fonden|fondens|fond)\b"
)
# "Velux Fonden", "Novo Nordisk Fonden", "Det Obelske Familiefond": a Danish name, its words capitalised, before
# "Fonden"/"Puljen". Matched on the text as written, and only when no pool of ours is named.
_DANISH_NAMED_POOL = re.compile(
    r"\b(?:(?!(?:Den|Det|De|En|Et|Hvad|Hvilken|Hvilke|Hvor|Hvornår|Hvem|Kan|Er|Må|Skal|Vores|Jeres|Denne|Dette|Fra|"
    r"Til|I|Om|Og|Eller|Hej|Vi|Jeg)\b)[A-ZÆØÅ][\wæøåÆØÅ.'-]+ ){1,4}(?:Fonden|Fondens|Fond|Puljen|Puljens|Pulje)\b"
)
# "the Youth Fund", "the Green Transition Pool", "the Velux Foundation": an English name, its words capitalised,
# before "Fund"/"Pool"/"Foundation". Matched on the text as written, and only when no pool of ours is named.
_ENGLISH_NAMED_POOL = re.compile(
    r"\b(?:(?!(?:The|A|An|Which|What|Whose|Is|Are|Can|Could|Does|Do|Our|This|That|Your|Any|Each|In|For|From|To|Of|"
    r"Same|Other|Another|New|My|Their|Its)\b)[A-Z][\w'-]+ ){1,4}(?:Fund|Pool|Foundation|Trust)\b"
)
# Words that end a matched name without being part of it: a year, and the small words that lead to one.
_TRAILING_NOT_NAME = re.compile(r"(?: (?:i|in|for|paa|til|om|fra|af|og|eller|\d+))+$")
# Before "pulje til …", these make it a thing of one's own, not a named pool ("en pulje til transport").
_INDEFINITE = {"en", "et", "ingen", "nogen", "egen", "vores", "a", "an", "our"}
# "§18-midler", "§ 115-støtte": support named by the section of a law (often the municipality's own scheme).
# Matched on the text as written: folding drops "§".
_LAW_SCHEME = re.compile(
    # (Each longer form before the shorter it starts with: "§ 18-pengene" is named whole.)
    r"§ ?\d+[a-zæøå]?[- ]?(?:midlerne|midler|støtten|støtte|tilskuddet|tilskud|puljen|pulje|bevilling|pengene|penge"
    r"|funding|funds|money|grant)\b",
    re.I,
)
_NOT_A_TOPIC = {
    "naeste",
    "projekter",
    "projektet",
    "foreninger",
    "kommuner",
    "organisationer",
    "ansoegning",
    "ansoegningen",
    "denne",
    "dette",
    "andre",
    "frivillige",
    "hvilke",
    "hvad",
    "hvem",
    "alle",
    "den",
    "det",
    "samme",
    "jeres",
    "vores",
    "hele",
    "ansoegnings",
    "at",
    "en",
    "et",
    "i",
    "jer",
    "os",
    "hver",
    "begge",
    "din",
    "min",
    "nye",
    "ny",
    "ansoege",
    "soege",
    "sociale",
    "social",
}
_GENERIC_COMPOUNDS = {"ansoegningspuljen", "ansoegningspuljens", "udlodningspuljen", "puljen", "fonden"}


def surface_word(text: str, folded_word: str) -> str:
    """The word as the user wrote it ("tælle"), for a folded one ("taelle")."""
    return next((w for w in re.findall(r"[\wæøåÆØÅ-]+", text) if fold(w) == folded_word), folded_word)


def is_english(text: str, document_words: Collection[str] = ()) -> bool:
    """English function words make up a good part of it, or more of its words are clearly English than
    clearly Danish (wordfreq: a word far more frequent in one language than the other). An English word the
    Danish documents use themselves ("sign on fee") is a loan word there, no sign of English."""
    words = re.findall(r"[a-zA-ZæøåÆØÅ]+", text)
    if not words:
        return False
    if len(_ENGLISH.findall(text)) / len(words) >= 0.3:
        return True
    lower = [w.lower() for w in words]
    english = sum(zipf_frequency(w, "en") - zipf_frequency(w, "da") >= 1 and w not in document_words for w in lower)
    danish = sum(zipf_frequency(w, "da") - zipf_frequency(w, "en") >= 1 for w in lower)
    return english > danish and english >= 3


@dataclass(frozen=True)
class Query:
    text: str  # the question as asked (validated, CPR masked)
    folded: str
    language: str  # "da" | "en"
    types: tuple[str, ...]  # question types: when, how_much, …
    leading_type: str | None  # the type whose words come first in the asking sentences ("Hvor mange kroner … må vi")
    mentions: tuple[PoolMention, ...]  # pools named in the question itself
    unknown_pool: str | None  # words naming a pool we do not have
    topic: tuple[str, ...]  # the question's own content words, pool names left out
    intents: tuple[IntentSpec, ...]  # fact intents the question's words ask for (before scope)
    out_of_scope: tuple[str, ...]  # lexicon classes it names: own_case, tax, personal_support
    chosen_pool: str | None  # the pool the page or the caller chose
    history_pool: str | None  # the pool the conversation was about
    follow_up: bool  # this turn leans on the previous one
    previous: str | None  # the previous user question (masked, bounded)
    search_text: str  # what retrieval embeds and searches: bounded
    asks_again: bool  # the turn asks the previous question again, of another pool or case ("Gælder det samme for X?")
    # The search text with the words typed without æ, ø, å or misspelt written as the documents spell them; None
    # where it is the same.
    spelled_text: str | None
    wants_background: bool  # the question asks about the 2005 pjece itself
    asks_funding: bool  # it asks for money (to get, apply for, spend): the pjece answers no such question
    compare: bool  # asks about several pools at once
    contrast_index: int  # word index after the last contrast word ("…, men …"), 0 if none
    now: datetime
    notes: tuple[str, ...] = field(default=())
    # It uses a word only the pools' current documents use ("projektperioden"), though it names no pool: it is
    # about the pools' rules, and the 2005 pjece is background to it (set by the pipeline, which knows the corpus).
    about_pools: bool = False
    # The asking sentence points with a pronoun to what the message told before it ("Vores projekt skal hjælpe unge
    # i job. Kan vi få støtte til det?"): the setting's words are what it asks about.
    asks_of_setting: bool = False
    # It leans on that setting by an adverb that says "despite that" ("… men den er ikke underskrevet endnu. Kan vi
    # søge alligevel, hvis …?"): the quote is chosen for what the setting told.
    leans_on_setting: bool = False
    # The years an earlier part of the same message asked about ("Hvornår er fristen i 2025, og hvor mange penge er
    # der i puljen?"): a later part that names none asks of them too (set by the pipeline).
    message_years: tuple[str, ...] = ()
    # The people a cost is asked for ("pension *til projektlederen*", "courses *for the volunteers*"): who, not
    # what; their uncommon word would pull the sections that mention them over the one on the cost.
    for_whom: tuple[str, ...] = ()

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def reads_setting(self) -> bool:
        """The asking sentence asks of what the message told before it, by a pronoun or a "despite that"."""
        return self.asks_of_setting or self.leans_on_setting

    @property
    def named_pools(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.pool for m in self.mentions))


# Words by which an asking sentence leans on what the message told before it ("… men den er ikke underskrevet endnu.
# Kan vi søge alligevel, hvis vi vedlægger en hensigtserklæring?"): it asks of that setting.
# ("så" as "then": "… men vi kan samle 15-20. Er vi så udelukket?")
_LEANS_ON_SETTING = frozenset(
    ["alligevel", "stadig", "stadigvaek", "saa", "anyway", "still", "nevertheless", "nonetheless", "then"]
)


# The longest ending an inflected person word adds to its lexicon form ("projektleder-en", "medarbejder-ne",
# "frivillig-e"): more makes a compound ("frivilligcafé").
INFLECTION_CHARS = 3
# A person after "til"/"for" is whom something is for ("pension til projektlederen", "kurser for de frivillige").
_FOR_WHOM = re.compile(
    r"\b(?:til|for|to)\s+(?:(?:en|et|de|den|det|vores|jeres|deres|hans|hendes|the|our|their|a|an)\s+)?(?P<who>\w+)"
)


def for_whom(asking_folded: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The words naming the people something is asked for, of the lexicon's groups of people, inflected
    ("projektlederen", "frivillige") — not a compound they start ("frivilligcaféen" is a place)."""
    # (Not the people the project is for — "sommerfest for beboerne": the rules on what is covered name them.)
    groups = tuple(w for words in lexicon.person_groups.values() for w in words if w not in lexicon.people)
    named = (m.group("who") for m in _FOR_WHOM.finditer(asking_folded))
    return tuple(
        who for who in named if any(who.startswith(g) and len(who) - len(g) <= INFLECTION_CHARS for g in groups)
    )


# "hvor mange deltagere": the thing a how-many question counts (folded text).
COUNTED = re.compile(r"\bhvor mange\s+(?P<noun>[a-z]{4,})")
# After "hvor mange" these ask for an amount or a frequency, not a count of a thing the guideline names.
NOT_COUNTED = {"penge", "kroner", "millioner", "mio", "procent", "gange"}


# "how many municipalities": an English count, of a thing the glossary gives the documents' word for.
COUNTED_EN = re.compile(r"\bhow many\s+(?P<noun>[a-z]{4,})")


def counted_noun(folded: str) -> str | None:
    """The thing a how-many question counts ("viceværter"), if it counts a thing rather than money; asked in
    English, as the documents' word for it ("municipalities" → "kommuner"), where the glossary has one."""
    found = COUNTED.search(folded)
    if found:
        return found.group("noun") if found.group("noun") not in NOT_COUNTED else None
    english = COUNTED_EN.search(folded)
    terms = document_terms(english.group("noun")).split() if english else []
    return fold(terms[-1]) if len(terms) == 1 else None


_YES_NO_OPENERS = {
    "er",
    "kan",
    "maa",
    "skal",
    "har",
    "faar",
    "is",
    "can",
    "may",
    "do",
    "does",
    "are",
    "must",
    # conditional and future modals ("Would that qualify?", "Vil det tælle med?", "Kunne vi …?")
    "would",
    "could",
    "will",
    "vil",
    "ville",
    "kunne",
}
# Verbs that open a yes/no question about what may or must be done, and the types of a question that asks for
# something else (a time, an amount asked "hvor meget", a person, a reason).
_MODAL_OPENERS = {"kan", "maa", "skal", "can", "may", "must", "should"}
# Every verb a yes/no question may open with.
OPENING_VERBS = frozenset(_YES_NO_OPENERS | _MODAL_OPENERS)
# The nouns for an amount, which a question may name without asking for one ("Skal *beløbene* stå inkl. moms?").
_AMOUNT_NOUNS = {"beloeb"}
_ASKING_TYPES = {"when", "how_many", "how_long", "who", "how", "todo", "why", "what", "may", "define", "contact"}
# "Hvad … til?" / "What … for/on?": the question word and the preposition that ends the sentence.
_WHAT_FOR = re.compile(r"^(?:.*\s)?(?:hvad|hvilke|hvilken|hvilket|what|which)\s.*\s(?:til|for|on)\s*$")


# What a thing consists of is what the documents say is understood by it ("Ved ansøgning forstås …"): "Hvad består
# en ansøgning af?", "What does the application consist of?" (folded; the thing may stand between verb and "af").
_CONSISTS_OF = re.compile(r"\b(?:bestaa|bestaar|consist|consists)\b(?:\s+\w+){0,3}?\s+(?:af|of)\b")


# English "when" inside a clause ties a condition to it ("Do we pay it back when the project ends?"); it asks a time
# only where it opens the question or a clause, or follows "by", "until" or "from".
_WHEN_ASKS = re.compile(r"(?:^|[,:;?!.] |\b(?:and|or|but|by|until|till|from|so) )when\b")


def _finds_type(name: str, terms: list[str] | tuple[str, ...], folded: str, question_text: str | None) -> bool:
    found = find_terms(terms, folded)
    if name == "when" and found and all(f == "when" for f in found):
        return bool(_WHEN_ASKS.search((question_text or folded).lower()))
    return bool(found)


def question_types(folded: str, lexicon: Lexicon, question_text: str | None = None) -> tuple[str, ...]:
    types = [name for name, terms in lexicon.question_types.items() if _finds_type(name, terms, folded, question_text)]
    if counted_noun(folded) and "how_much" in types:
        # "Hvor mange budgetposter må der højst være?" counts budget lines: "højst" makes it no amount.
        types.remove("how_much")
    # A clause that opens with a verb asks yes or no, also after a setting ("For the local partnerships pool,
    # do we …?", "Til SærligSoc: kan vi …?").
    # (A later part of a Danish message opens with the "og" that joined it: "og skal beløbene stå inkl. moms?". An
    # English one — "and can businesses get one too?" — leans on the part before, and is read with it.)
    clauses = [
        c.split() for c in re.split(r"[,:;–-]\s", _DANISH_JOINER_AT_START.sub("", question_text or folded)) if c.strip()
    ]
    if not types and any(fold(c[0]) in _YES_NO_OPENERS for c in clauses):
        types.append("yesno")
    elif not set(types) & _ASKING_TYPES and any(fold(c[0]) in _MODAL_OPENERS for c in clauses):
        # "Skal beløbene være inkl. moms?" asks yes or no about moms: the amount it names is no amount asked for.
        # ("Er der et loft over …?" asks whether there is one: an amount question.)
        types.append("yesno")
        if "how_much" in types and set(find_terms(lexicon.question_types["how_much"], folded)) <= _AMOUNT_NOUNS:
            types.remove("how_much")
    if _CONSISTS_OF.search(folded) and "define" not in types:
        types.append("define")
    if "todo" in types:
        # "Hvad gør vi, hvis portalen driller lige op til fristen?" asks what to do: the "hvad" is part of it, and
        # what the situation names ("op til fristen") is no amount or date asked for.
        return ("todo",)
    if "what" in types and any(_WHAT_FOR.search(s) for s in re.split(r"[?!.]\s*", fold(question_text or folded))):
        # "Hvad kan vi (ikke) bruge pengene til?", "What can the grant be spent on?" ask what for: a purpose,
        # which no date or amount answers.
        types[types.index("what")] = "purpose"
    return tuple(types)


def leading_type(folded: str, lexicon: Lexicon) -> str | None:
    """The question type whose words stand first: "Hvor mange kroner pr. kilometer må vi skrive?" asks an amount,
    the "må vi" after it is how it is asked."""
    found = [
        (m.start(), -len(m.group(0)), name)
        for name, terms in lexicon.question_types.items()
        if (m := term_pattern(terms).search(folded))
    ]
    return min(found)[2] if found else None


# Types that say how a question is put, not which kind of fact answers it.
PLAIN_TYPES = frozenset({"what", "may", "yesno", "how", "todo", "why"})


def match_intents(
    folded: str,
    intents: tuple[IntentSpec, ...],
    types: tuple[str, ...] = (),
    answers: dict[str, set[str]] | None = None,
    *variants: str,
    askers: frozenset[str] = frozenset(),
    topic: tuple[str, ...] = (),
    amount_told: bool = False,
    asking: str | None = None,
) -> tuple[IntentSpec, ...]:
    """Intents whose topic the question (or one of its `variants`) names, excluded phrasings left out.

    `asking`: the folded asking sentences, where the message tells a setting first and they name a thing of their
    own. A `topic_with_type` term in the setting only ("Vi overvejer at søge … Hvor mange år skal vi levere
    cpr-numre?") is what the asker is doing, not what they ask about; asking of nothing of its own ("Vi vil søge
    SærligSoc. Hvornår?") the asking sentence leans on it.

    A `topic_with_type` term counts only with a question type the intent's key answers, other than
    what/may/yes-no ("hvornår … sende"). Intents named by a topic term come first: a topic term names the
    fact itself, a `topic_with_type` term only an action that several facts share ("søge"), a `topic_weak`
    term only where ("i puljen"): it counts with a question type the intent's key answers, or where the
    question has no `topic` word of its own ("Hvor meget er der i puljen?") — "Hvad forstår I ved egnede boliger
    i puljen?" asks about the dwellings, "Hvor lang tid løber projekterne i puljen?" how long. (Spending asked
    of — "Hvor meget må vi bruge på transport i puljen?" — the intent's `excludes` leave out.)
    """

    def pointed(intent: IntentSpec) -> bool:
        return bool((set(types) - PLAIN_TYPES) & (answers or {}).get(intent.name, set()))

    texts = tuple(dict.fromkeys((folded, *variants)))
    kept = [i for i in intents if not any(term_pattern(i.excludes).search(t) for t in texts)]

    by_topic = [
        i
        for i in kept
        if any(term_pattern(i.topic, inside_words=True).search(t) for t in texts)
        or (amount_told and i.topic_with_amount and any(term_pattern(i.topic_with_amount).search(t) for t in texts))
    ]
    # A "still" phrase names an action several facts share ("kan man søge"): a fact the question names by its own
    # topic term goes first ("Er der et minimumsbeløb, man kan søge?" asks for the least grant, not who may apply).
    by_topic += [
        i for i in kept if i not in by_topic and any(_still_not_despite(i.topic_still, t, askers) for t in texts)
    ]

    def asked_in_setting_only(intent: IntentSpec) -> bool:
        return asking is not None and not term_pattern(intent.topic_with_type, inside_words=True).search(asking)

    by_type = [
        i
        for i in kept
        if i not in by_topic
        and i.topic_with_type
        and pointed(i)
        and (not i.with_types or set(types) & set(i.with_types))
        and any(term_pattern(i.topic_with_type, inside_words=True).search(t) for t in texts)
        and not asked_in_setting_only(i)
    ]
    weak = [
        i
        for i in kept
        if i not in by_topic
        and i not in by_type
        and i.topic_weak
        and (pointed(i) or not _beside(topic, i.topic_weak))
        and any(term_pattern(i.topic_weak, inside_words=True).search(t) for t in texts)
    ]
    return (*by_topic, *by_type, *weak)


def named_topic_terms(query: Query) -> list[str]:
    """The topic terms of the question's intents as they stand in it ("sign on" of "Hvem kan søge om sign on fee?")."""
    return [
        m.group(0)
        for intent in query.intents
        for m in term_pattern(intent.topic, inside_words=True).finditer(query.folded)
    ]


def _beside(topic: tuple[str, ...], terms: tuple[str, ...]) -> tuple[str, ...]:
    """The topic words that are not part of the terms themselves ("puljen" of "i puljen")."""
    own = {w for t in terms for w in t.split()}
    return tuple(w for w in topic if w not in own)


# Words that say what the asker lacks or is not ("ingen frivillige", "ikke landsdækkende", "kun ansatte").
# ("kun" / "only" narrow rather than lack: "vi har kun aktiviteter i Aarhus – kan vi søge?" asks who may apply.)
_LACKING = {"ingen", "ikke", "uden", "aldrig", "no", "not", "dont", "don", "without", "never", "isn", "aren", "t"}


def _still_not_despite(terms: tuple[str, ...], folded: str, askers: frozenset[str] = frozenset()) -> bool:
    """A "still …?" term stands in the text with nothing the asker lacks said before it. What kind of body the
    asker is not ("vi er ikke en forening") is no lack: it asks who may apply."""
    found = term_pattern(terms, inside_words=True).search(folded) if terms else None
    if not found:
        return False
    before = folded[: found.start()].split()
    return not any(w in _LACKING and not askers & set(before[n + 1 : n + 4]) for n, w in enumerate(before))


# Articles and possessives: "kan en kommune søge", "kan vores forening søge" ask what "kan kommune søge" asks.
_ARTICLES = {
    "en",
    "et",
    "vores",
    "jeres",
    "min",
    "mit",
    "mine",
    "din",
    "dit",
    "deres",
    "our",
    "my",
    "their",
    "a",
    "an",
    "the",
}
# Words that stress who asks without changing what ("kan kommunen *selv* søge", "can we *also* apply").
_STRESS = {"selv", "ogsaa", "ourselves", "itself", "themselves", "also", "too"}
# Words that single out one of the asker's kind ("en enkelt kommune", "a single municipality"): "hvor meget kan en
# enkelt kommune få" asks what one applicant may get, as "hvor meget kan vi få" does.
_SINGLING = {"enkelt", "enkelte", "single", "individual"}


# The words of an amount besides its digits.
_AMOUNT_WORDS = {"kr", "kroner", "dkk", "mio", "ca", "cirka", "omkring", "pct", "procent"}
# Prepositions that tie a pool's name into a phrase ("penge *fra* puljen", "ansøgere *i* SærligSoc").
_NAME_PREPOSITIONS = {"fra", "i", "hos", "under", "af", "from", "in", "of"}


def intent_variants(
    words: list[str], mentions: list[PoolMention], askers: frozenset[str] = frozenset()
) -> tuple[str, str, str]:
    """The folded question as intents are also looked for in it: with the words that name pools left out (a
    pool's name can stand inside a topic phrase, "hvor lang tid kan et SærligSoc-projekt løbe"), and then
    also without articles, possessives, stress words and the words naming the asker's kind ("kan vores
    forening selv søge" is "kan søge", "can a housing association apply" is "can apply")."""
    # The preposition that ties the name in goes with it: "penge fra viceværtpuljen til en bil" is "penge til en bil".
    bare = [
        w
        for n, w in enumerate(words)
        if not any(m.start <= n < m.end or (n == m.start - 1 and w in _NAME_PREPOSITIONS) for m in mentions)
    ]
    # A name after "i"/"in" stands where "puljen" would: "Hvor stort er beløbet i SærligSoc?" is "… i puljen?".
    after_in = [m for m in mentions if m.start and words[m.start - 1] in {"i", "in"}]
    in_pool = [
        ("puljen" if words[n - 1] == "i" else "the pool") if any(n == m.start for m in after_in) else w
        for n, w in enumerate(words)
        if not any(m.start < n < m.end for m in after_in)
    ]
    # Without the amounts ("flytte 25 000 kr over til materiel" is "flytte over til materiel"): an amount stands
    # between a topic's words as no filler word does.
    plain = " ".join(
        w
        for w in bare
        if w not in _ARTICLES | _STRESS | _SINGLING and w not in askers and w not in _AMOUNT_WORDS and not w.isdigit()
    )
    return " ".join(bare), plain, " ".join(in_pool)


# A second question in the same message starts after "?", or at "og"/"and" + a question word ("og hvor
# mange …"), + a modal verb and its subject ("og kan vi …", "and can we …") or + "er der" ("– og er der et
# mindstebeløb?"); a piece without a question word ("er det kl. 12?") belongs to the question before it.
_AND_ASKS = (
    # "samt" joins questions as "og" does ("… og hvor mange penge er der i puljen samt hvornår skal projektet ligge")
    r"(?:og|samt|and)\s+(?:(?:\w+\s+)?(?:hv\w+|what|when|how|who|which)"
    # a verb before its subject asks (Danish word order): a pronoun, a possessive + noun ("og kan hendes pension …"),
    # or a definite noun ("og skal samarbejdsaftalen være underskrevet …?")
    r"|(?:kan|skal|maa|må|er|har|faar|får|can|must|may|do|should)\s+(?:vi|man|jeg|i|de|we|they"
    r"|(?:hendes|hans|deres|vores|jeres|min|mit|mine)\s+\w+|\w{4,}(?:en|et|ne))\b"
    r"|(?:does|do|will|would|could)\s+(?:it|this|that|the|our|we|they)\b"
    r"|(?:er|findes|gælder|gaelder)\s+der\b|(?:is|are)\s+there\b)"
)
# After a comma, "og" + a verb that opens a question starts one whatever its subject: "Skal forældrene give
# samtykke, og må børn og forældre være i samme gruppe?".
_COMMA_AND_ASKS = r"(?:og|and)\s+(?:kan|skal|maa|må|er|har|can|must|may|is|are)\s+\w"
# After a comma, a question word and a verb start a question of its own: "Hvornår er fristen, hvad skal ansøgningen
# bestå af, og …?" (an indirect question after a verb of telling, "Vi vil gerne vide, hvad …", is a lead-in and
# joins the question after it again).
_COMMA_ASKS = r"(?:hvad|hvem|hvornaar|hvornår|hvordan|hvilke|hvilken|hvilket|what|when|who|how|which)\s+(?:skal|kan|må|maa|er|bliver|gælder|gaelder|must|should|can|is|are|do|does)\b"
# After a comma, a verb in the present tense before its pronoun subject asks yes or no (Danish puts the verb first in
# a question): "Hvor mange penge er der i puljen, deles de ligeligt, og giver det mening at søge?". A word ending
# like a verb that joins a clause ("efter", "over", "eller") is none.
_COMMA_VERB_FIRST = (
    r"(?:og\s+)?(?!(?:efter|over|under|eller|hver|her|der|senere|tidligere|hvorefter|derefter|herefter)\s)"
    r"[a-zæøå]{2,}(?:er|es)\s+(?:de|det|den|vi|man|jeg|I)\b"
)
_PART_BREAK = re.compile(
    rf"(?<=\?)\s+|\s*[,;–-]?\s+(?={_AND_ASKS})|\s*[,;]\s+(?={_COMMA_AND_ASKS})|\s*,\s+(?={_COMMA_ASKS})"
    rf"|\s*,\s+(?={_COMMA_VERB_FIRST})",
    re.I,
)
_ASKS_AFTER_AND = re.compile(_AND_ASKS, re.I)
# The words a question starts with (folded), besides the hv-words.
_QUESTION_START = {
    "kan",
    "skal",
    "maa",
    "er",
    "har",
    "findes",
    "gaelder",
    "faar",
    "bliver",
    "hvad",
    "what",
    "when",
    "how",
    "who",
    "which",
    "can",
    "must",
    "may",
    "do",
    "does",
    "is",
    "are",
    "should",
    "will",
}


def _put_as_question(text: str) -> bool:
    """A question mark, or a question word or verb first."""
    first = fold(text).split()[:1]
    return text.rstrip().endswith("?") or bool(first and (first[0].startswith("hv") or first[0] in _QUESTION_START))


_QUESTION_WORDS = {
    "hvad",
    "hvem",
    "hvor",
    "hvornaar",
    "hvordan",
    "hvorfor",
    "hvilke",
    "hvilken",
    "hvilket",
    "when",
    "what",
    "how",
    "why",
    "where",
    "who",
    "which",
}


def _asks(piece: str, lexicon: Lexicon) -> bool:
    """The piece is a question of its own: cut at "og" + a question word or verb, or it asks (a question
    type) and is put as a question — a question mark, or a question word or verb first. "vi er et
    frivilligcenter og kan højst samle 15" has a question type ("højst") but tells; after "?", a bare yes/no
    check ("Er det kl. 12?") asks about the answer before it. Both belong to the question before them."""
    if _ASKS_AFTER_AND.match(piece) or re.match(f"{_COMMA_AND_ASKS}|{_COMMA_VERB_FIRST}", piece, re.I):
        return True
    words = fold(piece).split()
    if _put_as_question(piece) and _EITHER_OR.search(" ".join(words)):
        return True  # "skal det være gruppeforløb eller kan det være rådgivning": a choice is asked, not a check
    return (
        _put_as_question(piece) and len(words) >= 2 and bool(set(question_types(" ".join(words), lexicon)) - {"yesno"})
    )


# Two alternatives, each with words of its own: "… gruppeforløb eller … rådgivning" (folded).
_EITHER_OR = re.compile(r"\w{4,}(?: \w+){0,3} eller (?:\w+ ){0,4}\w{4,}")


def split_parts(question: str, lexicon: Lexicon) -> list[str]:
    """The questions asked in one message, in order: "Hvad er max beløb? Og hvor mange projekter …?"."""
    parts: list[str] = []
    for piece in _PART_BREAK.split(question.strip()):
        piece = piece.strip()
        if not piece:
            continue
        # "… – hvornår og hvordan bliver de udbetalt?": two question words joined by "og" ask one question.
        joined = bool(parts) and fold(parts[-1]).split()[-1:] in ([w] for w in _QUESTION_WORDS)
        if parts and (joined or not _asks(piece, lexicon)):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    if len(parts) > 1 and not question_types(fold(parts[0]), lexicon) and not parts[0].rstrip().endswith("?"):
        # A lead-in ("Vi er en forening i Odense.") is context; a yes/no question without a question word ("Er de
        # 30.000 kr. noget, hver forening får om året?") is a question of its own.
        parts[:2] = [f"{parts[0]} {parts[1]}"]
    return parts


def _sentences_and_asks(question: str) -> tuple[list[str], list[bool]]:
    sentences: list[str] = []
    for piece in re.split(r"(?<=[.?!])\s+", question.strip()):
        # (Not at an abbreviation's period before a small letter: "… være inkl. moms?" is one sentence, "Vi har
        # 30.000 kr. Kan vi …?" two.)
        if sentences and ends_with_abbreviation(sentences[-1]) and piece[:1].islower():
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    asks = [_put_as_question(s) for s in sentences]
    return sentences, asks


# "Ud over at vi har en udlejningsaftale – hvad kigger I ellers på?": what a sentence opens by setting aside, up to
# the dash or comma that ends it, is what the asker already knows — not what they ask.
_SET_ASIDE = re.compile(
    r"(?:^|(?<=[.?!]\s))(?:ud ?over|udover|bortset fra|besides|apart from|aside from|other than)\b[^,–—?]*?"
    r"(?:,|\s[–—-]\s)\s*",
    re.I,
)


def without_set_aside(text: str) -> str:
    """The text without what it sets aside ("Ud over X – hvad ellers …?") and without the why it ends a question
    with ("…, så det passer bedre til gruppeforløbene?"), where something is left."""
    rest = _SET_ASIDE.sub("", text)
    # Only in a sentence put as a question: a told sentence's "så vi vil gerne flytte 30 % …" is what it tells.
    rest = " ".join(
        _RELATIVE_CLAUSE.sub(" ", _WHY_CLAUSE.sub(r"\g<end>", sentence))
        if sentence.rstrip().endswith("?")
        else sentence
        for sentence in re.split(r"(?<=[.?!])\s+", rest)
    )
    return rest if len(rest.split()) >= 3 else text


# A relative clause between commas that tells what the asker did with the thing ("de aktiviteter, vi har beskrevet i
# ansøgningen, …", "en aktivitet, vi lovede i ansøgningen, …"): its words ("beskrevet", "ansøgningen") would pull the sections on how applications are
# described over the one on what is asked.
_RELATIVE_CLAUSE = re.compile(
    r",\s+(?:som |der )?(?:vi|de|I|man|jeg|we|they) (?:har|havde|skal|vil|fik|have|had|will|\w+ede|\w+te|\w+ed)\b[^,?.!]*,\s*",
    re.I,
)
# A clause after a comma that tells why or what for ("…, så det passer bedre til gruppeforløbene?", "…, fordi vi
# har mange frivillige?"): its words would pull the sections about the purpose over the one about what is asked
# ("ombygning"). A condition ("…, hvis tilskuddet er under 100.000 kr.?") is part of what is asked, and stays.
_WHY_CLAUSE = re.compile(
    r",\s+(?:så (?:det|de|den|vi|man|der|I)|fordi|for at|idet|eftersom|so that|because|since)\b[^.?!,]*(?P<end>[.?!]?)",
    re.I,
)


def asking_text(question: str) -> str:
    """The message without the sentences that only tell after its last question ("…? vi er et frivilligcenter
    i en lille kommune og kan nok højst samle 15"): what retrieval searches. Told after the question, they
    describe the asker and would pull the sections about them ("frivilligcenter": who may apply) over the one
    about what was asked; told before it, they set it up ("… 45.000 kr. tilbage. Kan vi tage dem med?")."""
    sentences, asks = _sentences_and_asks(question)
    last = max((n for n, a in enumerate(asks) if a), default=len(sentences) - 1)
    return without_set_aside(" ".join(sentences[: last + 1]))


def question_sentences(question: str) -> str:
    """Only the sentences that ask: what picks the sentence of a section that answers. Inside the right
    section, the asker's setting ("Vi sidder i en mellemstor kommune …") matches the section's introduction,
    not the rule that answers ("Ansøger skal have indgået … udlejningsaftaler")."""
    sentences, asks = _sentences_and_asks(question)
    return without_set_aside(" ".join(s for s, a in zip(sentences, asks, strict=True) if a) or question)


def _without_opening_verb(question: str, named: re.Match) -> str:
    """The name matched, less a common word that opens the sentence: a Danish yes/no question opens with its verb,
    capitalised ("Dækker Novo Nordisk Fonden løn?" names "Novo Nordisk Fonden")."""
    words = named.group(0).split()
    opens = not question[: named.start()].strip() or question[: named.start()].rstrip()[-1] in ".?!:–-"
    if opens and len(words) > 2 and zipf_frequency(words[0].lower(), "da") >= RARE_TOPIC_ZIPF:
        return " ".join(words[1:])
    return named.group(0)


def unknown_pool_words(
    folded: str, mentions: list[PoolMention], known_aliases: set[str], documents_use: frozenset[str] = frozenset()
) -> str | None:
    """The words naming a pool or fund that is not ours ("puljen til bekæmpelse af ensomhed"), if any.

    `documents_use`: the documents' words, given where the asker is on a pool's page. There "penge fra puljen til
    depositum" asks for money from this pool for something its documents speak of, not of a pool by that name."""
    if mentions:
        return None
    for match in _FOREIGN_POOL.finditer(folded):
        before = folded[: match.start()].split()[-2:]
        topic = match.group("topic") or match.group("topic_en")
        if topic and _INDEFINITE & set(before):
            continue  # "en (lille) pulje til uforudsete udgifter" is a sum in a budget, not a pool by name
        if topic and before[-1:] in (["fra"], ["af"]) and topic.split()[0] in documents_use:
            continue  # "penge fra puljen til depositum": this pool's money, for a thing its documents name
        if topic:
            first = topic.split()[0]
            if first in _NOT_A_TOPIC or len(first) < 5 or not first.isalpha():
                continue
            # "fonden for socialt ansvar i 2025": the year and the words that lead to it are not the name.
            return _TRAILING_NOT_NAME.sub("", match.group(0))
        word = match.group("compound") or match.group("spaced")
        if word and word not in _GENERIC_COMPOUNDS and word not in _NOT_A_TOPIC and word not in known_aliases:
            return match.group(0)
    return None


def mention_words(mentions: list[PoolMention] | tuple[PoolMention, ...]) -> set[str]:
    """The folded words that name pools in the question."""
    return {w for m in mentions for w in m.text.split()}


def without_mentions(folded: str, mentions: list[PoolMention] | tuple[PoolMention, ...]) -> str:
    """The folded text with the pools' names taken out: what it says beside naming them."""
    for mention in mentions:
        folded = folded.replace(mention.text, " ")
    return " ".join(folded.split())


def last_user_turn(history: list[Message]) -> str | None:
    return next((m.content for m in reversed(history) if m.role == "user"), None)


def pool_from_history(history: list[Message], matcher: PoolMatcher) -> str | None:
    """The pool the conversation was last about, turn by turn from the latest: the user's own words first, then
    the answer to them ("og for viceværterne?" named the pool by a word of its own; the answer named it in full)."""
    turns: list[list[Message]] = []
    for message in history:
        if message.role == "user" or not turns:
            turns.append([message])
        else:
            turns[-1].append(message)
    for turn in reversed(turns):
        for role in ("user", "assistant"):
            for message in turn:
                if message.role == role and (named := matcher.pools(message.content[:2000])):
                    return named[-1]
    return None


# A question word rarer than this in Danish (wordfreq zipf, as written) that the documents never use may be a
# misspelling of one they do ("peng" for "penge", "ansøgnigsfristen"); a commoner word is a word of its own.
MISSPELT_ZIPF = 3.5
SPELLED_MIN_CHARS = 4


# The folded æ, ø and å a plain letter stands for when they are typed without them.
_PLAIN_FOR = {"a": ("ae", "aa"), "o": ("oe",)}


@dataclass(frozen=True)
class Vocabulary:
    """The folded words of the documents and the lexicon, indexed by each word with one letter left out: a
    question word one edit from one of them is found without comparing it with every word."""

    words: frozenset[str]
    by_deletion: dict[str, tuple[str, ...]]
    # A folded word → how the documents spell it ("gruppeforloeb" → "gruppeforløb").
    spelled: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, words: set[str] | frozenset[str], texts: Iterable[str] = ()) -> Vocabulary:
        index: dict[str, set[str]] = {}
        for w in words:
            for i in range(len(w)):
                index.setdefault(w[:i] + w[i + 1 :], set()).add(w)
        spellings = Counter(w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", text))
        spelled: dict[str, str] = {}
        for surface, _ in spellings.most_common():  # the commonest spelling of a folded word wins
            spelled.setdefault(fold(surface), surface)
        return cls(frozenset(words), {k: tuple(sorted(v)) for k, v in index.items()}, spelled)

    def respell(self, text: str) -> str:
        """The text with each word `correct` puts right written as the documents spell it ("kobe gavekort til
        vores gruppeforlob" → "købe gavekort til vores gruppeforløb"): the embedding model reads Danish, and a
        word typed without æ, ø and å, or misspelt, is another word to it, so the passage that answers scores
        low."""

        def spelled(match: re.Match) -> str:
            word = match.group(0)
            folded = fold(word)
            if " " in folded or not folded or word != word.lower():
                return word  # a name as written ("Aarhus", "FriSes") is not respelt
            if folded in self.words:  # "ansoegningsfristen": the documents' own word, spelled as they do
                right = folded
            else:  # a word they do not use: one æ, ø or å typed plain ("fa"), or a misspelling
                right = self.without_aeoeaa(folded) or self.correct(word, folded)
            spelling = self.spelled.get(right, word)
            return word if spelling == word.lower() else spelling

        return re.sub(r"[^\W\d_]+", spelled, text)

    def near(self, word: str) -> list[str]:
        """The vocabulary's words one edit from `word`."""
        deletions = {word[:i] + word[i + 1 :] for i in range(len(word))}
        found = set(self.by_deletion.get(word, ()))  # a letter left out of the question word
        found |= {d for d in deletions if d in self.words}  # a letter too many
        found |= {w for d in deletions for w in self.by_deletion.get(d, ())}  # a letter swapped
        return sorted(w for w in found if within_one_edit(word, w))

    def without_aeoeaa(self, word: str) -> str | None:
        """The one vocabulary word that `word` is, but for one æ, ø or å typed as a plain "a" or "o" ("soge" →
        "soege", "sa" → "saa"); folded, those letters are "ae", "oe" and "aa"."""
        found = {
            restored
            for i, letter in enumerate(word)
            for folded_letter in _PLAIN_FOR.get(letter, ())
            if (restored := word[:i] + folded_letter + word[i + 1 :]) in self.words
        }
        return found.pop() if len(found) == 1 else None

    def correct(self, question: str, folded: str) -> str:
        """The folded question with each rare word the documents do not use put right, where exactly one word
        they use is one edit from it ("hvor mange peng" → "hvor mange penge")."""
        if not self.words:
            return folded
        surface = {fold(w): w for w in re.findall(r"[\wæøåÆØÅ]+", question)}
        out = []
        for word in folded.split():
            rare = zipf_frequency(surface.get(word, word).lower(), "da") < MISSPELT_ZIPF
            if rare and word.isalpha() and word not in self.words and (typed := self.without_aeoeaa(word)):
                out.append(typed)  # "soge" for "søge": one æ, ø or å typed as a plain letter
                continue
            near = (
                self.near(word)
                if len(word) >= SPELLED_MIN_CHARS
                and word.isalpha()
                and word not in self.words
                and zipf_frequency(surface.get(word, word).lower(), "da") < MISSPELT_ZIPF
                else []
            )
            # Of two words one slip away ("mial": "maal", "mail"), the one with the same letters swapped is the slip.
            swapped = [w for w in near if sorted(w) == sorted(word)]
            out.append(near[0] if len(near) == 1 else swapped[0] if len(swapped) == 1 else word)
        return " ".join(out)


def topic_words(text: str, pool_words: set[str], not_topic: set[str]) -> tuple[str, ...]:
    """The text's content words that are not pool names, question words or follow-up markers. A question word
    matches at the start of a word, as the lexicon's terms do: "maks" is also "maksimum", "maksimale"."""
    starts = tuple(t for t in not_topic if len(t) >= TYPE_WORD_PREFIX)
    return tuple(
        w for w in content_words(text) if w not in pool_words and w not in not_topic and not w.startswith(starts)
    )


# The letters an action word of the intents starts with: "ansøgningen" is of the action "ansøge", no thing of its own.
ACTION_PREFIX = 5


def _asking_of_its_own(
    question: str, pool_words: set[str], not_topic: set[str], intents: tuple[IntentSpec, ...]
) -> str | None:
    """The folded asking sentences, where the message tells a setting before them and they name an uncommon thing
    of their own ("… Hvor mange år skal vi levere cpr-numre?"), not the action it is ("… Hvornår skal ansøgningen
    være inde?"); else None."""
    asking = question_sentences(question)
    if asking.strip() == question.strip():
        return None
    actions = {fold(w)[:ACTION_PREFIX] for i in intents for t in i.topic_with_type for w in t.split()}
    own = [w for w in topic_words(asking, pool_words, not_topic) if w[:ACTION_PREFIX] not in actions]
    return fold(asking) if any(zipf_frequency(w, "da") < RARE_TOPIC_ZIPF for w in own) else None


# A question word this long also stands for the words it starts ("beloeb" → "beloebet").
TYPE_WORD_PREFIX = 4


def understand(
    question: str,
    chosen_pool: str | None,
    history: list[Message],
    now: datetime,
    *,
    matcher: PoolMatcher,
    lexicon: Lexicon,
    intents: tuple[IntentSpec, ...],
    support: Callable[[str, str], float],
    notes: tuple[str, ...] = (),
    answers: dict[str, set[str]] | None = None,
    vocabulary: Vocabulary | None = None,
    later_part: bool = False,
) -> Query:
    """`support(standalone_text, combined_text)` says how much better the combined reading is found
    (a positive number favours reading the turn as a follow-up). `later_part`: the question is a later part of
    a message that asks several ("Hvornår er fristen, og hvad skal vi sende med?"); the history's last turn
    is the earlier part."""
    folded = fold(question)
    english = is_english(question, vocabulary.spelled if vocabulary else ())
    if vocabulary and not english:
        folded = vocabulary.correct(question, folded)
    words = folded.split()
    mentions = matcher.mentions(question)
    known_aliases = {a.replace(" ", "") for spec in matcher.specs.values() for a in spec.all_aliases()}
    named = (
        _LAW_SCHEME.search(question)
        or _HYPHENATED_POOL.search(question)
        or (_ENGLISH_NAMED_POOL.search(question) if english else _DANISH_NAMED_POOL.search(question))
    )
    documents_use = vocabulary.words if vocabulary and chosen_pool else frozenset()
    unknown = (
        _without_opening_verb(question, named)
        if named and not mentions
        else unknown_pool_words(folded, mentions, known_aliases, documents_use)
    )
    pool_words = mention_words(mentions)
    types = question_types(folded, lexicon, question_sentences(question))
    type_words = {w for terms in lexicon.question_types.values() for t in terms for w in fold(t).split()}
    marker_words = {w for t in (*lexicon.follow_up.anaphora, *lexicon.follow_up.openers) for w in fold(t).split()}
    not_topic = type_words | marker_words
    topic = topic_words(question, pool_words, not_topic)
    askers = frozenset(w for kind in lexicon.applicant_kinds.values() for t in kind.terms for w in fold(t).split())
    previous_full = last_user_turn(history)
    # (The salary a part-time share is of may stand in the turn, or the part, before: "Hun får 480.000 kr. …")
    amount_told = bool(parse_money(question) or (previous_full and parse_money(previous_full)))
    own_intents = match_intents(
        folded,
        intents,
        types,
        answers,
        *intent_variants(words, mentions, askers),
        askers=askers,
        topic=topic,
        amount_told=amount_told,
        asking=_asking_of_its_own(question, pool_words, not_topic, intents),
    )
    out_of_scope = tuple(
        name
        for name, cls in lexicon.out_of_scope.items()
        if find_terms(cls.terms, folded) and not find_terms(cls.excludes, folded)
    )

    previous = previous_full[-PREVIOUS_CHARS:] if previous_full else None
    follow_up = False
    if previous:
        opener = bool(find_terms(lexicon.follow_up.openers, " ".join(words[:3])))
        anaphora = bool(find_terms(lexicon.follow_up.anaphora, folded))
        uncommon = [w for w in topic if zipf_frequency(surface_word(question, w).lower(), "da") < RARE_TOPIC_ZIPF]
        same_again = bool(find_terms(lexicon.follow_up.same_again, folded))
        if not topic or (opener and len(topic) <= 2 and not own_intents) or same_again:
            follow_up = True  # "Og for viceværterne?", "Hvad med SærligSoc?", "Gælder samme regel for kommuner?"
        elif anaphora and not uncommon and not own_intents:
            # "Skal vi betale det tilbage bagefter?": only everyday words beside the pronoun, which stands for
            # the thing the previous turn named.
            follow_up = True
        elif anaphora or opener:
            # "Hvem skal underskrive den?": read both ways and keep the better-supported reading.
            follow_up = support(question, f"{previous} {question}") > 0
    asked = asking_text(question)
    spelled = vocabulary.respell(asked) if vocabulary and not english else asked

    def searched(text: str) -> str:
        """What retrieval searches for this turn's text: a follow-up together with the turn before it."""
        return f"{previous} {text}" if follow_up and previous else text

    search_text = searched(asked)
    asks_again = False
    same_again = follow_up and bool(find_terms(lexicon.follow_up.same_again, folded))
    if follow_up and previous and (same_again or (not own_intents and len(topic) <= (0 if later_part else 1))):
        # "Gælder det også for X?" asks the previous question again, of another pool; a turn with its own
        # pointed question word asks that of the previous topic ("… og fra hvornår?"). A later part of one
        # message with a word of its own asks something else of the same thing ("…, og hvad skal vi sende
        # med?"): it shares the earlier part's topic (in its search text), not its question.
        previous_types = question_types(fold(previous), lexicon)
        # No pointed question word and no topic word of its own: the same question ("Hvad med gavekort?" asks it
        # of a new thing, and its own word picks the sentence).
        # "Gælder den samme regel, hvis det er kommunens projekt?": its words tell the new case, not a new question.
        asks_again = (not topic or same_again) and not set(types) - PLAIN_TYPES
        types = types if set(types) - PLAIN_TYPES else tuple(dict.fromkeys((*previous_types, *types)))
        before = fold(previous)
        earlier_mentions = matcher.mentions(previous)
        earlier_topic = topic_words(previous, mention_words(earlier_mentions), not_topic)
        own_intents = match_intents(
            before,
            intents,
            types,
            answers,
            intent_variants(before.split(), earlier_mentions)[0],
            topic=earlier_topic,
        )

    contrast_index = 0
    for match in term_pattern(lexicon.contrast).finditer(folded):
        contrast_index = len(folded[: match.start()].split())
    # The asking sentences, where the message tells a setting before (or around) them.
    asking = question_sentences(question)
    asking_folded, setting_told = fold(asking), asking != question
    return Query(
        text=question,
        folded=folded,
        language="en" if english else "da",
        types=types,
        leading_type=leading_type(asking_folded, lexicon),
        mentions=tuple(mentions),
        unknown_pool=unknown,
        topic=topic,
        intents=own_intents,
        out_of_scope=out_of_scope,
        chosen_pool=chosen_pool,
        history_pool=pool_from_history(history, matcher) if history else None,
        follow_up=follow_up,
        previous=previous,
        search_text=search_text,
        asks_again=asks_again,
        spelled_text=searched(spelled) if spelled != asked else None,
        wants_background=bool(find_terms(lexicon.background, folded)),
        asks_funding=bool(find_terms(lexicon.funding, folded)),
        compare=bool(find_terms(lexicon.compare, folded)),
        contrast_index=contrast_index,
        now=now,
        notes=notes,
        asks_of_setting=setting_told and bool(find_terms(lexicon.follow_up.anaphora, asking_folded)),
        leans_on_setting=setting_told and bool(_LEANS_ON_SETTING & set(asking_folded.split())),
        for_whom=for_whom(asking_folded, lexicon),
    )


# Words that stand before a named thing and go with it ("hendes pension samt *en* bonus", "some laptops").
_ITEM_DETERMINERS = frozenset(
    "en et den det de nogle noget hans hendes vores jeres deres sin sit sine min mit mine lidt flere "
    "a an the some our their his her my".split()  # noqa: SIM905 - a word list reads best as text
)
_ITEM_JOINERS = {"og", "samt", "eller", "plus", "and", "or"}
# A word right before the first of the joined words that makes them verbs, not things: "må vi *købe og leje*
# udstyr?", "at *søge og få* …", "to *buy or rent* …" (not past a determiner: "kan hendes pension samt en bonus …").
_VERB_BEFORE = {"vi", "man", "jeg", "de", "i", "at", "we", "they", "to"}
ITEM_MIN_CHARS = 3  # "løn", "bus", "mad"
MAX_ITEMS = 3


@dataclass(frozen=True)
class ItemAsked:
    """One of several things a yes/no question asks about at once ("Må vi købe gavekort og tegneblokke?"), and
    the question asked of it alone ("Må vi købe tegneblokke?")."""

    item: str  # as the asker wrote it, with its determiner ("en bonus")
    question: str


_WH_STARTS = {"hvad", "what", "when", "how", "who", "which"}


# The word that joins a later part of a message to the part before ("… ? og skal beløbene …?").
_JOINER_AT_START = re.compile(r"^\s*(?:og|samt|and)\s+", re.I)
_DANISH_JOINER_AT_START = re.compile(r"^\s*(?:og|samt)\s+", re.I)


def without_joiner(text: str) -> str:
    """The text without the "og"/"samt"/"and" it opens with."""
    return _JOINER_AT_START.sub("", text)


def put_as_yes_or_no(text: str) -> bool:
    """The question opens with its verb ("Kan …?", "og kan hendes pension …?", "Is it …?"), not a question word."""
    first = fold(without_joiner(text)).split()[:1]
    return bool(first) and first[0] in _QUESTION_START - _WH_STARTS


def asks_yes_or_no(text: str) -> bool:
    """The last asking sentence opens with its verb: a modal or a yes/no opener ("Kan …?", "og skal …?") or a verb
    before its pronoun subject ("Passer det ind i puljen?", "Giver det mening …?")."""
    sentences, asks = _sentences_and_asks(text)
    asking = [s for s, a in zip(sentences, asks, strict=True) if a] or sentences[-1:]
    last = asking[-1].strip() if asking else ""
    return put_as_yes_or_no(last) or bool(re.match(_COMMA_VERB_FIRST, last, re.I))


def items_asked(question: str, is_thing: Callable[[str], bool]) -> list[ItemAsked]:
    """The things one asking sentence joins with og/samt/eller or commas ("pension samt en bonus", "computere,
    møbler og husleje"), each with the question asked of it alone; [] where it joins none (or joins verbs:
    "må vi købe og leje …"). `is_thing` says of a folded word whether it can name a thing asked about."""
    sentences, asks = _sentences_and_asks(question)
    for sentence, put_as_question in zip(sentences, asks, strict=True):
        # (A later part of a message starts with the "og" that joined it: "og kan hendes pension …?")
        if not (put_as_question or _put_as_question(without_joiner(sentence))):
            continue
        tokens = list(re.finditer(r"\w[\w-]*|,", sentence))
        words = ["," if t.group(0) == "," else fold(t.group(0)) for t in tokens]
        for j, joiner in enumerate(words):
            if joiner not in _ITEM_JOINERS or j == 0:
                continue
            spans = _joined_items(tokens, words, j, is_thing)
            if len(spans) < 2:
                continue
            start, end = spans[0][0], spans[-1][1]
            return [
                ItemAsked(
                    item=sentence[a:b],
                    question=question.replace(sentence, f"{sentence[:start]}{sentence[a:b]}{sentence[end:]}", 1),
                )
                for a, b in spans
            ]
    return []


def _joined_items(tokens: list[re.Match], words: list[str], joiner: int, is_thing) -> list[tuple[int, int]]:
    """The character spans of the things joined at the joiner: the word after it (past a determiner), the word
    before it, and words before that, each after a comma ("computere, møbler og husleje")."""

    def item(n: int) -> tuple[int, int] | None:
        if n < 0 or n >= len(words) or words[n] == "," or len(words[n]) < ITEM_MIN_CHARS or not is_thing(words[n]):
            return None
        first = n - 1 if n > 0 and words[n - 1] in _ITEM_DETERMINERS else n
        return tokens[first].start(), tokens[n].end()

    after = joiner + 1 + (joiner + 1 < len(words) and words[joiner + 1] in _ITEM_DETERMINERS)
    right = item(after)
    left = item(joiner - 1)
    if right is None or left is None:
        return []
    spans = [left, right]
    n = joiner - 1 - (tokens[joiner - 1].start() != left[0])  # past the left item's determiner
    while len(spans) < MAX_ITEMS and n - 2 >= 0 and words[n - 1] == ",":
        more = item(n - 2)
        if more is None:
            break
        spans.insert(0, more)
        n = n - 2 - (tokens[n - 2].start() != more[0])
    if tokens[n].start() == spans[0][0] and n > 0 and words[n - 1] in _VERB_BEFORE:
        return []  # "må vi købe og leje …": verbs joined, not things
    return spans
