"""The answer pipeline: understand → scope → rules → retrieve → quote → guard → compose.

Each step is a module with one typed input and one typed output; `Pipeline.answer` is the data path.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from wordfreq import zipf_frequency

from assistant.corpus import Corpus
from assistant.corpus.pools import POOL_WORDS, PoolMatcher, PoolSpec
from assistant.danish import fold, split_sentences, stem
from assistant.glossary import document_terms, glossary_words
from assistant.models import Answer, Citation, Fact, Message
from assistant.pipeline import compose
from assistant.pipeline.guard import guard
from assistant.pipeline.quote import QuoteBuilder
from assistant.pipeline.retrieve import Passage, Passages, rare_words, retrieve
from assistant.pipeline.rules import (
    FactAnswer,
    RuleContext,
    RuleResult,
    apply_rules,
    asked_years,
    defined_term,
    named_documents,
    verified_facts,
)
from assistant.pipeline.scope import Scope, resolve_scope
from assistant.pipeline.understand import (
    ItemAsked,
    Query,
    Vocabulary,
    asking_text,
    asks_yes_or_no,
    items_asked,
    named_topic_terms,
    put_as_yes_or_no,
    question_sentences,
    split_parts,
    surface_word,
    understand,
    without_mentions,
)
from assistant.retrieval import COMPOUND_PART_MIN_CHARS, STOPWORDS, HybridRetriever, content_words
from assistant.rules.facts import FactEntry, PoolFacts
from assistant.rules.lexicon import find_terms, load_intents, load_keys, load_lexicon, term_pattern
from assistant.settings import Settings


def _percent_spelled(text: str) -> str:
    """ "30 %" as "30 procent": folding drops the sign, and the unit tells which sentence sets the limit."""
    return re.sub(r"(\d)\s*%", r"\1 procent", text)


def pool_sections(specs: dict[str, PoolSpec], corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Per pool, the folded text (title and body) of each section of its documents."""
    return {
        pool: tuple(
            fold(f"{sec.title} {sec.text}") for d in corpus.documents if d.meta.pool == pool for sec in d.sections
        )
        for pool in specs
    }


def distinctive_name_tokens(specs: dict[str, PoolSpec], pool_words: dict[str, frozenset[str]]) -> dict[str, set[str]]:
    """Per pool, the words of its names (folded, with their stems) that are rare in Danish and that no other
    pool's documents use — "vicevært", "særligsoc", "partnerskab" — so a question using one names the pool."""
    vocab = {pool: words | {stem(w) for w in words} for pool, words in pool_words.items()}
    tokens: dict[str, set[str]] = {}
    for pool, spec in specs.items():
        raw = re.findall(r"[\wæøåÆØÅ]+", " ".join((spec.name, spec.short_name, *spec.names, *spec.english_names)))
        mine = set()
        for word in raw:
            folded = fold(word)
            common = max(zipf_frequency(word.lower(), "da"), zipf_frequency(word.lower(), "en"))
            if len(folded) < 6 or folded.isdigit() or common >= COMMON_WORD_ZIPF:
                continue  # "special", "purpose", "formål": everyone's words
            forms = {folded, stem(folded)}
            if not any(forms & vocab[other] for other in specs if other != pool):
                mine |= forms
        tokens[pool] = mine
    return tokens


def context_facts(ruled, scope: Scope, ctx: RuleContext) -> tuple[FactAnswer, ...]:
    """The verified facts that frame a 'not stated' answer for the one pool asked about (its intent's
    `context_keys`)."""
    if not scope.single or not ruled.intent or scope.single not in ctx.facts:
        return ()
    return tuple(
        FactAnswer(scope.single, entry, ctx.keys[key])
        for key in ruled.intent.context_keys
        for entry in verified_facts(ctx.facts[scope.single], key, ruled.year)[:1]  # the newest round
    )


def background_and_current_words(corpus: Corpus) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the background documents (the 2005 pjece) and those of the pools' current documents."""
    words: dict[bool, set[str]] = {True: set(), False: set()}
    for section in corpus.sections.values():
        words[section.kind == "pjece"] |= set(fold(f"{section.title} {section.text}").split())
    return frozenset(words[True]), frozenset(words[False])


def names_pool_matter(query: Query, background: frozenset[str], current: frozenset[str]) -> bool:
    """The question uses an uncommon word of the pools' current documents that the background never uses, in
    any inflection ("projektperioden", "ansøgningsfristen", "budgetskemaet"): it asks about a pool's rules."""
    for word in rare_words(query):
        root = stem(word)
        if len(root) >= POOL_MATTER_ROOT_CHARS and any(w.startswith(root) for w in current):
            if not any(w.startswith(root) for w in background):
                return True
    return False


def names_background_only(query: Query, background_words: frozenset[str]) -> bool:
    """The question names something only the background tells of: two or more of its words stand only
    there, one of them a name the user wrote with a capital ("Esbjerg", "Ældremobiliseringen") — one such
    word can be a town any applicant lives in, and lower-case ones ("eksempler") are everyday words."""
    only = {w for w in query.topic if w in background_words or stem(w) in background_words}
    first = fold(query.text).split()[:1]
    named = any(surface_word(query.text, w)[:1].isupper() for w in only if [w] != first)
    return len(only) >= 2 and named


def _past_years(query: Query, scope: Scope, doc_years: dict[str, set[str]]) -> str | None:
    """A year before every round the pool's documents cover, named in the question, if any."""
    if not scope.single:
        return None
    known = {int(y) for y in doc_years.get(scope.single, set()) if y.isdigit()}
    for year in asked_years(query):
        if known and int(year) < min(known):
            return year
    return None


_MODALS = {"skal", "vil", "kan", "maa", "at", "skulle", "ville", "kunne", "burde", "boer"}
# Words this common in Danish (wordfreq's Zipf scale) are never the topic a guideline is silent about.
COMMON_WORD_ZIPF = 4.5
# The subjects that stand between a modal and its verb in a question ("skal vi gemme", "kan man søge").
_SUBJECTS = {"vi", "man", "jeg", "i", "de", "du", "han", "hun", "den", "det", "we", "they", "you"}
# A fact question with at most this many topic words of its own is answered by the rules alone.
SPARE_RETRIEVAL_TOPIC_WORDS = 2
# A word this long, shared by a yes and a limit's sentence, names the same thing ("materielanskaffelser").
LIMIT_WORD_CHARS = 8
# How many of a follow-up's best passages may lead instead of the first, where it is about this turn's words.
FOLLOW_UP_CANDIDATES = 3
# A root this long names a thing of its own ("projektperiod"); shorter ones start too many words.
POOL_MATTER_ROOT_CHARS = 7
# A word that this many sections of a pool's documents use, or fewer, names a thing of its own ("kursus").
THING_SECTIONS = 2
# A name word this long starts a compound that names the pool ("vicevært" in "viceværtpengene").
NAME_TOKEN_MIN_CHARS = 8
# A follow-up reading must beat the standalone one by this much cosine to be taken.
FOLLOW_UP_MARGIN = 0.005


