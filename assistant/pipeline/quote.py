"""Step 5 — passages → verbatim quotes. A quote is cut from ONE unit of the curated Markdown (a paragraph or
a list item): a run of whole sentences around the one that answers best, widened by the sentences that
complete it (consequence, exception, figure), sliced from the unit's own text so it stays verbatim.
A lead-in ending in ":" brings the items it introduces, joined with " … "."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.corpus import Corpus
from assistant.danish import MONTH_PATTERN, fold
from assistant.index import LoadedIndex, clean_paragraph, section_sentences
from assistant.models import Citation, Section
from assistant.retrieval import HybridRetriever

GAP = " … "
# A unit's first sentence this short heads it ("Udgifter til dækning af moms."): the rule is in the next one.
HEADING_CHARS = 60
# A runner-up sentence from another unit is added only this short: the quote stays readable on a phone.
RUNNER_CHARS = 220
MAX_QUOTE_CHARS = 400
# A paragraph or list item up to this long is quoted whole: its condition or exception stays with its rule.
WHOLE_UNIT_CHARS = 400
# Sections up to this long (at most three paragraphs) are quoted whole.
WHOLE_SECTION_CHARS = 330
WHOLE_FAQ_CHARS = 600
# A sentence that starts like this leans on the one before it.
_LEANS_BACK = re.compile(
    r"^(?:Det|Dette|Den|Disse|Dermed|Derfor|Her|Heraf|Herunder|Således|Sådanne|Også|"
    r"De|Denne|This|It)\b"
)
# A sentence that starts like this completes the one before it (the exception, the condition, the consequence).
_COMPLETES = re.compile(
    r"^(?:Dog|Hvis|Såfremt|Det betyder|Dette betyder|I så fald|Ellers|Men|Bemærk|Det gælder|"
    r"Dette gælder|Undtaget|Undtagelse|Derudover|Desuden|Hvor|Når|Er|Det er dog|Der kan dog|"
    r"Det vil sige|Dvs)\b"
)
_FIGURE = re.compile(r"\d")
# What a how-much question is answered by where no figure is given: the rate the amount is reckoned by ("statens
# lave takst pr. km.", "timesats").
_FIGURE_OR_RATE = re.compile(r"\d|\w*takst\w*|\w*sats(?:en|er|erne)?\b", re.I)
# What a when-question is answered by when no date is given ("senest ved projektstart", "fremgår af tilskudsbrevet").
_TIME = re.compile(
    r"\b(?:senest|inden|efter|før|frist\w*|løbende|årligt|tilskudsbrev\w*|måned\w*|uge\w*|dato\w*|kl\.|"
    rf"{MONTH_PATTERN}|"
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|hverdag\w*|(?:19|20)\d\d)\b",
    re.I,
)
# What answers "må vi / kan vi / skal vi": a sentence that says what may, must or may not be done.
_VERDICT = re.compile(
    r"\b(?:kan ikke|må ikke|skal ikke|ikke tilskudsberettiget\w*|kan \w+ ?(?:ydes|dækkes|gives|søges)|"
    r"kan der|må der|skal der|er ikke|dækkes ikke|ydes ikke|gives ikke|er et krav|ikke et krav)\b",
    re.I,
)
# What answers "hvad gør vi, hvis …": a sentence that says what the applicant must do.
_DUTY = re.compile(r"\bskal\b(?! ikke)|\bmust\b", re.I)
# What answers "hvad tæller som / hvad forstås ved": the sentence that defines the term.
_DEFINES = re.compile(r"\b(?:defineres|defineret|forstås|forstaas|menes|betyder|regnes som)\b", re.I)
# What answers "hvilken mailadresse / hvilket telefonnummer": an e-mail address or a Danish phone number.
EMAIL = re.compile(r"[\w.-]+@[\w-]+\.[a-z]{2,}", re.I)
PHONE = re.compile(r"(?:\+45 ?)?\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b")
CONTACT = re.compile(f"{EMAIL.pattern}|{PHONE.pattern}", re.I)
# What a sentence that gives the kind of fact asked for (a time, a figure) gains over one that does not.
ANSWER_KIND_BONUS = 0.08
# For a sentence with one of the question's telling words (few of the pool's sections use it: "moms").
TELLING_WORD_BONUS = 0.05
# Smaller for a verdict: "kan ikke" stands in many sentences, and only the topic tells which one answers.
VERDICT_BONUS = 0.02
# How close (in score) another sentence must come to the best one to be quoted beside it.
SECOND_SENTENCE_MARGIN = 0.06
# How close one that gives the kind of fact asked (a time, a figure) must come, where the best one gives none.
ANSWER_KIND_MARGIN = 0.15
_FIGURE_TYPES = {"when", "how_much", "how_many", "how_long"}
# A figure in a unit, as a question gives it and as a sentence states it: per cent, kroner.
PERCENT_FIGURE = re.compile(r"\d\s*(?:%|pct\b|procent)", re.I)
_UNITS = (PERCENT_FIGURE, re.compile(r"\d\s*(?:kr\b|kroner)", re.I))
# Questions that a list answers ("Hvad kan vi ikke få tilskud til?", "Hvilke udgifter …?"), and how long the
# quoted list may be.
_LIST_TYPES = {"what", "purpose", "todo"}
LIST_CHARS = 680
# What a lead-in introduces: the first three units after it always, up to six while LIST_CHARS reach.
LEAD_IN_SHOWN = 3
LEAD_IN_FOLLOWERS = 6
# A paragraph that is one bold line: a heading inside a section.
_BOLD_LINE = re.compile(r"(\*\*|__)[^*_\n]+\1")


@dataclass(frozen=True)
class Unit:
    text: str  # the unit's text with Markdown markup removed: what quotes are cut from
    sentences: tuple[int, ...]  # indices into the index's sentences
    spans: tuple[tuple[int, int], ...]  # each sentence's place in `text`
    item: int | None
    quotable: bool
    # A paragraph that is one bold line ("**Deltagere**"): a heading inside the section, not a short list line
    # ("- Ungdomsboliger, jf. …").
    heading: bool = False


class QuoteBuilder:
    def __init__(self, corpus: Corpus, index: LoadedIndex, retriever: HybridRetriever) -> None:
        self.corpus = corpus
        self.index = index
        self.retriever = retriever
        self._units: dict[tuple[str, str], list[Unit]] = {}
        self._faq_docs = {d.meta.doc_id for d in corpus.documents if d.meta.kind == "faq"}
        starts: dict[tuple[str, str], int] = {}
        for i, s in enumerate(index.sentences):
            starts.setdefault((s.doc_id, s.section), i)
        for (doc_id, section_id), section in corpus.sections.items():
            first = starts.get((doc_id, section_id))
            if first is None:
                continue
            units = []
            cursor = first
            for paragraph in section.paragraphs:
                unit = self._unit(section, paragraph, cursor)
                if unit is None:
                    continue
                units.append(unit)
                cursor += len(unit.sentences)
            self._units[(doc_id, section_id)] = units

    def _unit(self, section: Section, paragraph: str, cursor: int) -> Unit | None:
        one = section.model_copy(update={"paragraphs": (paragraph,)})
        sentences = section_sentences(one)
        if not sentences:
            return None
        # The cleaned paragraph text: the sentences' source. Find each sentence in it, in order.
        text = clean_paragraph(paragraph)
        spans, at = [], 0
        for s in sentences:
            start = text.find(s.text, at)
            if start < 0:
                return None
            spans.append((start, start + len(s.text)))
            at = start + len(s.text)
        indices = tuple(range(cursor, cursor + len(sentences)))
        item = self.index.sentences[indices[0]].item if indices[0] < len(self.index.sentences) else None
        heading = bool(_BOLD_LINE.fullmatch(paragraph.strip()))
        return Unit(text, indices, tuple(spans), item, sentences[0].quotable, heading)

    def units(self, doc_id: str, section: str) -> list[Unit]:
        return self._units.get((doc_id, section), [])

    def quote(
        self,
        doc_id: str,
        section: str,
        focus: str,
        vector: np.ndarray,
        types: tuple[str, ...],
        score: float = 0.0,
        telling: tuple[str, ...] = (),
    ) -> Citation | None:
        """`telling`: the question's folded words that few of the pool's sections use ("moms"); a sentence with
        one of them is about what was asked, however many of the pool's everyday words ("den sociale vicevært")
        another shares with the question."""
        units = [u for u in self.units(doc_id, section) if u.quotable]
        if not units:
            return None
        scored = []
        # A when-question is answered by a sentence that says when; a how-much question by one with a figure.
        kind = (
            CONTACT
            if "contact" in types
            else _DEFINES
            if "define" in types
            else _DUTY
            if "todo" in types
            else _TIME
            if "when" in types
            else _FIGURE_OR_RATE
            if "how_much" in types
            else _FIGURE
            if set(types) & _FIGURE_TYPES
            else _VERDICT
            if set(types) & {"may", "yesno"}
            else None
        )
        # A figure the question gives in a unit ("30 % af lønposten", "80.000 kr.") is weighed against the sentence that
        # sets the limit in that unit ("op til 10 pct. af en budgetpost").
        asked_unit = next((unit for unit in _UNITS if unit.search(focus)), None)
        # The words of the section's title ("Den Sociale Skadestue i Aalborg") chose the section; inside it
        # they stand in the sentences that introduce it, not in the one that answers.
        title = {w[:5] for w in fold(self.corpus.section(doc_id, section).title).split() if len(w) >= 4}
        focus = " ".join(w for w in focus.split() if len(w) < 4 or fold(w)[:5] not in title) or focus
        for u_index, unit in enumerate(units):
            cosines = self.index.sentence_vectors[list(unit.sentences)] @ vector
            for j, (i, cosine) in enumerate(zip(unit.sentences, cosines, strict=True)):
                grams = self.retriever._sentence_grams[i]
                text = unit.text[unit.spans[j][0] : unit.spans[j][1]]
                # A when-question wants a time ("kl. 20.00", "1. december"), not any figure ("10 år gammelt").
                found = kind is not None and (kind.search(text) or (kind is _FIGURE and _FIGURE.search(text)))
                bonus = (VERDICT_BONUS if kind is _VERDICT else ANSWER_KIND_BONUS) if found else 0.0
                if asked_unit is not None and asked_unit.search(text):
                    bonus += ANSWER_KIND_BONUS
                if telling and any(t in w for w in fold(text).split() for t in telling):  # also inside a compound
                    bonus += TELLING_WORD_BONUS
                scored.append((float(cosine) + 0.5 * self.retriever.overlap(focus, grams) + bonus, u_index, j))
        scored.sort(reverse=True)
        best_score, u_index, j = scored[0]
        unit = units[u_index]
        whole = sum(len(u.text) for u in units)
        if len(units) <= 3 and whole <= (WHOLE_FAQ_CHARS if doc_id in self._faq_docs else WHOLE_SECTION_CHARS):
            # A short section (a FAQ answer, a two-line rule) is quoted whole: its last sentence is often the
            # one that answers ("Manglende medvirken kan føre til …"), and cutting it saves little.
            pieces, item = self._whole(doc_id, section, units)
        else:
            pieces, item = self._span(unit, j, units, u_index, types, scored, focus)
        label = self.corpus.citation_label(doc_id, section, item)
        title = self.corpus.section(doc_id, section).title
        return Citation(
            doc_id=doc_id,
            section=section,
            title=title,
            quote=GAP.join(pieces),
            score=round(score, 4),
            item=item,
            label=label,
        )

    def _whole(self, doc_id: str, section: str, units: list[Unit]) -> tuple[list[str], int | None]:
        pieces = [units[0].text]
        for unit in units[1:]:
            joined = f"{pieces[-1]} {unit.text}"
            # Adjacent paragraphs read as one quote where the section has them so; else "…" between them.
            if self.corpus.text_contains(doc_id, section, joined):
                pieces[-1] = joined
            else:
                pieces.append(unit.text)
        items = {u.item for u in units}
        return pieces, items.pop() if len(items) == 1 else None

    def _span(
        self,
        unit: Unit,
        j: int,
        units: list[Unit],
        u_index: int,
        types: tuple[str, ...],
        scored: list[tuple[float, int, int]],
        focus: str = "",
    ) -> tuple[list[str], int | None]:
        texts = [unit.text[a:b] for a, b in unit.spans]
        first, last = j, j
        if _LEANS_BACK.match(texts[j]) and j > 0:
            first = j - 1
        wants_figure = bool(set(types) & _FIGURE_TYPES)
        answer_kind = _TIME if "when" in types else _FIGURE
        second = next(((u, k) for _, u, k in scored[1:3] if u == u_index), None)
        while last + 1 < len(texts):
            following = texts[last + 1]
            length = unit.spans[last + 1][1] - unit.spans[first][0]
            if length > MAX_QUOTE_CHARS and last > j:
                break
            # What a sentence ending in a colon introduces ("årets tema: Fremme deltagelse …") belongs to it.
            completes = (
                _COMPLETES.match(following)
                or _LEANS_BACK.match(following)
                or texts[last].rstrip().endswith(":")
                or (last == 0 and len(texts[0]) <= HEADING_CHARS)  # "Udgifter til dækning af moms." heads an item
            )
            figure = (
                wants_figure
                and not any(_FIGURE.search(t) or answer_kind.search(t) for t in texts[first : last + 1])
                and (_FIGURE.search(following) or answer_kind.search(following))
            )
            close = second is not None and second[1] == last + 1
            if completes or figure or close:
                last += 1
            else:
                break
        # A short unit is quoted whole: cutting a two-line FAQ answer saves nothing and loses its condition.
        if len(unit.text) <= WHOLE_UNIT_CHARS:
            first, last = 0, len(texts) - 1
        main = unit.text[unit.spans[first][0] : unit.spans[last][1]]
        pieces = [main]
        item = unit.item
        # The runner-up sentence of another unit, when it scores nearly as well: the rule and its
        # consequence often stand in two paragraphs or items.
        best_score = scored[0][0]
        runner = next(
            (
                (sc, u, k)
                for sc, u, k in scored[1:4]
                if (u != u_index or not first <= k <= last) and sc >= best_score - SECOND_SENTENCE_MARGIN
            ),
            None,
        )
        duty_runner = False
        gives = _TIME if "when" in types else _FIGURE_OR_RATE if wants_figure else None
        if gives is not None and not gives.search(main) and not (runner and gives.search(_text(units, runner))):
            # "Hvornår kommer styrelsens opsamling?": the sentence that names the thing best ("Til
            # erfaringsopsamlingen skal styrelsen …") says no time; the section's sentence that does ("… udarbejdes
            # i 2028") is quoted beside it, where it comes near.
            runner = next(
                (
                    (sc, u, k)
                    for sc, u, k in scored[1:]
                    if (u != u_index or not first <= k <= last)
                    and sc >= best_score - ANSWER_KIND_MARGIN
                    and gives.search(_text(units, (sc, u, k)))
                ),
                runner,
            )
        if "todo" in types and not _DUTY.search(main):
            # "Hvad gør vi, hvis en aktivitet bliver aflyst?": the sentence that best names the situation ("… en
            # aktivitet, der ikke afholdes") says what it is; what to do is the best sentence that says what must be.
            # A duty under another condition ("Hvis der skal foretages en budgetændring, skal …") is for another
            # situation: one whose condition names the asked situation comes first, then an unconditioned one.
            asked = condition_words(focus)
            duties = [
                (_condition_fits(text, asked), sc, u, k)
                for sc, u, k in scored[1:]
                if (u != u_index or not first <= k <= last) and _DUTY.search(text := _text(units, (sc, u, k)))
            ]
            if duties:
                runner = max(duties)[1:]
                duty_runner = True
        if runner and len(main) < MAX_QUOTE_CHARS - 160:
            other = units[runner[1]]
            a, b = other.spans[runner[2]]
            # What to do is the answer itself, not a runner-up beside it: it may be as long as a quote may.
            limit = MAX_QUOTE_CHARS if duty_runner else RUNNER_CHARS
            heading = runner[2] == 0 and b - a <= HEADING_CHARS
            if (other.text[a:b].rstrip().endswith(":") or heading) and runner[2] + 1 < len(other.spans):
                b = other.spans[runner[2] + 1][1]  # the lead-in or item heading with what it introduces
                limit = MAX_QUOTE_CHARS - len(main)
            before = (runner[1], runner[2]) < (u_index, first)
            if runner[1] == u_index and (runner[2] == last + 1 or runner[2] == first - 1):
                # Adjacent in the same unit: one contiguous span, no "…".
                lo, hi = min(first, runner[2]), max(last, runner[2])
                pieces = [unit.text[unit.spans[lo][0] : unit.spans[hi][1]]]
            elif b - a <= limit and _holds(main, other.text[a:b]):
                pass  # a sentence the section says twice (in its table and in the item below) is quoted once
            elif b - a <= limit and _holds(other.text[a:b], main):
                pieces = [other.text[a:b]]  # the runner-up holds the main sentence whole: it alone says both
                item = other.item
            elif b - a <= limit:
                pieces = [other.text[a:b], main] if before else [main, other.text[a:b]]
                if other.item != item:
                    item = None
        # "Hvad gør vi, hvis portalen er nede?": the best sentence is one step of what to do ("Inden
        # ansøgningsfristens udløb skal ansøger indsende en e-mail …"); the steps, from their lead-in ("… skal
        # ansøger gøre følgende:"), are the answer.
        steps_from = _lead_in_before(units, u_index) if "todo" in types else None
        if set(types) & _LIST_TYPES:
            # "Hvad kan vi ikke få tilskud til?" matches the lead-in of a list ("… hvilke udgifter der ikke kan
            # dækkes …:"): the list is the answer, not the one item that came closest.
            leads = [(u, k) for sc, u, k in scored[:2] if sc >= best_score - SECOND_SENTENCE_MARGIN]
            if steps_from is not None:
                leads.append((steps_from, len(units[steps_from].spans) - 1))
            for u, k in leads:
                if _is_lead_in(units[u], k) and _numbered_after(units, u):
                    return _listed(units, u, k), None
        # A lead-in ("Der kan fx gives tilskud til:", "Projekterne skal omhandle årets tema:") brings what it
        # introduces, whether it is the main sentence or the runner-up quoted after it.
        lead_in = None
        if main.rstrip().endswith(":") and last == len(texts) - 1 and pieces[-1].endswith(main):
            lead_in = u_index
        elif runner and pieces[-1].rstrip().endswith(":") and runner[2] == len(units[runner[1]].spans) - 1:
            lead_in = runner[1]
        elif steps_from is not None:
            lead_in = steps_from
            a, b = units[steps_from].spans[-1]
            pieces = [units[steps_from].text[a:b]]
            item = units[steps_from].item
        elif set(types) & _LIST_TYPES and runner:
            # "Hvad skal vi beskrive om målgruppen?": the list's lead-in ("… skal følgende beskrives:") and one of
            # its points ("Hvad der kendetegner de borgere …") are the best two sentences: what was asked is the
            # list, said from its lead-in, not one point beside it with a "…".
            (lead_u, lead_k), (point_u, _) = sorted([(u_index, j), (runner[1], runner[2])])
            if _is_lead_in(units[lead_u], lead_k) and lead_u < point_u <= lead_u + LEAD_IN_FOLLOWERS:
                lead_in = lead_u
                a, b = units[lead_u].spans[lead_k]
                pieces = [units[lead_u].text[a:b]]
                item = units[lead_u].item
        if lead_in is not None:
            followers = units[lead_in + 1 : lead_in + 1 + LEAD_IN_FOLLOWERS]
            # A sub-heading ("Deltagere") starts what comes next, not what the lead-in introduced.
            # So does a numbered item after unnumbered points ("2) Aktiviteter" after the points of "1) Målgruppe").
            ends = next(
                (n for n, u in enumerate(followers) if u.heading or (followers[0].item is None and u.item is not None)),
                len(followers),
            )
            followers = followers[:ends]
            used = sum(len(p) for p in pieces)
            for n, follower in enumerate(followers):
                line = follower.text if len(follower.text) <= 200 else follower.text[: follower.spans[0][1]]
                if n >= LEAD_IN_SHOWN and used + len(line) > LIST_CHARS:
                    break  # past the first three, a point is shown while the list stays readable
                pieces.append(line)
                used += len(line)
            if any(u.item is not None for u in followers) and (address := _closing_address(units, lead_in + 1)):
                pieces.append(address)
            if any(u.item != item for u in followers):
                item = None
        return pieces, item


# The condition a sentence opens with: "Hvis der skal foretages en budgetændring, …".
_CONDITION = re.compile(r"^(?:Hvis|Såfremt|Når|If|When)\b(?P<condition>[^,]*),", re.I)
# How much of a word two words must share to be the same word here ("ændringer" / "ændring").
CONDITION_PREFIX = 5


def condition_words(focus: str) -> frozenset[str]:
    """The question's words as a condition is compared with them: their first CONDITION_PREFIX letters."""
    return frozenset(w[:CONDITION_PREFIX] for w in fold(focus).split() if len(w) >= CONDITION_PREFIX)