# A word that this many of a pool's sections use is a matter of that pool ("gruppeforløb"), not a word in passing.
MATTER_SECTIONS = 2


# A sentence that says what a term is understood as: "Ved ansøgning forstås …", "Landsdækkende forstås som …".
_DEFINED = re.compile(r"^\s*(?:Ved\s+)?(?P<term>[\wæøåÆØÅ -]{3,60}?)\s+(?:forstås|defineres)\b")
# How far down the ranking a defining passage is looked for.
DEFINITION_CANDIDATES = 6


@dataclass
class Pipeline:
    settings: Settings
    corpus: Corpus
    retriever: HybridRetriever
    quoter: QuoteBuilder
    specs: dict[str, PoolSpec]
    facts: dict[str, PoolFacts]

    def __post_init__(self) -> None:
        self.matcher = PoolMatcher(self.specs)
        self.lexicon = load_lexicon()
        self.intents = load_intents()
        self.keys = load_keys()
        years = {
            pool: {str(d.meta.year) for d in self.corpus.documents if d.meta.pool == pool}
            | {f.round for f in self._pool_entries(pool) if f.round}
            for pool in self.specs
        }
        self.rule_ctx = RuleContext(self.facts, self.keys, self.lexicon, years)
        self.names = compose.Names(
            {p: s.short_name for p, s in self.specs.items()},
            frozenset(d.meta.pool for d in self.corpus.documents if d.meta.kind == "vejledning"),
        )
        self.answers = {i.name: {t for k in i.keys for t in self.keys[k].answers} for i in self.intents}

        background, current = background_and_current_words(self.corpus)
        self.background_words = background - current  # the pjece's own places, projects and organisations
        self.current_words, self.pjece_words = current, background
        self.kind_words = tuple(t for terms in self.lexicon.question_types.values() for t in terms)
        self.kind_word_set = frozenset(w for t in self.kind_words for w in fold(t).split())
        self.lookup = compose.CorpusLookup(
            lambda d, s: self.corpus.section(d, s).text,
            self._speaks_of,
            self._sentences_using,
            self._widespread,
            lambda d: self.corpus.by_id[d].meta,
            lambda pool: [d.meta.doc_id for d in self.corpus.documents if pool and d.meta.pool == pool],
            self._quotable_sentences,
            self._limits_about,
            self._applicants,
            self._facts_stated_in,
            self.retriever.joined_verbs,
            self.lexicon.applicant_kinds,
            self.lexicon.people,
            self.lexicon.person_groups,
            self.retriever.compound_head,
        )
        sections = pool_sections(self.specs, self.corpus)
        self.pool_texts = {pool: " ".join(texts) for pool, texts in sections.items()}
        self.pool_words = {pool: frozenset(text.split()) for pool, text in self.pool_texts.items()}
        self._section_words = {pool: [frozenset(t.split()) for t in texts] for pool, texts in sections.items()}
        self._widespread_cache: dict[tuple[str, str], bool] = {}
        self.name_tokens = distinctive_name_tokens(self.specs, self.pool_words)
        lexicon_words = {
            w
            for terms in (*self.lexicon.question_types.values(), *((*i.topic, *i.topic_still) for i in self.intents))
            for t in terms
            for w in fold(t).split()
        }
        self.vocabulary = Vocabulary.of(
            set().union(*self.pool_words.values()) | lexicon_words,
            (
                text
                for d in self.corpus.documents
                for sec in d.sections
                for text in (sec.title, *sec.paragraphs, *(i.text for i in sec.items))
            ),
        )
        self._doc_sentences: dict[str, list[tuple[str, str, str]]] = {}
        self._doc_quotes: dict[str, list[Citation]] = {}

    def threshold(self, query: Query) -> float:
        return self.settings.abstain_threshold_english if query.english else self.settings.abstain_threshold

    def _support(self, standalone: str, combined: str) -> float:
        """How much better the combined reading of a turn is found than the standalone one (top cosine)."""

        def top(text: str) -> float:
            hits = self.retriever.search(text, limit=3)
            return max((h.dense or 0.0) for h in hits) if hits else 0.0

        return top(combined) - top(standalone) - FOLLOW_UP_MARGIN

    def answer(
        self,
        question: str,
        chosen_pool: str | None,
        history: list[Message],
        now: datetime,
        notes: tuple[str, ...] = (),
        on_lead: Callable[[str], None] | None = None,
    ) -> Answer:
        """`on_lead`, if given, is called once with the text the answer will start with, as soon as that is known
        before the answer is done (a fact answer's direct line, before retrieval); the guard still checks only the
        finished answer, so a caller that streams the lead must compare it with what is returned."""
        parts = split_parts(question, self.lexicon)
        if len(parts) == 1:
            ask = functools.partial(self._answer_one, chosen_pool=chosen_pool, history=history, now=now, notes=notes)
            answer, query = ask(question, on_lead=on_lead)
            return compose.unsaid_quotes([self._thing_by_thing(question, answer, query, ask)])[0]
        # Several questions in one message ("Hvad er max beløb? Og hvor mange projekter …?"): each is answered
        # on its own, a later one reading the earlier one, as understood (its pool, its topic, and the turn
        # before it when it leaned on one: "Hvem skal underskrive den, og hvornår …?"), as the turn before it.
        answers = []
        before = history
        pool = chosen_pool
        named = list(dict.fromkeys(self.matcher.pools(question))) if pool is None else []
        if len(named) == 1 and not self.matcher.pools(parts[0]):
            # "Hvilken årsnorm skal vi bruge …, og kan hendes pension komme med i særligsoc-budgettet?": the one pool
            # the message names, in a later part, is what the earlier parts ask of too.
            pool = named[0]
        unknown = False
        years: tuple[str, ...] = ()
        for n, part in enumerate(parts):
            ask = functools.partial(
                self._answer_one,
                chosen_pool=pool,
                history=before,
                now=now,
                notes=notes if n == 0 else (),
                later_part=n > 0,
                message_years=years,
            )
            answer, query = ask(part, on_lead=on_lead if n == 0 else None)
            answer = self._thing_by_thing(part, answer, query, ask)
            years = tuple(asked_years(query))
            if unknown and not query.named_pools:
                # "Kan vi søge §115-støtte gennem jer, og hvornår er fristen?": the later part asks of the pool we
                # do not have, which the earlier answer said we cannot answer for; other pools' deadlines are no
                # answer to it.
                continue
            unknown = unknown or bool(query.unknown_pool and not query.named_pools)
            answers.append(answer)
            if query.named_pools and answer.pool:
                # "Hvor mange penge er der i viceværtpuljen, og i hvilken periode skal de bruges?" on SærligSoc's page:
                # the pool the message names is the later parts' pool, not the page's.
                pool = answer.pool
            # The pool the earlier part was answered for (also one only implied: "partnerskabet") is the
            # conversation's pool for the later part, as if the assistant had just answered it.
            said = [Message(role="assistant", content=self.names.of(answer.pool))] if answer.pool else []
            before = [*history, Message(role="user", content=query.search_text), *said]
        return compose.merge_answers(question, answers)

    def _thing_by_thing(self, question: str, answer: Answer, query: Query, ask: Callable) -> Answer:
        """The answer to one question of a message — or, where it is a yes/no question about several things at once
        ("Må vi købe gavekort og tegneblokke?", "kan hendes pension samt en bonus komme med?") that different sentences
        decide, the answer thing by thing: one thing's no (or yes) is not the other's. `ask` answers a question in
        the same setting (pool, history, part of the message)."""
        # (Only a question put as yes or no: "Hvad skal vi beskrive om organisering og opgavefordeling?" asks for one
        # passage that tells of both.)
        yes_or_no = not set(query.types) - {"may", "yesno"} and (query.types or put_as_yes_or_no(question))
        # (Danish only: Danish writes a thing as one word, where English joins two — "gift cards and crayons".)
        if not yes_or_no or query.english or answer.abstained or answer.clarification:
            return answer
        items = items_asked(question, lambda w: self._names_thing(w, query))
        if not items:
            return answer
        said = fold(answer.answer).split()
        verdict = answer.answer.startswith(("Ja", "Nej"))
        if not verdict and all(self._names_item(item, said, answer.pool) for item in items):
            # The answer speaks of each thing ("pension, ATP samt …") and says no yes or no that might be one thing's
            # only: nothing is left unsaid.
            return answer
        each = [(item, ask(item.question, on_lead=None)[0]) for item in items]
        # A thing the documents never name is answered so ("oplyser ikke noget om tegneblokke"), as its own.
        found = [a for _, a in each if _first_quote(a)]
        # (One that finds nothing at all is left out of a merged answer: the thing would go unanswered.)
        lost = any(a.answer.startswith(compose.ABSTAIN_MESSAGE) for _, a in each)
        if lost or any(a.clarification or (a.abstained and a.citations) for _, a in each) or not found:
            return answer
        # One sentence decides them all ("… integration, uddannelse, beskæftigelse …"): the answer to the whole
        # question says it.
        first = set(compose.quoted_sentences(_first_quote(found[0])))
        if len(found) == len(each) and all(set(compose.quoted_sentences(_first_quote(a))) & first for a in found):
            return answer
        return compose.merge_answers(question, [_about_item(item, a) for item, a in each])

    def _names_item(self, item: ItemAsked, said: list[str], pool: str | None) -> bool:
        """The words said name the thing, in any inflection or as the documents' word for it ("møbler" → "inventar"),
        one that does not stand all over the pool's documents ("aktivitet")."""
        word = fold(item.item).split()[-1]
        terms = [word, *(t for t in fold(document_terms(word)).split() if not self._widespread(pool, t))]
        return any(u.startswith(compose.long_prefix(t)) for t in terms if len(t) >= 3 for u in said)

    def _names_thing(self, word: str, query: Query) -> bool:
        """A word that can name a thing asked about: not a function word, a figure, or a pool's name."""
        tokens = {t for m in query.mentions for t in self.name_tokens.get(m.pool, ())}
        return (
            word not in STOPWORDS and not word.isdigit() and not any(word.startswith(t) for t in (*tokens, *POOL_WORDS))
        )

    def _answer_one(
        self,
        question: str,
        chosen_pool: str | None,
        history: list[Message],
        now: datetime,
        notes: tuple[str, ...],
        on_lead: Callable[[str], None] | None,
        later_part: bool = False,
        message_years: tuple[str, ...] = (),
    ) -> tuple[Answer, Query]:
        query = understand(
            question,
            chosen_pool,
            history,
            now,
            matcher=self.matcher,
            lexicon=self.lexicon,
            intents=self.intents,
            support=self._support,
            notes=notes,
            answers=self.answers,
            vocabulary=self.vocabulary,
            later_part=later_part,
        )
        if message_years:
            query = dataclasses.replace(query, message_years=message_years)
        if not query.wants_background and names_background_only(query, self.background_words):
            # "partnerskabet i Esbjerg om udsatte grønlændere": only the 2005 pjece tells of it.
            query = dataclasses.replace(query, wants_background=True)
        elif not query.wants_background and names_pool_matter(query, self.pjece_words, self.current_words):
            query = dataclasses.replace(query, about_pools=True)
        scope = resolve_scope(query, self.names.short)
        # No full name, but a word of one pool's name that no other pool's documents use ("viceværterne"), or a
        # compound that starts with one and that no other pool's documents use either ("viceværtpengene").
        implied = (
            set()
            if scope.named_in_question or scope.out_of_scope or scope.unknown_pool
            else {
                pool
                for w in query.topic
                for pool, tokens in self.name_tokens.items()
                if w in tokens
                or stem(w) in tokens
                or (
                    any(w.startswith(t) for t in tokens if len(t) >= NAME_TOKEN_MIN_CHARS)
                    and not any(self._speaks_of(other, w) for other in self.specs if other != pool)
                )
            }
        )
        if query.follow_up and len(implied) == 1 and not set(scope.pools) & implied:
            # "Og for viceværterne?" after a SærligSoc question: the pool this turn names by its own word replaces
            # the conversation's, as a full name would.
            scope = dataclasses.replace(scope, pools=(next(iter(implied)),))
        if not scope.pools and not (scope.out_of_scope or scope.unknown_pool):
            if len(implied) == 1:
                scope = dataclasses.replace(scope, pools=(implied.pop(),))
            elif (
                not implied
                and (query.intents or query.asks_funding or query.reads_setting)
                and (only := self._pool_of_own_words(query))
            ):
                # "Hvor lang tid må et projekt med gruppeforløb vare?": an uncommon word only one pool's documents
                # use names that pool's matter; another pool's rule (its period, its deadline) is no answer to it.
                # So for money asked of ("… gruppeforløb … et gavekort. Må vi skrive det ind i budgettet?"): the
                # pool whose matter the message tells is the one whose costs answer.
                # (For the rules' facts: passages found are sorted by pool in composing, by the same words.)
                scope = dataclasses.replace(scope, pools=(only,))
            elif (
                not implied
                and (query.asks_funding or query.about_pools or query.intents or {"may", "yesno"} & set(query.types))
                and (open_to := self._pools_open_to_asker(query))
                and len(open_to) < len(self.specs)
            ):
                # "Vi er en kommune – kan vi få dækket moms?": only the pools open to a kind of the asker's group
                # concern them; the others' rules are not theirs. (Where it asks what they may do or get, or about
                # the pools: "Hvad får vi som forening ud af at samarbejde med kommunen?" is the 2005 pjece's.)
                scope = dataclasses.replace(scope, pools=open_to)
        if scope.note:
            query = dataclasses.replace(query, notes=(*query.notes, scope.note))
        answer, derived = self._compose(query, scope, on_lead)
        if not later_part:
            # (A later part of the same message asks something else — "…, og hvad skal kommunen have styr på?" —
            # and the earlier part's answer has already said the asker cannot apply.)
            answer = self._asker_outside(query, scope, answer)
            answer = self._denied_for_asker(query, scope, answer)
        return guard(answer, self.corpus, derived, list(self.names.short.values())), query

    def _compose(self, query: Query, scope: Scope, on_lead=None) -> tuple[Answer, list[str]]:
        if scope.out_of_scope:
            return compose.compose_out_of_scope(query, scope, self.lexicon), []
        if scope.unknown_pool:
            return compose.compose_unknown_pool(query, scope), []
        ruled = apply_rules(query, scope, self.rule_ctx)
        if not scope.pools and ruled.facts and ruled.missing:
            # "Tæller boliger til 5.500 kr. som egnede boliger?": where one pool alone states the fact, a pool whose
            # documents never use an uncommon word of the question that the answering pool's documents use
            # ("familieboliger") is not silent on the question, it is not about it; it is left out rather than
            # listed as "oplyser ikke". A fact several pools state ("loftet for materiel") is a rule any pool
            # may set: the others stay listed.
            stating = {f.pool for f in ruled.facts}
            single = len(stating) == 1
            theirs = [w for w in rare_words(query) if any(self._speaks_of(p, w) for p in stating)]
            # The fact's own topic term, as a phrase, counts too: "sign on fee" stands in no other pool's text.
            topic = (*ruled.intent.topic, *ruled.intent.topic_still)
            named = [m.group(0) for m in term_pattern(topic, inside_words=True).finditer(query.folded)]
            phrases = [t for t in named if any(self._uses_phrase(p, t) for p in stating)]
            about = [
                p
                for p in ruled.missing
                if not single
                or (all(self._speaks_of(p, w) for w in theirs) and all(self._uses_phrase(p, t) for t in phrases))
            ]
            ruled = dataclasses.replace(ruled, missing=tuple(about))
        derived = [d for c in ruled.calculations for d in c.derived] + [
            f.entry.round for f in ruled.facts if f.entry.round
        ]
        derived += asked_years(query)  # "sidste år" said as the year it is (from `now`): "… for 2024"
        if query.english:
            # The same sourced value, said in English ("DKK 14.6 million", "26 June 2025 at 23:59").
            derived += [compose.english_value(f.entry) for f in ruled.facts]
        spare = ruled.answered and len(query.topic) <= SPARE_RETRIEVAL_TOPIC_WORDS
        # The rules answer a short fact question whole: no passage could add to it, so nothing is embedded.
        found = None if spare else retrieve(query, scope, self.retriever)
        if found is not None and query.follow_up:
            found = self._own_turn_first(query, found)
        if found is not None and "define" in query.types:
            found = self._definition_first(query, found)
        # An FAQ that was asked this very question answers it, rather than a fact whose intent a phrase of it
        # matched ("Kan vi *stadig søge* …, hvis vi allerede samarbejder med kommunen?" is no deadline question).
        restated = bool(found and found.ranked and found.ranked[0].restated)
        if restated and ruled.answered:
            best = found.ranked[0].chunk
            if not any((f.entry.doc_id, f.entry.section) == (best.doc_id, best.section) for f in ruled.facts):
                ruled = dataclasses.replace(ruled, facts=(), missing=(), calculations=())
        if (
            on_lead is not None
            and ruled.answered
            and not self._asker_outside_line(query, scope)  # that no will lead instead
            and (lead := compose.fact_lead(query, scope, ruled, self.names, self.lexicon.applicant_kinds))
        ):
            # Known now (before any embedding, where the rules answer a short question whole); quoting follows.
            on_lead(lead)
        passages = None if found is None else self.quote(query, found)
        if ruled.answered:
            answer = compose.compose_facts(
                query,
                scope,
                ruled,
                passages,
                self.names,
                self.corpus.citation_label,
                lambda d, s: self.corpus.section(d, s).title,
                self.threshold(query),
                self.lexicon.applicant_kinds,
                self.lookup.section_text,
            )
            return self._other_routes(answer, ruled), derived
        if ruled.intent and ruled.missing and (not scope.pools or scope.single in ruled.missing) and not restated:
            # (An FAQ that was asked this very question answers it, though the rules' fact for it is missing.)
            what = ruled.missing_what + (f" for {ruled.year}" if ruled.year else "")
            context = tuple(
                (fa, compose.fact_citation(fa, self.corpus.citation_label(d, s), self.corpus.section(d, s).title))
                for fa in context_facts(ruled, scope, self.rule_ctx)
                for d, s in [(fa.entry.doc_id, fa.entry.section)]
            )
            return compose.compose_not_stated(
                query, scope, what, passages, self.names, self.threshold(query), self.lookup, context
            ), [
                *derived,
                *(fa.entry.round for fa, _ in context if fa.entry.round),  # "(runden 2024)" is sourced
                *(compose.english_value(fa.entry) for fa, _ in context if query.english),
            ]
        past = _past_years(query, scope, self.rule_ctx.doc_years)
        if past and scope.single and not ruled.intent:
            # "Hvad var temaet i 2024?" of a 2025 vejledning: an earlier round is not in the documents.
            return compose.compose_not_stated(
                query, scope, f"noget om {past}", passages, self.names, self.threshold(query), self.lookup
            ), derived
        unknown = [] if query.english else self.unknown_terms(query)
        unnamed = " eller ".join(surface_word(query.text, w) for w in unknown[:2])
        if unknown and scope.pools and not self._answered_beside(query, scope, passages, unknown):
            # A thing the guidelines never name (in any inflection or everyday synonym): they are silent about
            # it, however close a passage about its neighbours comes; that passage is shown as the nearest.
            # The user's own word, without «»: those marks promise text that stands in the guideline.
            return compose.compose_not_stated(
                query, scope, f"noget om {unnamed}", passages, self.names, self.threshold(query), self.lookup
            ), derived
        answer = compose.compose_passages(
            query,
            scope,
            passages,
            self.names,
            self.threshold(query),
            self.lookup,
            tuple(dict.fromkeys(w for w in (ruled.blocked_by, *named_documents(query, self.lexicon)) if w)),
        )
        # A fact that reads the quote leads with its round ("(2024 round)") and, in English, English figures
        # ("DKK 30,000"): the same sourced value.
        entries = self._entries_of(answer.facts)
        derived += [entry.round for entry in entries if entry.round]
        if query.english:
            # (The English note's figures are curated and checked against the fact's sentence, as its value is.)
            derived += [compose.english_value(entry) for entry in entries]
            derived += [entry.note_en for entry in entries if entry.note_en]
        if unknown and scope.pools and not answer.abstained:
            # The rule on the thing asked about is the answer; the detail beside it ("broafgift", "fx i
            # konfliktløsning") the guideline does not name, and that is said.
            note = f"Bemærk: {self.names.source(scope.single)} nævner ikke {unnamed} særskilt."
            answer = answer.model_copy(update={"answer": f"{answer.answer}\n\n{note}"})
        return answer, derived

    def _other_routes(self, answer: Answer, ruled: RuleResult) -> Answer:
        """Where the asker falls short of one defined way to qualify ("Landsdækkende forstås som …"), the other
        ways the same section defines ("Landsdækkende sigte forstås som …") follow, quoted: they decide the
        case."""
        judged = next((c for c in ruled.calculations if c.defines), None)
        fa = next((f for f in ruled.facts if judged and f.key.key == judged.key), None)
        if fa is None:
            return answer
        doc_id, section = fa.entry.doc_id, fa.entry.section
        others = [
            s.text
            for s in self.retriever.sentences(doc_id, section)
            if s.quotable and (term := defined_term(s.text)) and term != judged.defines
        ]
        if not others:
            return answer
        label = self.corpus.citation_label(doc_id, section)
        title = self.corpus.section(doc_id, section).title
        routes = [
            Citation(doc_id=doc_id, section=section, title=title, quote=t, score=0.0, label=label) for t in others[:2]
        ]
        # The judged way's own sentence is said in the lead ("… ikke landsdækkende … (mindst tre …)"): the other
        # ways take its place, so the answer keeps to three quotes.
        judged_line = compose.quote_line(compose.fact_citation(fa, label, title))
        kept = [p for p in answer.answer.split("\n\n") if p != judged_line]
        text = "\n\n".join([*kept, *(compose.quote_line(c) for c in routes)])
        return answer.model_copy(update={"answer": text, "citations": [*answer.citations, *routes]})

    def _asker_outside(self, query: Query, scope: Scope, answer: Answer) -> Answer:
        """Where the asker is of a kind the pool's applicants are not (see compose.asker_outside), that no and
        the sentence it rests on are the answer: the detail asked about is moot for them, and shown beside it
        ("… kvittering, hvis … modtager ansøgningen med post") it reads as applying to them. The detail's
        sources stay among the citations."""
        if answer.clarification or not (line := self._asker_outside_line(query, scope)) or line in answer.answer:
            return answer
        fa, citation = self._applicants(scope.single)
        if (
            {"may", "yesno"} & set(query.types)
            and not query.asks_funding
            and not answer.abstained
            and line.startswith(("Nej –", "No –"))
        ):
            # "Vi er en kommune … Er det et krav, at man mobiliserer 30 foreninger?": a yes/no question about
            # something else than applying is answered, and "Nej – … kan I ikke søge" before it would read as the
            # answer to it; that the asker cannot apply follows, as a note.
            note = self._asker_outside_line(query, scope, as_note=True)
            return answer.model_copy(
                update={
                    "answer": f"{answer.answer}\n\n{note}",
                    "facts": [*answer.facts, compose.to_fact(fa)],
                    "citations": [*answer.citations, citation][: max(3, len(answer.citations))],
                }
            )
        return answer.model_copy(
            update={
                "answer": compose.with_notes(query, f"{line}\n\n{compose.quote_line(citation)}"),
                "facts": [compose.to_fact(fa), *answer.facts],
                "citations": [citation, *answer.citations][: max(3, len(answer.citations))],
                "abstained": False,  # the applicant list is from the sources
            }
        )

    def _denied_for_asker(self, query: Query, scope: Scope, answer: Answer) -> Answer:
        """Where a yes/no question's message tells of a case one of the pool's rules denies support to ("… hvor
        hovedmålet er, at de kommer i job …. Passer det ind i puljen?"), or tells it lacks what the pool requires of
        applicants ("… ikke en egentlig udlejningsaftale. Kan vi søge alligevel?"), that no and its sentence lead,
        wherever the search went: the rule decides the case. The answer found for the question follows as context."""
        asks = compose.asks_only_yes_or_no(query) or (not query.types and asks_yes_or_no(query.text))
        # (A yes drawn from the passages found gives way: the rule that decides the told case is not among them.)
        if not asks or not scope.single or answer.clarification or answer.answer.startswith(("Nej", "No")):
            return answer
        candidates = [c for d in self.lookup.documents_of(scope.single) for c in self._quotable_sentences(d)]
        rule = compose.told_denial(query, candidates)
        kind = "denied"
        if rule is None and (lacking := compose.lacked_requirement(query, candidates, self.lookup)):
            rule, kind = lacking[0], "lacking"
        elif rule is None and (required := compose.asked_requirement(query, candidates, self.lookup)):
            if answer.answer.startswith(("Ja", "Yes")) and any(c.quote in answer.answer for c in required):
                return answer  # a yes that quotes the requirement already is that answer
            # "Skal vi have udlejningsaftaler, før vi søger?": the requirement is the yes.
            rule, kind = required[0], "required"
        excluded = None
        if rule is None and not answer.answer.startswith(("Delvist", "Partly")):
            # "… vil vi give hver deltager et biografgavekort på 200 kr. Må det stå i budgettet?": the thing the
            # message asks of stands in an item of what the grant does not cover, however many other words of a
            # long message pulled the search elsewhere.
            words = compose.excluded_words(query, self.lookup)
            excluded = next(
                ((v, c) for c in candidates if (v := compose.excluded_verdict(query, c, self.lookup, words))),
                None,
            )
            rule = excluded[1] if excluded else None
        if rule is None:
            return answer
        lead = excluded[0] if excluded else _RULE_LEADS[kind][query.english]
        paragraphs = answer.answer.split("\n\n")
        shown = next((p for p in paragraphs if p.startswith("«") and rule.quote in p), None)
        if shown is None:
            # Quoted as any sentence is, with the sentences that complete it ("Disse elementer kan dog indgå
            # sekundært …").
            vector = self.retriever.embed_question(rule.quote)
            rule = self.quoter.quote(rule.doc_id, rule.section, fold(rule.quote), vector, query.types) or rule
            shown = compose.quote_line(rule)
        # One quote found for the question follows (not a fact line: it answered another reading of the question).
        # (Beside an excluded item, nothing: the item is the whole answer, and a quote on the setting's other words
        # would read as qualifying it.)
        found = [] if excluded else [p for p in paragraphs if p.startswith("«") and p != shown][:1]
        note = [compose.ENGLISH_NOTE] if query.english else []
        return answer.model_copy(
            update={
                "answer": "\n\n".join([*query.notes, lead, *note, shown, *found]),
                "citations": [rule, *(c for c in answer.citations if c != rule)][: max(3, len(answer.citations))],
                "facts": [],
                "abstained": False,
            }
        )

    def _asker_outside_line(self, query: Query, scope: Scope, as_note: bool = False) -> str | None:
        """The no that leads where the asker is of a kind the one pool in scope is not open to, if they are (as a
        note, with `as_note`)."""
        found = self._applicants(scope.single) if scope.single else None
        kinds = self.lexicon.applicant_kinds
        return compose.asker_outside(query, found[0], kinds, self.names, as_note) if found else None

    def _pools_open_to_asker(self, query: Query) -> tuple[str, ...]:
        """The pools whose verified applicant list names a kind of the group the asker says they are of
        ("Vi er en kommune"), where the asker says so; () where they do not, or no list says."""
        kinds = self.lexicon.applicant_kinds
        described = compose.self_described(query, kinds)
        if described is None:
            return ()
        group = kinds[described[0]].group
        open_to = []
        for pool in self.specs:
            found = self._applicants(pool)
            if found is None:
                return ()  # a pool whose list is unknown may be open to them too
            listed = compose.kinds_named(fold(found[0].entry.quote), kinds)
            if group in {kinds[k].group for k in listed}:
                open_to.append(pool)
        return tuple(open_to)

    def _pool_entries(self, pool: str | None) -> tuple[FactEntry, ...]:
        """The pool's curated fact entries (none for the 2005 pjece, which is no pool)."""
        return tuple(self.facts[pool].facts) if pool in self.facts else ()

    def _entries_of(self, facts: list[Fact]) -> list[FactEntry]:
        """The curated entries behind an answer's facts."""
        return [
            entry
            for fact in facts
            for pool in [self.corpus.by_id[fact.doc_id].meta.pool]
            for entry in self._pool_entries(pool)
            if (entry.key, entry.doc_id, entry.quote) == (fact.key, fact.doc_id, fact.quote)
        ]

    def _facts_stated_in(self, citation: Citation) -> list[FactAnswer]:
        """The verified facts whose own sentence stands in a quote, in the order the quote says them: the
        curated, sourced reading of that sentence ("30.000 kr. … i hele projektperioden" is the sign-on fee's cap,
        a one-off sum)."""
        pool = self.corpus.by_id[citation.doc_id].meta.pool
        quoted = " ".join(citation.quote.split())
        found = [
            (quoted.find(said), FactAnswer(pool, entry, self.keys[entry.key]))
            for entry in self._pool_entries(pool)
            if entry.status == "verified"
            and (entry.doc_id, entry.section) == (citation.doc_id, citation.section)
            and (said := " ".join(entry.quote.split())) in quoted
        ]
        return [fa for _, fa in sorted(found, key=lambda pair: pair[0])]

    def _applicants(self, pool: str | None) -> tuple[FactAnswer, Citation] | None:
        """The pool's verified list of who may apply (the newest round's), if its facts have one, and its citation."""
        for key in (k for k, spec in self.keys.items() if spec.lists_applicants):
            for entry in verified_facts(self.facts[pool], key, None)[:1] if pool in self.facts else ():
                fa = FactAnswer(pool, entry, self.keys[key])
                label = self.corpus.citation_label(entry.doc_id, entry.section)
                return fa, compose.fact_citation(fa, label, self.corpus.section(entry.doc_id, entry.section).title)
        return None

    def _pool_of_own_words(self, query: Query) -> str | None:
        """The one pool whose documents use every uncommon word of the asking sentences that some pool's documents
        use and some do not ("gruppeforløb", "udlejningsaftale", "sign on fee"), if exactly one does. A word counts
        only where it is a matter of the pool: several of its sections use it, not one in passing."""
        asked = set(fold(question_sentences(query.text)).split())
        pools = set(self.specs)
        for word in rare_words(query):
            if not query.english and word not in asked and not query.reads_setting:
                # The setting told before the question says who asks, not what about — unless the asking sentence
                # leans on it ("… et gavekort på 200 kr. Må vi skrive det ind i budgettet?").
                continue
            speaking = {p for p in self.specs if self._speaks_of(p, word)}
            if speaking and speaking != set(self.specs):
                if len(speaking) == 1 and self._sections_using(tuple(speaking), word) < MATTER_SECTIONS:
                    continue
                pools &= speaking
        # A fact's own name, as a phrase of short words no rare word stands for ("sign on fee"), counts too.
        for term in named_topic_terms(query):
            speaking = {p for p in self.specs if self._uses_phrase(p, term)}
            if speaking and speaking != set(self.specs):
                pools &= speaking
        return next(iter(pools)) if len(pools) == 1 else None

    def _answered_beside(self, query: Query, scope: Scope, passages: Passages, unknown: list[str]) -> bool:
        """A question with a word the guidelines never use is still answered where a passage found for it uses
        another of its uncommon words, one that names a thing of its own (not the pool; a word few sections of
        the pool's documents use, not "tilskuddet" or "deltagerne"): "kørsel i egen bil og broafgift", "kursus, fx i konfliktløsning", "en
        konsulent udefra" ask about transport, courses, consultants, with a detail the guideline does not name."""
        if passages.relevance < self.threshold(query) or not passages.quotes:
            return False
        tokens = {t for p in scope.pools for t in self.name_tokens.get(p, ())}
        # An unnamed compound is a kind of its last part, where the documents name that ("biografgavekort" is a
        # gift card): the rule on the part answers, and the compound is said to be unnamed.
        heads = [h for w in unknown if (h := self.retriever.compound_head(w))]
        known = [
            w
            for w in (*rare_words(query), *heads)
            if w not in unknown
            and not any(w.startswith(t) for t in (*tokens, *POOL_WORDS))
            and self._sections_using(scope.pools, w) <= THING_SECTIONS
        ]
        # Each as written or as the documents' word it stands for ("kørsel" → "transport").
        words = {*known, *(fold(t) for w in known for t in document_terms(w).split())}
        words |= set(self.retriever.joined_verbs(question_sentences(query.text)).split())  # "bygge … om": "ombygning"
        quoted = {u for c in passages.quotes[:2] for u in fold(c.quote).split()}
        # (Also as the last part of a compound: "rapportering" in "afrapportering".)
        prefixes = [compose.long_prefix(w) for w in words]
        return any(u.startswith(p) or (len(p) >= COMPOUND_PART_MIN_CHARS and p in u) for p in prefixes for u in quoted)

    def _sections_using(self, pools: tuple[str, ...], word: str) -> int:
        """How many sections of the pools' documents use words of the word's start."""
        prefix = compose.long_prefix(word)
        return sum(any(w.startswith(prefix) for w in words) for p in pools for words in self._section_words.get(p, []))

    def _sentences_using(self, doc_id: str, word: str) -> list[tuple[str, str]]:
        """(section, sentence) of the document's sentences that use the word, in any inflection. A document's
        sentences are split and folded once, the first time a verdict asks for them."""
        if doc_id not in self._doc_sentences:
            self._doc_sentences[doc_id] = [
                (s, sentence, fold(sentence))
                for (d, s), sec in self.corpus.sections.items()
                if d == doc_id
                for sentence in split_sentences(sec.text)
            ]
        root = stem(word)
        return [(s, sentence) for s, sentence, folded in self._doc_sentences[doc_id] if root in folded]

    def _uses_phrase(self, pool: str, phrase: str) -> bool:
        """The pool's documents use the folded phrase, at the start of a word."""
        return bool(term_pattern([phrase], inside_words=True).search(self.pool_texts[pool]))

    def _widespread(self, pool: str | None, word: str) -> bool:
        """Words of this word's start stand in many sections of the pool's documents ("ansøgning", "kommune" in
        a guideline for municipalities): sharing it says nothing of what a passage is about."""
        key = (pool or "", word)
        if key not in self._widespread_cache:
            prefix = compose.shared_root(word)
            sections = self._section_words.get(pool or "", [])
            using = sum(any(w.startswith(prefix) for w in words) for words in sections)
            self._widespread_cache[key] = bool(sections) and using >= compose.WIDESPREAD_SHARE * len(sections)
        return self._widespread_cache[key]

    def _limits_about(self, pool: str | None, text: str) -> list[tuple[FactAnswer, Citation]]:
        """The pool's verified limits (an amount or a percentage, for no particular round) whose sentence names a
        thing the text names: a long word of its own, not one standing all over the pool's documents
        ("materielanskaffelser" in both "Der kan ydes tilskud til nødvendige materielanskaffelser …" and
        "Udgifter til mindre materielanskaffelser indtil 50.000 kr. pr. projektår")."""
        if not pool:
            return []
        spec = self.specs[pool]
        own_name = {w[:LIMIT_WORD_CHARS] for n in (spec.name, spec.short_name, *spec.names) for w in fold(n).split()}
        named = {
            w[:LIMIT_WORD_CHARS]
            for w in fold(text).split()
            if len(w) >= LIMIT_WORD_CHARS and not self._widespread(pool, w) and w[:LIMIT_WORD_CHARS] not in own_name
        }
        found = []
        for entry in self._pool_entries(pool):
            key = self.keys[entry.key]
            if entry.status != "verified" or entry.round or key.kind not in ("amount", "percent"):
                continue
            if any(w[:LIMIT_WORD_CHARS] in named for w in fold(entry.quote).split() if len(w) >= LIMIT_WORD_CHARS):
                fa = FactAnswer(pool, entry, key)
                label = self.corpus.citation_label(entry.doc_id, entry.section)
                found.append(
                    (fa, compose.fact_citation(fa, label, self.corpus.section(entry.doc_id, entry.section).title))
                )
        return found

    def _quotable_sentences(self, doc_id: str) -> list[Citation]:
        """Each sentence of a document's quotable text (an FAQ's answers, not its questions) as a quote of its
        own, labelled with the list item it stands in. Split once per document."""
        if doc_id not in self._doc_quotes:
            self._doc_quotes[doc_id] = [
                Citation(
                    doc_id=doc_id,
                    section=sec.section,
                    title=sec.title,
                    quote=sentence,
                    score=0.0,
                    item=unit.item,
                    label=self.corpus.citation_label(doc_id, sec.section, unit.item),
                )
                for sec in self.corpus.document(doc_id).sections
                for unit in self.quoter.units(doc_id, sec.section)
                if unit.quotable
                for sentence in split_sentences(unit.text)
            ]
        return self._doc_quotes[doc_id]

    def _speaks_of(self, pool: str, word: str) -> bool:
        """The pool's documents use the word, in any inflection."""
        root = stem(word)
        return any(w.startswith(root) for w in self.pool_words.get(pool, ()))

    def unknown_terms(self, query: Query) -> list[str]:
        """The question's topic nouns that the guidelines never use, in any inflection or everyday synonym.

        Infinitives after a modal ("vi vil *ringe*") name an action, not a topic, and are left out.
        """
        words = query.folded.split()
        # The verb after the modal, also past its subject: "vi vil *ringe*", "skal vi *gemme*".
        after_modal = {
            words[j]
            for i, w in enumerate(words[:-1])
            if w in _MODALS
            for j in (i + 1, i + 2)
            if j < len(words) and (j == i + 1 or words[i + 1] in _SUBJECTS)
        }
        # What the question asks about, not the setting told around it ("Tilskudsportalen drillede i går …").
        asked = set(fold(question_sentences(query.text)).split())
        covered = glossary_words(query.text)  # "ordningen" in "formålet med ordningen" stands for a document term
        out = []
        # A word that says what kind of answer is wanted ("mailadressen", "telefonnummeret") is no topic.
        for word in (w for w in query.topic if w in asked and not find_terms(self.kind_words, w)):
            if len(word) < 5 or word.isdigit() or word in after_modal or word in covered or document_terms(word):
                continue
            # As the user wrote it: a folded word ("foregaar") is no Danish word at all to wordfreq.
            if zipf_frequency(surface_word(query.text, word).lower(), "da") >= COMMON_WORD_ZIPF:
                continue  # an everyday word ("virkelig", "bagefter") says how, not what
            if not self.retriever.known_word(word) and not self.retriever.known_word(stem(word)):
                out.append(word)
        return out

    def _own_topic(self, folded: str, query: Query) -> list[str]:
        """The folded text's topic words, leaving out the pools' names, the words that say what is asked and
        everyday words ("søge", "alligevel")."""
        named = {t for m in query.mentions for t in (*m.text.split(), *self.name_tokens.get(m.pool, ()))}
        return [
            w
            for w in content_words(folded)
            if w not in named
            and stem(w) not in named
            and w not in self.kind_word_set
            and zipf_frequency(surface_word(query.text, w).lower(), "da") < COMMON_WORD_ZIPF
        ]

    def _own_turn_first(self, query: Query, found: Passages) -> Passages:
        """A follow-up is searched together with the turn before it, so the passage on the previous question
        tends to lead ("Er sign-on fee et årligt beløb?" → "Kan virksomhederne også få det?"). Where the best
        passage uses none of the words this turn adds (beyond those all over the pool's documents) and one of
        the next few does, that one leads: it is about what is asked now."""
        before = set(fold(query.previous or "").split())
        if len(found.ranked) < 2:
            return found
        pool = found.ranked[0].chunk.pool
        # An English turn's words count through the Danish terms they stand for ("companies" → "virksomheder").
        terms = fold(document_terms(question_sentences(query.text))).split()
        new = [
            w
            for w in dict.fromkeys([*query.topic, *terms])
            if len(w) >= 5 and w not in before and not self._widespread(pool, w)
        ]

        def uses(passage: Passage) -> bool:
            words = fold(passage.chunk.text).split()
            return any(u.startswith(compose.long_prefix(w)) for w in new for u in words)

        if not new or uses(found.ranked[0]):
            return found
        for i, passage in enumerate(found.ranked[1:FOLLOW_UP_CANDIDATES], start=1):
            if passage.chunk.pool == pool and uses(passage):
                ranked = (passage, *found.ranked[:i], *found.ranked[i + 1 :])
                return dataclasses.replace(found, ranked=ranked)
        return found

    def _definition_first(self, query: Query, found: Passages) -> Passages:
        """ "Hvad skal ansøgningen bestå af?" asks what the documents understand by a term: the passage whose
        section defines one of the question's words ("Ved ansøgning forstås ansøgningsskema, budgetskema og
        eventuelle bilag.") leads, wherever the search ranked it."""
        # An English question's words count through the Danish terms they stand for ("application" → "ansøgning").
        words = [*query.topic, *fold(document_terms(question_sentences(query.text))).split()]
        prefixes = {compose.long_prefix(w) for w in words if len(w) >= 5}
        for i, passage in enumerate(found.ranked[:DEFINITION_CANDIDATES]):
            terms = (t for s in split_sentences(passage.chunk.text) if (t := _DEFINED.match(s)))
            if any(fold(t.group("term")).split()[-1].startswith(tuple(prefixes)) for t in terms):
                if i == 0:
                    return found
                return dataclasses.replace(found, ranked=(passage, *found.ranked[:i], *found.ranked[i + 1 :]))
        return found

    def quote(self, query: Query, passages: Passages) -> Passages:
        # An English question's pool name, put into Danish ("social caretaker" → "sociale viceværter"), would be
        # its strongest Danish words: it chose the documents, but inside them it stands in the sentences about
        # the pool at large ("Der kan ydes tilskud til den sociale vicevært"), not in the one that answers
        # ("… moms"). A Danish question's own words weigh it down, and a descriptive name ("særlige sociale
        # formål") may be part of the answer.
        # "Gælder det samme for X?" asks the previous question again: the sentence that answers is the one that
        # answered it ("Hvilke udgifter kan man ikke få tilskud til?" → the whole list), not one about "det samme".
        sentences = question_sentences(query.previous if query.asks_again and query.previous else query.text)
        asked = fold(_percent_spelled(sentences))
        if sentences != query.text and (query.leans_on_setting or not self._own_topic(asked, query)):
            # "… men den er ikke underskrevet endnu. Kan vi søge alligevel?": the asking sentence names nothing
            # of its own, or leans on what was told before it ("alligevel", "det"); what it asks about is told in
            # the setting before it, in the same message.
            asked = fold(_percent_spelled(asking_text(query.text)))
        if query.english:
            asked = without_mentions(asked, query.mentions)
        else:
            # A Danish name's distinctive words ("viceværter") stand in the sentences about the pool at large,
            # never in the one that answers; its everyday words ("særlige sociale formål") may.
            named = {t for m in query.mentions for t in self.name_tokens.get(m.pool, ())}
            kept = [w for w in asked.split() if w not in named and stem(w) not in named]
            if len(kept) < len(asked.split()) and kept:
                asked = " ".join(kept)
                own = " ".join(w for w in sentences.split() if fold(w).strip("?.,!") in kept)
                passages = dataclasses.replace(passages, vector=self.retriever.embed_question(own))
        if query.follow_up and not query.english:
            # "Skal vi så betale det tilbage?" after "Kan vi købe computere?": the passage was found with the turn
            # before, but the sentence that answers is the one about what this turn asks (its own words and their
            # joined verbs), not the one about the previous question's thing.
            joined = self.retriever.joined_verbs(sentences)
            if joined or self._own_topic(asked, query):
                own = f"{sentences} ({joined})" if joined else sentences
                passages = dataclasses.replace(passages, vector=self.retriever.embed_question(own))
        if "todo" in query.types:
            # "… – hvad skal vi så gøre?": the words that ask what to do ("skal", "gøre") are how it is asked; left
            # in, they weigh up any sentence with a "skal" over the one about the situation told.
            asked = term_pattern(self.lexicon.question_types["todo"]).sub(" ", asked)
        focus = " ".join(asked.split()) or sentences
        # The documents' words for what the whole message tells ("betalt … før vi fik svar" → "udgifter afholdt
        # før der blev ydet tilskud"), though the asking sentence alone is short ("Kan de udgifter komme med?").
        # (Of this message only: a follow-up is searched with the turn before it, whose things it does not ask about —
        # "… mobiltelefon …? og skal beløbene stå inkl. moms?". An English turn reaches the documents' words only
        # through the glossary, and the turn before carries what it leans on: "… can businesses get one too?")
        own = query.follow_up and not query.english
        told = without_mentions(fold(query.text if own else query.search_text), query.mentions)
        terms = " ".join(
            dict.fromkeys(f"{document_terms(focus)} {document_terms(told)} {self.retriever.joined_verbs(told)}".split())
        )
        focus = f"{focus} ({terms})" if terms else focus
        quotes = []
        telling_of: dict[str | None, list[str]] = {}  # the same for each passage of a pool: worked out once
        for passage in passages.ranked[: self.settings.max_citations]:
            pool = passage.chunk.pool
            if pool not in telling_of:
                telling_of[pool] = compose.telling_words(query, lambda w, pool=pool: self._widespread(pool, w))
            telling = telling_of[pool]
            citation = self.quoter.quote(
                passage.chunk.doc_id,
                passage.chunk.section,
                focus,
                passages.vector,
                query.types,
                passage.score,
                tuple(compose.shared_root(w) for w in telling),
            )
            if citation:
                if passage.chunk.kind == "pjece":
                    citation = citation.model_copy(update={"label": citation.label + " – baggrund (2005)"})
                quotes.append(citation)
        return dataclasses.replace(passages, quotes=tuple(quotes))