def _condition_fits(sentence: str, asked: frozenset[str]) -> int:
    """2 where the sentence's opening condition names a word of the question (`condition_words`), 1 where it sets
    none, 0 where it sets another."""
    found = _CONDITION.match(sentence)
    if not found:
        return 1
    return 2 if any(w[:CONDITION_PREFIX] in asked for w in fold(found.group("condition")).split()) else 0


def _text(units: list[Unit], scored: tuple[float, int, int]) -> str:
    """The text of a scored sentence (score, unit, sentence)."""
    _, u, k = scored
    a, b = units[u].spans[k]
    return units[u].text[a:b]


def _lead_in_before(units: list[Unit], u: int) -> int | None:
    """The lead-in ("… skal ansøger gøre følgende:") of the list whose point unit `u` is, if it is one: a unit
    ending in a colon at most LEAD_IN_FOLLOWERS units before it, with no sub-heading between."""
    for lead in range(u - 1, max(-1, u - 1 - LEAD_IN_FOLLOWERS), -1):
        if units[lead].heading:
            return None
        if _is_lead_in(units[lead], len(units[lead].spans) - 1):
            return lead
    return None


def _holds(text: str, part: str) -> bool:
    """The text holds the part's words whole: a table row "5. Udlejningsaftaler … – Ansøger skal have indgået …"
    holds the same sentence in the item below it."""
    return " ".join(part.split()) in " ".join(text.split())


def _is_lead_in(unit: Unit, k: int) -> bool:
    """The unit's k-th sentence is its last and ends in a colon: it introduces the units after it."""
    a, b = unit.spans[k]
    return k == len(unit.spans) - 1 and unit.text[a:b].rstrip().endswith(":")


def _numbered_after(units: list[Unit], u: int) -> bool:
    """A numbered list follows the unit (its items carry numbers: "1) Køb af materiel …"), or a list numbered in
    its text inside an item ("Der vil … blive lagt vægt på følgende forhold:" / "1. Antal hjemløse …")."""
    if u + 1 >= len(units):
        return False
    return (units[u + 1].item is not None and units[u].item is None) or _text_number(units[u + 1]) == 1


# A list item numbered in its own text ("1. Antal hjemløse i kommunen."), where the list stands inside an item.
_TEXT_NUMBER = re.compile(r"(\d{1,2})[.)]\s")
# How many unnumbered units (an item's explanation) may stand between two numbered ones of the same list.
LIST_EXPLANATION_UNITS = 3


def _text_number(unit: Unit) -> int | None:
    found = _TEXT_NUMBER.match(unit.text)
    return int(found.group(1)) if found else None


def _text_listed(units: list[Unit], lead: int) -> list[Unit]:
    """The items of a list numbered in their text after the lead-in, in order, without their explanations."""
    items, expected, between = [], 1, 0
    for unit in units[lead + 1 :]:
        number = _text_number(unit)
        if number == expected:
            items.append(unit)
            expected, between = expected + 1, 0
        elif number is None and not unit.heading and between < LIST_EXPLANATION_UNITS:
            between += 1
        else:
            break
    return items