# The lead of an answer a rule on the asker's told case decides: (Danish, English), by how the rule decides it.
_RULE_LEADS = {
    "denied": ("Nej – sådan står det:", "No – the guideline says (in Danish):"),
    "lacking": ("Nej – det er et krav; sådan står det:", "No – it is a requirement; the guideline says (in Danish):"),
    "required": ("Ja – det er et krav; sådan står det:", "Yes – it is a requirement; the guideline says (in Danish):"),
}


def _first_quote(answer: Answer) -> str:
    """The text of the first quote the answer shows (its deciding sentence comes first), "" where it shows none."""
    match = re.search(r"^«(.*?)»", answer.answer, re.M | re.S)
    return match.group(1) if match else ""


def _about_item(item: ItemAsked, answer: Answer) -> Answer:
    """The answer about one of several things asked of at once, led by the thing it is about, with the quote that
    decides it (the next ones found for it are about its neighbours: the answer about all of them stays short)."""
    paragraphs = answer.answer.split("\n\n")
    quotes = [n for n, p in enumerate(paragraphs) if p.startswith("«")]
    kept = [p for n, p in enumerate(paragraphs) if n not in quotes[1:]]
    label = f"Om {item.item}:"
    if kept[0].startswith("«"):
        kept.insert(0, label)
    else:
        kept[0] = f"{label} {kept[0]}"
    return answer.model_copy(update={"answer": "\n\n".join(kept)})