def _listed(units: list[Unit], lead: int, k: int) -> list[str]:
    """The lead-in sentence and the first sentence of each numbered item after it, as far as LIST_CHARS reach
    (an item's explanation below it is left out: the list is what was asked for)."""
    a, b = units[lead].spans[k]
    pieces = [units[lead].text[a:b]]
    used, seen = len(pieces[0]), set()
    text_listed = _text_listed(units, lead) if units[lead + 1].item is None else []
    for n, unit in enumerate(text_listed or units[lead + 1 :]):
        if text_listed:
            # Numbered in its text: up to the end of its first sentence after the number ("1." alone is none).
            first = 1 if len(unit.spans) > 1 and _TEXT_NUMBER.fullmatch(unit.text[: unit.spans[0][1]] + " ") else 0
            line = unit.text[: unit.spans[first][1]]
            if used + len(line) > LIST_CHARS:
                break
            pieces.append(line)
            used += len(line) + len(GAP)
            continue
        if unit.item is None:
            break  # the list has ended
        if unit.item in seen:
            continue
        line = unit.text[: unit.spans[0][1]]
        if used + len(line) > LIST_CHARS:
            break
        pieces.append(line)
        seen.add(unit.item)
        used += len(line) + len(GAP)
    if address := _closing_address(units, lead + 1):
        pieces.append(address)
    return pieces


# A line this short after a list that gives an e-mail address says where the listed steps go.
ADDRESS_LINE_CHARS = 160


def _closing_address(units: list[Unit], first_item: int) -> str | None:
    """The line right after the numbered list that starts at `first_item`, where it gives the e-mail address the
    steps are sent to ("E-mailene sendes til tilskudsforvaltning@sbst.dk")."""
    after = next((n for n in range(first_item, len(units)) if units[n].item is None), None)
    if after is None or after == first_item:
        return None
    unit = units[after]
    return unit.text if len(unit.text) <= ADDRESS_LINE_CHARS and EMAIL.search(unit.text) else None


def quote_pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote, between its "…" marks."""
    return [p.strip() for p in quote.split("…") if p.strip()]


def is_verbatim(corpus: Corpus, doc_id: str, section: str, quote: str) -> bool:
    return all(corpus.text_contains(doc_id, section, piece) for piece in quote_pieces(quote))
