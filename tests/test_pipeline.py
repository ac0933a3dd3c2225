"""The answer pipeline's failure classes (issue 9), on the real corpus, index and embedding model.

Each test states a class of question, in phrasings written for the test — never a question of evals/.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.corpus.pools import PoolMatcher, PoolSpec, generate_aliases
from assistant.danish import MONTH_PATTERN, fold, format_number, money_spans
from assistant.pipeline import compose
from assistant.pipeline.guard import WITHHELD
from assistant.pipeline.quote import is_verbatim, quote_pieces
from assistant.pipeline.understand import split_parts
from assistant.rules.lexicon import find_terms, load_intents, load_keys, load_lexicon, term_pattern

ROOT = Path(__file__).resolve().parents[1]
NOW = "2025-06-16T10:00:00+02:00"  # pinned: both 2025 deadlines ahead
LATE = "2025-09-01T10:00:00+02:00"  # both passed


@pytest.fixture(scope="module")
def assistant():
    return Assistant.load()


@pytest.fixture(scope="module")
def pools(assistant):
    return assistant.specs


def _understood(pipeline, question: str, pool: str | None = None, history=()):
    """The question as the pipeline's understand step reads it, at the pinned time."""
    from datetime import datetime

    from assistant.pipeline.understand import understand

    return understand(
        question,
        pool,
        list(history),
        datetime.fromisoformat(NOW),
        matcher=pipeline.matcher,
        lexicon=pipeline.lexicon,
        intents=pipeline.intents,
        support=pipeline._support,
    )


def _pool_with_fact(assistant, key: str) -> list[str]:
    return [p for p, f in assistant.pool_facts.items() if any(e.key == key for e in f.facts)]


def _ask_each_pool_with(assistant, key: str, template: str):
    """The answer to the template, named for each pool that has a fact of the key."""
    for pool in _pool_with_fact(assistant, key):
        yield assistant.ask(template.format(name=assistant.specs[pool].short_name), now=NOW)


def _pool_without_fact(assistant, key: str) -> list[str]:
    return [p for p, f in assistant.pool_facts.items() if not any(e.key == key for e in f.facts)]


# -- pools named however they are written ----------------------------------------------------------


def _variants(name: str) -> list[str]:
    """Ways applicants write a name: no æøå, a typo, glued to "puljen", with a hyphen, in capitals."""
    folded = fold(name)
    squashed = folded.replace(" ", "")
    typo = squashed[:3] + squashed[4:] if len(squashed) > 9 else squashed
    glued = [] if "pulje" in squashed else [f"{squashed}-puljen", f"{squashed}puljen"]
    return [folded, *glued, typo, name.upper()]


def test_every_pool_is_found_by_its_names_however_written(pools):
    matcher = PoolMatcher(pools)
    for pool, spec in pools.items():
        for name in (spec.name, spec.short_name, *spec.names):
            for written in _variants(name):
                assert matcher.pools(f"Hvad gælder for {written}?") == [pool], (pool, written)


@pytest.mark.parametrize(
    "written",
    [
        "Hvad gælder for grøn fællesskab-puljen?",
        "Fristen i grønne fællesskaber puljen?",
        "Kan vi søge Grøn Fæl puljen?",
    ],
)
def test_a_name_of_glued_capitalised_parts_is_found_spelled_out_before_puljen(written):
    """ "SærligSoc" is said "særlig social-puljen": each part written out as a word that starts with it, then the
    pool word. Shown on a pool that is data only, so no code knows its name."""
    spec = PoolSpec(
        id="groen-2026", name="Puljen til grønne naboer 2026", short_name="GrønFæl 2026", names=("GrønFæl",)
    )
    other = PoolSpec(id="andet", name="Puljen til andre formål", short_name="Andet")
    matcher = PoolMatcher({"groen-2026": spec, "andet": other})
    assert matcher.pools(written) == ["groen-2026"]
    # Without the pool word they are everyday words.
    assert matcher.pools("Vi laver en grøn fællesskabsindsats for grønne fællesskaber") == []


def test_generated_aliases_need_no_hand_listing():
    aliases = generate_aliases("Ansøgningspuljen til bedre naboskaber 2026", "Naboskab 2026")
    for form in (
        "bedre naboskaber",
        "puljen til bedre naboskaber",
        "naboskabspuljen",
        "naboskabs puljen".replace(" ", ""),
        "naboskab",
    ):
        assert form in aliases, form


def test_a_follow_up_that_names_another_pool_is_answered_for_that_pool(assistant):
    first, second = sorted(assistant.specs)[:2]
    name_second = assistant.specs[second].short_name
    history = [
        {"role": "user", "content": f"Hvad er ansøgningsfristen for {assistant.specs[first].short_name}?"},
        {"role": "assistant", "content": "Se vejledningen."},
    ]
    for phrasing in (f"Og for {name_second}?", f"Gælder det samme for {name_second}?", f"hvad med {fold(name_second)}"):
        answer = assistant.ask(phrasing, history=history, now=NOW)
        docs = {c.doc_id for c in answer.citations} | {f.doc_id for f in answer.facts}
        first_docs = {d.meta.doc_id for d in assistant.corpus.documents if d.meta.pool == first}
        assert not docs & first_docs, (phrasing, docs)


def test_a_pronoun_follow_up_keeps_the_pool_of_the_conversation(assistant):
    pool = _pool_with_fact(assistant, "samarbejdsaftale_frist")[0]
    history = [
        {"role": "user", "content": "Skal vi have en samarbejdsaftale med kommunen?"},
        {"role": "assistant", "content": "Ja, en underskrevet samarbejdsaftale skal eftersendes."},
    ]
    for phrasing in ("Hvem skal underskrive den?", "Hvornår skal den være sendt?", "Hvad skal den indeholde?"):
        answer = assistant.ask(phrasing, pool=pool, history=history, now=NOW)
        assert not answer.abstained, phrasing
        assert all(c.doc_id.startswith(pool) for c in answer.citations), phrasing


# -- rules only when the question asks for them ------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår skal slutrapporten senest indsendes?",
        "Hvad er fristen for regnskabet?",
        "Hvornår er fristen for at indsende statusrapport?",
    ],
)
def test_a_qualifier_the_fact_does_not_cover_blocks_it(assistant, question):
    pool = _pool_with_fact(assistant, "ansoegningsfrist")[0]
    answer = assistant.ask(question, pool=pool, now=LATE)
    assert not any(f.key == "ansoegningsfrist" for f in answer.facts), question
    assert "Fristen er overskredet" not in answer.answer


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Hvad er det største beløb, man kan få i tilskud?", "tilskud_maks"),
        ("Hvor meget kan vi maksimalt søge?", "tilskud_maks"),
        ("Hvornår udbetales pengene?", "udbetaling_tidspunkt"),
    ],
)
def test_a_kind_of_fact_the_documents_do_not_state_is_said_plainly(assistant, question, key):
    pools = _pool_without_fact(assistant, key)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke" in answer.answer, (pool, question)
        assert "Social- og Boligstyrelsen" in answer.answer


def test_a_pool_without_the_fact_is_not_given_another_pools(assistant):
    missing = _pool_without_fact(assistant, "materiel_loft")
    having = _pool_with_fact(assistant, "materiel_loft")
    displays = {e.display for p in having for e in assistant.pool_facts[p].facts if e.key == "materiel_loft"}
    for pool in missing:
        answer = assistant.ask("Hvad er loftet for indkøb af materiel?", pool=pool, now=NOW)
        assert not any(d in answer.answer for d in displays), pool


# -- scope: pools we do not have, and questions outside the guidelines ---------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår er fristen for puljen til bekæmpelse af ensomhed?",
        "Hvor mange penge er der i Kulturministeriets pulje?",
        "Kan vi søge Ensomhedspuljen 2026?",
        "Kan vi søge Grøn Økonomi-puljen?",
        "Hvad kan man få fra Særlig Støtte-fonden?",
        "What is the application deadline for the pool against loneliness among older people?",
        "Can we apply to the pool for homeless youth in 2025?",
        "How much money is in the fund for green transition projects?",
        # "mod"/"imod" (against) names a pool's cause as "til" does
        "Hvad er ansøgningsfristen for puljen mod ensomhed blandt ældre 2025?",
        "Kan en forening søge puljen imod mobning i folkeskolen?",
        "Hvor meget er der i ansøgningspuljen mod madspild?",
        # a fund named by its cause ("fonden for …") or by its capitalised name before "Fonden"
        "Hvornår er ansøgningsfristen for Fonden for Lokalt Samvær?",
        "Hvor meget kan man få fra fonden til fremme af idrætten?",
        "Kan vi søge Velux Fonden om penge til husleje?",
        "Dækker Novo Nordisk Fonden løn til en projektleder?",
        "Hej. Giver Egmont Fonden penge til lejrture?",
    ],
)
def test_a_pool_we_do_not_have_is_said_and_no_other_pool_answers(assistant, question):
    """Named as the asker wrote it, æøå and all (not the folded form matched on); a hyphenated name
    ("Grøn Økonomi-puljen") is a pool of its own, not our pools' rules."""
    answer = assistant.ask(question, now=NOW)
    assert answer.abstained and not answer.facts and not answer.citations
    assert "Social- og Boligstyrelsen" in answer.answer
    named = re.search(r"”([^”]+)”", answer.answer)
    assert named and named.group(1).lower() in question.lower(), answer.answer
    if question.startswith(("What", "Can", "How")):
        assert answer.answer.startswith("I do not have the guidelines"), answer.answer  # the asker's language first


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår får vi svar på vores ansøgning, vi sendte den i sidste uge?",
        "Har I modtaget min ansøgning?",
        # asked to check that their own application arrived
        "Vi sendte vores ansøgning i går – kan du tjekke om den er kommet ind?",
        "Kan I undersøge, om vores budgetskema er kommet frem?",
        "We submitted yesterday through the portal. Can you check that it arrived?",
        "Skal foreningen betale skat af tilskuddet?",
        "Kan jeg få skattefradrag for et bidrag?",
        "Kan jeg som privatperson få hjælp til min husleje?",
        "Jeg er arbejdsløs – kan jeg få kontanthjælp herfra?",
    ],
)
def test_own_case_tax_and_personal_support_are_out_of_scope(assistant, question):
    answer = assistant.ask(question, now=NOW)
    assert answer.abstained and not answer.citations, question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Was our application approved?", "own_case"),
        ("Is the grant subject to tax?", "tax"),
        ("Can I get support for myself?", "personal_support"),
        ("Can you recommend an accountant for our audit?", "service_request"),
    ],
)
def test_an_english_question_out_of_scope_is_answered_in_english_first(assistant, question, kind):
    answer = assistant.ask(question, now=NOW)
    english = load_lexicon().out_of_scope[kind].answer_en
    assert answer.abstained and english and answer.answer.startswith(english), answer.answer


# -- answers: first the answer, verbatim quotes, each figure at most twice ----------------------------


def test_a_fact_answer_starts_with_the_fact_and_shows_its_figure_at_most_twice(assistant):
    for pool in assistant.pool_facts:
        for question in ("Hvornår er ansøgningsfristen?", "Hvad er sidste frist for at søge?"):
            answer = assistant.ask(question, pool=pool, now=NOW)
            for fact in answer.facts:
                assert answer.answer.count(fact.display) <= 2, (pool, fact.display, answer.answer)
            if answer.facts:
                first_line = answer.answer.split("\n")[0]
                assert answer.facts[0].display in first_line


@pytest.mark.parametrize(
    "question",
    [
        "What is the application deadline?",
        "Who can apply for funding?",
        "Can we carry unused funds over?",
    ],
)
def test_english_questions_say_the_sources_are_danish(assistant, question):
    pool = sorted(assistant.specs)[0]
    answer = assistant.ask(question, pool=pool, now=NOW)
    assert "Danish" in answer.answer


def test_the_2005_pjece_is_labelled_background(assistant):
    answer = assistant.ask("Hvad siger pjecen fra 2005 om samarbejde mellem frivillige og kommuner?", now=NOW)
    pjece = [c for c in answer.citations if c.doc_id.startswith("velfaerd")]
    assert pjece and all("baggrund (2005)" in c.label for c in pjece)


# -- quotes are verbatim by construction -------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_quote_builder_is_verbatim_on_random_sections_and_questions(assistant, data):
    sections = sorted(assistant.corpus.sections)
    doc_id, section = data.draw(st.sampled_from(sections))
    words = fold(" ".join(assistant.corpus.section(doc_id, section).paragraphs)).split() or ["tilskud"]
    focus = " ".join(data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=8)))
    types = tuple(data.draw(st.lists(st.sampled_from(["when", "how_much", "who", "may", "what"]), max_size=2)))
    vector = assistant.retriever.embed_question(focus)
    citation = assistant.pipeline.quoter.quote(doc_id, section, focus, vector, types)
    if citation is not None:
        assert is_verbatim(assistant.corpus, doc_id, section, citation.quote), citation.quote
        assert all(piece for piece in quote_pieces(citation.quote))


def test_a_sentence_a_section_says_twice_is_quoted_once(assistant):
    """A table row and the item below it may say the same sentence ("5. Udlejningsaftaler … – Ansøger skal have
    indgået en eller flere udlejningsaftaler …" and "Ansøger skal have indgået …"): asked about it, the quote
    holds it once, not twice with "…" between."""
    from assistant.pipeline.compose import quoted_sentences

    checked = 0
    for doc_id, section in sorted(assistant.corpus.sections):
        units = assistant.pipeline.quoter.units(doc_id, section)
        sentences = [" ".join(u.text[a:b].split()) for u in units for a, b in u.spans]
        repeated = [t for t in sentences if len(t) >= 40 and sum(t in other for other in sentences) >= 2]
        for sentence in repeated[:2]:
            citation = assistant.pipeline.quoter.quote(
                doc_id, section, fold(sentence), assistant.retriever.embed_question(sentence), ()
            )
            quoted = [" ".join(t.split()) for t in quoted_sentences(citation.quote)]
            assert not any(a in b for i, a in enumerate(quoted) for j, b in enumerate(quoted) if i != j), (
                doc_id,
                section,
                citation.quote,
            )
            checked += 1
    assert checked


def test_every_eval_question_quotes_verbatim_and_starts_with_its_early_lead(assistant):
    """Over the dev and test sets, every quote shown stands verbatim in its cited section, and a lead heard
    early (streamed before the quotes) is how the finished answer starts, unless the guard withheld it."""
    checked = led = 0
    for name in ("dev.jsonl", "test.jsonl"):
        for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            leads = []
            answer = assistant.ask(
                q["question"], pool=q["pool"], history=q["history"], now=q["now"] or NOW, on_lead=leads.append
            )
            for c in answer.citations:
                assert is_verbatim(assistant.corpus, c.doc_id, c.section, c.quote), (q["id"], c.quote)
                checked += 1
            # «» in the answer text promise guideline text too: a quote, or a cited section's title.
            for span in re.findall(r"«([^»]*)»", answer.answer):
                assert any(
                    is_verbatim(assistant.corpus, c.doc_id, c.section, span) or f"«{span}»" in c.label
                    for c in answer.citations
                ), (q["id"], span)
            assert len(leads) <= 1, q["id"]
            if leads:
                assert answer.answer.startswith(leads[0]) or answer.answer == WITHHELD, (q["id"], leads[0])
                led += 1
    assert checked >= 300 and led >= 50


def test_no_test_file_contains_an_eval_question():
    # Two- to four-word questions ("Hvem kan søge?") are everyone's; a longer one in a test means an eval
    # question was copied into it.
    questions = set()
    for path in (ROOT / "evals").glob("*.jsonl"):
        questions |= {
            q
            for line in path.read_text(encoding="utf-8").splitlines()
            if len((q := json.loads(line)["question"]).split()) >= 5
        }
    for test_file in (ROOT / "tests").rglob("*.py"):
        text = test_file.read_text(encoding="utf-8")
        found = [q for q in questions if q in text]
        assert not found, f"{test_file.name} contains eval questions: {found[:3]}"


# -- the lexicon: every entry is data, validated, and each new one serves several phrasings --------------


def test_every_intent_names_registered_keys_and_matches_its_own_terms():
    keys = load_keys()
    for intent in load_intents():
        assert set(intent.keys) <= set(keys)
        for term in (*intent.topic, *intent.topic_still):
            written = "transport" + fold(term) if term.startswith("-") else fold(term)  # "-posten": a compound's end
            assert term_pattern((*intent.topic, *intent.topic_still), inside_words=True).search(written), term


@pytest.mark.parametrize(
    ("name", "phrasings"),
    [
        (
            "frist",
            [
                "Is it still possible to apply?",
                "Er det stadig muligt at søge puljen?",
                "Is it still possible for our municipality to send the application today?",
            ],
        ),
        (
            "puljebeloeb",
            ["How big is the pool?", "What is the size of the pool for this round?", "Tell me the pool size, please."],
        ),
        (
            "tilskudsstoerrelse",
            [
                "Hvad er det største tilskud man kan få?",
                "Hvor meget kan vi maksimalt søge?",
                "What is the maximum grant?",
            ],
        ),
        (
            "svar_paa_ansoegning",
            ["Hvornår får vi svar?", "Hvornår kan vi forvente en afgørelse?", "When will we hear back?"],
        ),
        (
            "svar_paa_ansoegning",
            ["Hvornår kan man forvente at få tilsagn?", "Hvornår kommer tilsagnene?", "Hvornår sendes tilsagn ud?"],
        ),
        (
            "svar_paa_ansoegning",
            ["When will we get answer?", "When will we get a decision?", "When do we receive a decision?"],
        ),
        ("udbetaling", ["Hvornår udbetales tilskuddet?", "Hvornår får vi pengene?", "When is the grant paid out?"]),
        # instalments: how the money comes, asked without "udbetale"
        (
            "udbetaling",
            ["Kommer pengene som en rate om året?", "Hvornår kommer pengene?", "When are the instalments paid?"],
        ),
        (
            "projektperiode",
            [
                "Hvornår skal hele tilskuddet senest være brugt?",
                "Hvornår skal pengene så bruges?",
                "What is the grant period?",
            ],
        ),
        (
            "projektperiode",
            [
                "If we get money, from when to when can we use it?",
                "When can we use the grant?",
                "Fra hvornår til hvornår må vi bruge pengene?",
            ],
        ),
        (
            "projektstart",
            ["Hvornår starter projekterne?", "Hvornår skal projektet begynde?", "What is the project start date?"],
        ),
        ("aarsnorm", ["Hvad giver det i timen?", "Hvilken timesats skal vi bruge?", "What are the annual hours?"]),
        (
            "husleje",
            ["Hvad må huslejen højst være?", "Hvornår er en bolig en egnet bolig?", "Is there a cap on the rent?"],
        ),
        (
            "vejledning_dato",
            [
                "Hvilken dato er vejledningen udstedt?",
                "Hvornår er vejledningen dateret?",
                "When was the guideline issued?",
            ],
        ),
        (
            "projektlaengde",
            [
                "Hvor mange måneder må projektet vare?",
                "Hvor længe kan projektet løbe?",
                "How long can the project run?",
            ],
        ),
        ("frist", ["Hvornår er ansøgningsfristen?", "Kan vi mon stadig nå at søge?", "What is the deadline?"]),
        (
            "projektperiode",
            ["I hvilken periode skal pengene bruges?", "Which period does the grant cover?", "What period is it for?"],
        ),
        (
            "frist",
            [
                "Hvornår er sidste chance for at søge?",
                "Hvad er sidste chance for at få ansøgningen ind?",
                "When is the last chance to apply?",
            ],
        ),
        (
            "projektstart",
            [
                "From when can we start spending the money?",
                "Hvornår må vi begynde at bruge pengene?",
                "Hvornår kan vi tage midlerne i brug?",
            ],
        ),
        (
            "overfoersel",
            [
                "If some of the grant is unspent in December, what happens?",
                "Can money left over be used next year?",
                "What do we do with leftover funds?",
                "Can the rest be carried over?",
                "Is carrying over allowed?",
                "Can it be carried forward to next year?",
            ],
        ),
        (
            "overfoersel",
            [
                "Vi har 55.000 kr. tilbage ved årets udgang – hvad gør vi?",
                "Må vi tage pengene med over i næste projektår?",
                "Kan resten flyttes over til næste år?",
            ],
        ),
        (
            "projektperiode",
            [
                "Hvornår skal projektet ligge?",
                "Hvornår må projektet foregå?",
                "When does the project have to take place?",
            ],
        ),
        (
            "tilskudsstoerrelse",
            ["Hvad er det maksimale tilskud?", "Findes der et maksimumsbeløb?", "Hvor stort er maksimumbeløbet?"],
        ),
        (
            "mindste_tilskud",
            [
                "Er der et minimumbeløb?",
                "Hvad er det minimale tilskud, man kan søge?",
                "Er der et minimum for, hvor lidt man kan søge?",
            ],
        ),
        (
            "budgetaendring",
            [
                "Our rent budget line is too small – can we raise it?",
                "Can a budget item go up by DKK 5,000?",
                "Is approval needed to change a line item?",
            ],
        ),
    ],
)
def test_intent_entries_serve_several_phrasings(name, phrasings):
    intent = next(i for i in load_intents() if i.name == name)
    terms = (*intent.topic, *intent.topic_still, *intent.topic_with_type)  # the last asked with a type they answer
    for phrasing in phrasings:
        assert term_pattern(terms, inside_words=True).search(fold(phrasing)), phrasing


@pytest.mark.parametrize(
    ("word", "phrasings", "danish"),
    [
        ("laptop", ["Can we buy a laptop?", "Is a laptop an eligible cost?", "laptop for the caretaker"], "computer"),
        ("vat", ["Is VAT covered?", "Can we include VAT in the budget?", "Do you pay the VAT?"], "moms"),
        (
            "mileage",
            [
                "How much is the mileage rate in kroner?",
                "What mileage allowance can we budget?",
                "What rate per kilometre do we use for driving?",
            ],
            "kilometer",
        ),
        ("email", ["Can we apply by email?", "Send it by email?", "Is email accepted?"], "mail"),
        # Inflected forms reach the entry too ("renovating" → "renovate").
        (
            "renovate",
            ["Can we renovate our hall?", "Is renovating the rooms covered?", "We plan to refurbish the flats"],
            "renovering",
        ),
        ("unspent", ["Some money is unspent", "What about leftover funds?", "Can leftovers be moved?"], "uforbrugt"),
        ("voucher", ["Can we hand out vouchers?", "Gift cards for participants?", "Are gifts allowed?"], "gavekort"),
        ("course", ["Can volunteers attend a course?", "Courses for staff?", "Is training covered?"], "kursus"),
        ("overhead", ["Can we charge overhead?", "Is an overhead fee allowed?", "overheads in the budget"], "overhead"),
        ("debt", ["Can the grant pay our debt?", "We have debts", "Can it cover a deficit?"], "gæld"),
        ("tenant", ["Who are the tenants?", "Must the tenant be referred?", "residents of the estate"], "beboere"),
        ("flat", ["Does the flat count?", "Which flats are suitable?", "an apartment for the family"], "bolig"),
        ("region", ["How many regions?", "We are in one region only", "branches in three regions"], "regioner"),
        ("suitable", ["Which flats are suitable?", "What makes a home suitable?", "suitable housing"], "egnede"),
        ("nationwide", ["Are we nationwide?", "a national association", "nationwide reach"], "landsdækkende"),
        ("participants", ["How many participants?", "Must participants pay?", "each participant"], "deltage"),
        # What a project's main purpose may not be, and the words for a main aim.
        ("health", ["health work with young people", "Is a health project OK?", "We do health checks"], "sundhed"),
        ("education", ["education for young people", "Our aim is education", "Is education covered?"], "uddannelse"),
        (
            "integration",
            ["integration of refugees", "We work with integration", "Is integration a purpose?"],
            "integration",
        ),
        ("aim", ["Our main aim is jobs", "the goal of the project", "What are your goals?"], "formål"),
        ("mainly", ["We mainly do sport", "primarily for families", "our primary aim"], "primære"),
        ("admin", ["a 7% admin fee", "Can we charge administration costs?", "admin overhead"], "administrationsbidrag"),
        (
            "unforeseen",
            ["a buffer for unforeseen costs", "Can we add a contingency line?", "a small buffer in the budget"],
            "uforudsete",
        ),
    ],
)
def test_english_glossary_entries_serve_several_phrasings(word, phrasings, danish):
    from assistant.glossary import document_terms

    for phrasing in phrasings:
        assert danish in document_terms(phrasing), phrasing


@pytest.mark.parametrize(
    ("kind", "phrasings"),
    [
        ("own_case", ["Har I modtaget min ansøgning?", "Hvad er status på vores sag?", "Will we get the money?"]),
        (
            "own_case",
            ["Har I udbetalt vores tilskud endnu?", "Er vores tilskud udbetalt?", "Have you paid out our grant?"],
        ),
        (
            "own_case",
            ["Får vi tilsagn?", "Har I givet os tilsagn endnu?", "Were we approved?", "Er vores tilsagn kommet?"],
        ),
        (
            "own_case",
            [
                "Can you tell me whether our application was approved?",
                "Has our application been received yet?",
                "Was my application rejected?",
            ],
        ),
        ("tax", ["Er tilskuddet skattefrit?", "Skal vi betale skat?", "Is the grant subject to tax?"]),
        (
            "service_request",
            [
                "Kan du anbefale en god konsulent i Aalborg?",
                "Vil du skrive ansøgningen for os?",
                "Can you recommend an accountant for our audit?",
            ],
        ),
        ("personal_support", ["Kan jeg få kontanthjælp?", "Jeg søger boligstøtte", "Can I get support for myself?"]),
        (
            "personal_support",
            [
                "Jeg er lige flyttet ind efter en periode som hjemløs. Kan jeg søge om penge til møbler hos jer?",
                "Kan jeg få penge til en ny seng?",
                "Can I get money for a deposit on my new flat?",
            ],
        ),
        (
            "personal_support",
            [
                "Min søster mangler penge – kan hun søge?",
                "Kan I hjælpe mig med mit indskud?",
                "Min far er blevet sat ud af sin bolig, kan han søge hjælp hos jer?",
            ],
        ),
        (
            "personal_support",
            [
                "Jeg er bange for at blive smidt ud af min lejlighed – kan I hjælpe?",
                "Min udlejer vil opsige mig, kan jeg få en social vicevært?",
                "I might be evicted next month, can the caretaker pool help me?",
            ],
        ),
    ],
)
def test_out_of_scope_classes_serve_several_phrasings(kind, phrasings):
    terms = load_lexicon().out_of_scope[kind].terms
    for phrasing in phrasings:
        assert find_terms(terms, fold(phrasing)), phrasing


@pytest.mark.parametrize(
    ("kind", "question"),
    [
        # "Får vi penge?" asks about one's own case; how a grant is paid the guidelines answer
        ("own_case", "Hvornår får vi pengene udbetalt?"),
        ("own_case", "Får vi pengene på én gang eller i rater?"),
        ("own_case", "When will we get the money paid out?"),
        # "Kan jeg søge om penge …" is a private person's question unless the organisation or project is named
        ("personal_support", "Kan jeg søge om penge til vores forenings projekt?"),
        ("personal_support", "Kan jeg få støtte til en computer til projektet?"),
        ("personal_support", "Can I apply for money for our association's group courses?"),
    ],
)
def test_an_out_of_scope_class_excludes_keep_the_question_in_scope(assistant, kind, question):
    """A phrase of the class's excludes (lexicon.yaml) makes the question one the guidelines answer after all."""
    found = load_lexicon().out_of_scope[kind]
    assert find_terms(found.excludes, fold(question)), question
    answer = assistant.ask(question, now=NOW)
    assert found.answer not in answer.answer and not answer.abstained, answer.answer
    assert not found.answer_en or found.answer_en not in answer.answer, answer.answer


def test_ones_own_case_is_still_out_of_scope(assistant):
    assert assistant.ask("Får vi penge?", now=NOW).abstained
    assert assistant.ask("Har I udbetalt vores tilskud endnu?", now=NOW).abstained  # their own case


# -- classes found by the judged fresh questions ------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår skal samarbejdsaftalen med kommunen være underskrevet?",
        "Er der en dato for, hvornår samarbejdsaftalen skal sendes ind?",
        "Hvornår starter projekterne?",
    ],
)
def test_a_date_that_has_passed_is_said_to_have_passed(assistant, question):
    pool = _pool_with_fact(assistant, "samarbejdsaftale_frist")[0]
    answer = assistant.ask(question, pool=pool, now=NOW)
    assert "passeret" in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("text", "folded", "written"),
    [
        ("Hvor mange timer skal vi tælle?", "taelle", "tælle"),
        ("Må vi købe møbler?", "moebler", "møbler"),
        ("Kan vi få forplejning?", "forplejning", "forplejning"),
    ],
)
def test_words_are_named_as_the_user_wrote_them(text, folded, written):
    from assistant.pipeline import surface_word

    assert surface_word(text, folded) == written


def test_a_pool_written_as_an_ordning_is_found(pools):
    matcher = PoolMatcher(pools)
    for pool, spec in pools.items():
        head = fold(spec.short_name).split()
        words = [w for w in head if not w.isdigit()]
        if len(words) != 1:  # "viceværtordningen" is built from a one-word topic head
            continue
        assert matcher.pools(f"Hvad med {words[0]}ordningen?") == [pool]


def test_a_word_only_one_pools_name_uses_scopes_the_answer(assistant):
    for pool, tokens in assistant.pipeline.name_tokens.items():
        for token in sorted(tokens)[:3]:
            for question in (
                f"Hvornår er fristen for {token}?",
                f"Hvad er ansøgningsfristen, når det gælder {token}?",
                f"When is the deadline for {token}?",
            ):
                answer = assistant.ask(question, now=NOW)
                docs = {c.doc_id for c in answer.citations}
                own = {d.meta.doc_id for d in assistant.corpus.documents if d.meta.pool in (pool, None)}
                assert docs <= own, (token, question, docs)


# -- classes found by this session's judged fresh questions --------------------------------------------


@pytest.mark.parametrize(
    "phrasing",
    ["Hvilken timenorm gælder for en fuldtidsansat?", "Hvor mange normtimer regner I med?", "Er timenormen 1.700?"],
)
def test_a_working_hours_norm_asked_in_other_words_is_the_aarsnorm(phrasing):
    intent = next(i for i in load_intents() if i.name == "aarsnorm")
    assert term_pattern(intent.topic, inside_words=True).search(fold(phrasing)), phrasing


@pytest.mark.parametrize(
    "phrasing",
    [
        "At what point is the final report due?",
        "What point in time do the projects begin?",
        "Which month are grants paid?",
    ],
)
def test_at_what_point_asks_when(phrasing):
    from assistant.pipeline.understand import question_types

    assert "when" in question_types(fold(phrasing), load_lexicon()), phrasing


@pytest.mark.parametrize(
    "phrasing",
    ["Hvad er statens lave takst i kroner?", "Hvad bliver det i kroner om året?", "What is the rate in kroner?"],
)
def test_asked_in_kroner_asks_an_amount(phrasing):
    """ "… i kroner?" asks an amount: where the documents give none ("statens lave takst"), that is said plainly."""
    from assistant.pipeline.understand import question_types

    assert "how_much" in question_types(fold(phrasing), load_lexicon()), phrasing


@pytest.mark.parametrize(
    "phrasing",
    ["Hvor mange mio. er der at søge?", "Hvor mange millioner er afsat?", "hvor mange kr kan vi få i alt"],
)
def test_how_many_millions_asks_an_amount(phrasing):
    from assistant.pipeline.understand import question_types

    assert "how_much" in question_types(fold(phrasing), load_lexicon()), phrasing


@pytest.mark.parametrize(
    "phrasing", ["How large is the grant we can get?", "How large can the budget be?", "how large is the pool"]
)
def test_how_large_asks_an_amount(phrasing):
    from assistant.pipeline.understand import question_types

    assert "how_much" in question_types(fold(phrasing), load_lexicon()), phrasing


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Hvornår er fristen? Og hvor mange penge er der i puljen?", 2),
        ("Hvornår er fristen, og hvor meget er der afsat i alt?", 2),
        ("hvornår lukker den og hvor mange penge er der", 2),
        ("Hvornår er fristen og kan vi sende den på mail?", 2),
        ("What is the deadline and can we apply by post?", 2),
        ("Hvad må vi købe, og skal vi have en revisor?", 2),
        ("Hvor meget kan vi højst få – og er der et loft for materiel?", 2),
        ("Hvornår lukker puljen, og findes der en skabelon til budgettet?", 2),
        ("How much can we apply for and is there a minimum?", 2),
        ("Hvornår er fristen? Er det kl. 12?", 1),  # the second piece asks nothing new
        ("Vi er en forening i Aalborg. Hvornår er fristen?", 1),  # a lead-in is context
        # After the question, a sentence that tells (even with "højst", "max") is context for it.
        ("Hvor mange frivillige skal vi have? Vi er en lille forening og kan højst samle 10", 1),
        ("hvor meget kan vi søge? vi har et budget på max 200.000 kr i alt", 1),
        ("Hvornår skal vi søge? Vores bestyrelse mødes først i maj og skal godkende mindst to gange", 1),
        # After a comma, "og" + a question verb starts a question whatever its subject.
        ("Skal forældrene give samtykke, og må børn og forældre være i samme gruppe?", 2),
        ("Kan kommunen søge, og skal boligselskabet underskrive noget?", 2),
        ("Er udgifter til husleje dækket, og kan lønnen til en koordinator også søges?", 2),
        # Two question words joined by "og" ask one question of one thing.
        ("Hvis vi får tilskud – hvornår og hvordan bliver det udbetalt?", 1),
        ("Hvornår og hvordan skal slutrapporten sendes?", 1),
        ("When and how is the grant paid out?", 1),
        # After a comma, a verb before its pronoun subject asks yes or no: a question of its own …
        ("Hvor meget er der afsat, deles det ligeligt, og giver det mening at søge som lille forening?", 3),
        ("Hvornår starter projekterne, varer de i to år?", 2),
        ("Hvem kan søge, gælder det også frivilligcentre?", 2),
        # … but not after a clause that only sets the scene, nor where the word joins a clause ("efter vi …")
        ("Hvis vi får tilskud, gælder det så også næste år?", 1),
        ("Hvor meget kan vi søge, når vi er en lille forening?", 1),
        ("Kan vi søge igen, efter vi har fået afslag?", 1),
    ],
)
def test_a_message_is_split_into_the_questions_it_asks(text, count):
    from assistant.pipeline.understand import split_parts

    assert len(split_parts(text, load_lexicon())) == count, split_parts(text, load_lexicon())


@pytest.mark.parametrize(
    "question",
    [
        "Skal beløbene i budgettet være inkl. moms?",
        "Kan beløbet til revision tages med i budgettet?",
        "Må udgifterne til materiel være højere end loftet, hvis vi selv betaler resten?",
    ],
)
def test_a_question_opened_by_a_modal_verb_asks_yes_or_no_whatever_amount_it_names(question):
    """ "Skal beløbene være inkl. moms?" names an amount but asks yes or no: an answer that says the guideline gives
    no amount would answer another question. "Er der et loft …?" asks whether there is one: an amount question."""
    from assistant.pipeline.understand import question_types

    assert "yesno" in question_types(fold(question), load_lexicon(), question), question
    assert "yesno" not in question_types(fold("Er der et loft over tilskuddet?"), load_lexicon(), "Er der et loft?")


@pytest.mark.parametrize(
    "question",
    [
        "Hvad kan vi ikke bruge pengene til?",
        "Hvilke udgifter må tilskuddet anvendes til?",
        "What can the grant not be spent on?",
    ],
)
def test_what_for_is_a_purpose_question_that_no_date_or_amount_answers(assistant, question):
    """ "Hvad … til?" asks what the money is for: the project period ("pengene bruges i perioden …") does not
    answer it, whatever phrase of the period's intent it shares."""
    from assistant.pipeline.understand import question_types

    types = question_types(fold(question), load_lexicon(), question)
    assert "purpose" in types and "what" not in types, types
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.facts, (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Hvornår er fristen for {name}? Og hvor mange penge er der i puljen?",
        "hvornår lukker {name}, og hvor meget er der afsat i alt",
        "What is the deadline for {name}, and how much money is in the pool?",
    ],
)
def test_two_facts_asked_in_one_message_are_both_answered(assistant, template):
    pools = set(_pool_with_fact(assistant, "ansoegningsfrist")) & set(_pool_with_fact(assistant, "puljebeloeb"))
    assert pools
    for pool in pools:
        answer = assistant.ask(template.format(name=assistant.specs[pool].short_name), now=NOW)
        assert {"ansoegningsfrist", "puljebeloeb"} <= {f.key for f in answer.facts}, answer.answer


@pytest.mark.parametrize(
    "template",
    [
        "Hvornår er fristen for {name}, og hvad skal vi sende med?",
        "Hvornår lukker {name}? Og hvordan indsender vi ansøgningen?",
        "hvornår er sidste frist for {name} og hvad skal ansøgningen indeholde",
    ],
)
def test_a_later_part_asking_another_thing_is_not_given_the_earlier_parts_fact(assistant, template):
    # The later part shares the earlier one's topic, not its question: answered with the deadline again, it is
    # dropped as a repeat and the message's second question goes unanswered.
    for answer in _ask_each_pool_with(assistant, "ansoegningsfrist", template):
        deadline = next(f for f in answer.facts if f.key == "ansoegningsfrist")
        assert any(c.quote != deadline.quote for c in answer.citations), answer.answer
        assert answer.answer.count("«") >= 2, answer.answer


def _implied_pool_words(assistant) -> dict[str, str]:
    """Per pool, a word of its documents (no æøå) that starts with a word of its name, that no other pool's
    documents use and that the pool matcher does not take for a name ("vicevaertens"): it only implies the pool."""
    pipeline = assistant.pipeline
    found = {}
    for pool, tokens in pipeline.name_tokens.items():
        words = [
            w
            for w in pipeline.pool_words[pool]
            if w.isascii()
            and w.isalpha()
            and any(w.startswith(t) for t in tokens)
            and not pipeline.matcher.pools(w)
            and not any(w in pipeline.pool_words[other] for other in pipeline.specs if other != pool)
        ]
        if words:
            found[pool] = max(sorted(words), key=len)
    return found


@pytest.mark.parametrize(
    "template",
    [
        "Må vi bruge midler på løn til kommunens folk i {w}? Og må pension regnes med i lønnen?",
        "Kan de kommunale medarbejdere i {w} få løn fra projektet? Og hvad med pension?",
        "kan kommunale partnere i {w} få løn af tilskuddet, og må lønnen indeholde pension",
    ],
)
def test_a_later_part_keeps_the_pool_the_earlier_part_was_answered_for(assistant, template):
    # "Og må pension regnes med?" names no pool; after a part answered for one, it asks of that one.
    words = _implied_pool_words(assistant)
    assert len(words) >= 2
    for pool, word in words.items():
        answer = assistant.ask(template.format(w=word), now=NOW)
        pools = {assistant.corpus.by_id[c.doc_id].meta.pool for c in answer.citations}
        assert pools == {pool}, (word, answer.answer)


@pytest.mark.parametrize(
    "follow_up",
    [
        "Hvem skal skrive under på den, og hvornår skal den ligge klar?",
        "Hvem underskriver den? Og hvornår skal den være indsendt?",
        "hvem skriver under på den og hvornår skal vi sende den",
    ],
)
def test_each_part_of_a_pronoun_follow_up_keeps_the_conversations_topic(assistant, follow_up):
    # Both parts lean on "den" of the turn before the message: the later part reads the earlier one as it was
    # understood (with that turn), not as the bare words "Hvem skal skrive under på den".
    history = [{"role": "user", "content": "Skal vores samarbejdsaftale med kommunen være underskrevet, når vi søger?"}]
    answer = assistant.ask(follow_up, history=history, now=NOW)
    assert "oplyser ikke" not in answer.answer, answer.answer
    assert answer.citations, answer.answer
    for c in answer.citations:
        assert "samarbejdsaftale" in fold(assistant.corpus.section(c.doc_id, c.section).text), c


@pytest.mark.parametrize(
    "template",
    [
        "Hvor længe må et {name}-projekt vare, og fra hvornår?",
        "Hvor mange måneder kan et {name} projekt løbe? Og hvornår skal midlerne være anvendt?",
        "hvor lang tid kan et {name} projekt vare og fra hvornaar",
    ],
)
def test_a_pool_name_inside_a_topic_and_an_elliptic_second_question(assistant, template):
    pools = set(_pool_with_fact(assistant, "projektperiode_maks_maaneder")) & set(
        _pool_with_fact(assistant, "projektperiode")
    )
    assert pools
    for pool in pools:
        name = fold(assistant.specs[pool].short_name).split()[0]
        answer = assistant.ask(template.format(name=name), now=NOW)
        assert {"projektperiode_maks_maaneder", "projektperiode"} <= {f.key for f in answer.facts}, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Jeg er pensionist og mangler penge. Kan jeg søge, og er det skattefrit?",
        "Kan jeg få kontanthjælp gennem jer, og skal jeg betale skat af den?",
        "Can I get support for myself, and is it subject to tax?",
    ],
)
def test_every_out_of_scope_kind_a_message_names_is_answered(assistant, question):
    answer = assistant.ask(question, now=NOW)
    lexicon = load_lexicon()
    for kind in ("tax", "personal_support"):
        assert lexicon.out_of_scope[kind].answer in answer.answer, (kind, answer.answer)
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize(
    "question",
    [
        "Hvor højt er loftet for materiel?",
        "Hvor meget må vi højst bruge på udstyr?",
        "Er der et maksimum for materiel?",
    ],
)
def test_no_pool_named_and_a_fact_only_some_pools_state_names_the_others_as_silent(assistant, question):
    """Each pool that does not state the fact is named as silent on it; a question back only where the pools that
    state it state different values (where they agree, the answer does not depend on the pool)."""
    missing = _pool_without_fact(assistant, "materiel_loft")
    assert missing and _pool_with_fact(assistant, "materiel_loft")
    answer = assistant.ask(question, now=NOW)
    lines = answer.answer.splitlines()
    for pool in missing:
        name = assistant.specs[pool].short_name
        assert any(name in line and "oplyser ikke" in line for line in lines), answer.answer
    values = {
        entry.display
        for p in _pool_with_fact(assistant, "materiel_loft")
        for entry in assistant.pool_facts[p].facts
        if entry.key == "materiel_loft"
    }
    assert bool(answer.clarification) == (len(values) > 1), answer.answer


@pytest.mark.parametrize("question", ["Hvornår er fristen?", "Hvornår skal vi senest søge?", "When is the deadline?"])
def test_a_deadline_known_only_from_an_earlier_round_is_no_current_deadline(assistant, question):
    from datetime import datetime

    from assistant.pipeline.rules import local_deadline

    now = datetime.fromisoformat(NOW)
    pools = [
        p
        for p, f in assistant.pool_facts.items()
        if (entries := [e for e in f.facts if e.key == "ansoegningsfrist"])
        and all(e.round and local_deadline(e.value, now) < now for e in entries)
    ]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        lead = answer.answer.split("\n\n")[0]  # the answer first, in English too
        assert ("oplyser ikke" in lead and "passeret" in lead) or ("does not state" in lead and "passed" in lead), lead
        assert "Fristen er overskredet" not in answer.answer


@pytest.mark.parametrize(
    "template",
    [
        "Kan en kommune søge {name}?",
        "Må et frivilligcenter søge {name}?",
        "kan en forening soege {name}",
        "Kan vores forening søge {name}?",
        "Må jeres frivilligcenter søge {name}?",
        "kan min forening soege {name}",
    ],
)
def test_who_may_apply_asked_with_an_article_and_a_subject_is_the_applicant_circle(assistant, template):
    pools = _pool_with_fact(assistant, "ansoegerkreds")
    assert pools
    for pool in pools:
        answer = assistant.ask(template.format(name=assistant.specs[pool].short_name), now=NOW)
        assert "ansoegerkreds" in {f.key for f in answer.facts}, answer.answer


def _rare_section_words(assistant, pool: str) -> list[tuple[str, str]]:
    """(word, section) of a pool: uncommon words that one section of the pool's documents alone uses, in any
    inflection."""
    from wordfreq import zipf_frequency

    texts = {
        f"{doc_id}#{section}": re.sub(r"https?://\S+", " ", s.text.lower())  # a link's words are no prose
        for (doc_id, section), s in assistant.corpus.sections.items()
        if s.pool == pool
    }
    words = sorted({w for text in texts.values() for w in re.findall(r"[a-zæøå]{9,}", text)})
    found = []
    for word in words:
        where = [k for k, text in texts.items() if re.search(rf"\b{word[:-2]}", text)]
        if len(where) == 1 and zipf_frequency(word, "da") < 2.5:
            found.append((word, where[0]))
    return found[:: max(len(found) // 3, 1)][:3]


@pytest.mark.parametrize(
    "template", ["Må vi bruge penge på {w}?", "Hvad siger vejledningen om {w}?", "{w} – gælder det os?"]
)
def test_an_uncommon_word_only_one_section_uses_finds_that_section(assistant, template):
    for pool in assistant.specs:
        for word, where in _rare_section_words(assistant, pool):
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            cited = {f"{c.doc_id}#{c.section}" for c in answer.citations}
            assert where in cited or answer.facts, (word, where, cited)


@pytest.mark.parametrize(
    "question",
    [
        "Hvor meget kan vi højst få i tilskud?",
        "Er der et maksimum for, hvor meget man kan få?",
        "What is the largest grant?",
    ],
)
def test_a_missing_figure_is_not_shown_beside_another_rules_figure(assistant, question):
    from assistant.pipeline.compose import _FIGURE_OF_KIND

    pools = _pool_without_fact(assistant, "tilskud_maks")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke" in answer.answer or "does not state" in answer.answer, answer.answer
        nearest = [p for p in answer.answer.split("\n\n") if p.startswith("Det nærmeste")]
        assert not any(_FIGURE_OF_KIND.search(p) for p in nearest), answer.answer


@pytest.mark.parametrize(
    "template",
    ["Må vi bruge tilskuddet på en {w} til deltagerne?", "Kan udgifter til {w} indgå i budgettet?", "{w} – må vi det?"],
)
def test_a_thing_the_guidelines_never_name_is_said_to_be_not_stated_even_beside_a_related_passage(assistant, template):
    retriever = assistant.pipeline.retriever
    for word in ("hoppeborg", "studietur", "juletræ"):
        assert not retriever.known_word(fold(word)), word
        for pool in assistant.specs:
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            assert f"oplyser ikke noget om {word}" in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Må vi bruge penge på kursus for medarbejderne i {p}, fx i {w}?",
        "Er et kursus i {w} for projektlederen tilskudsberettiget i {p}?",
        "kan vi faa daekket kurser i {w} til medarbejderne i {p}",
    ],
)
def test_a_detail_the_guidelines_never_name_beside_a_thing_they_do_is_answered_with_the_rule(assistant, template):
    """ "kursus, fx i konfliktløsning": the guidelines never name the detail, but their rule on courses answers;
    it is shown, and the unnamed detail is said to be unnamed, not the whole question to be unanswered."""
    retriever = assistant.pipeline.retriever
    # The pools whose vejledning excludes courses for anyone (not only "for frivillige").
    pools = [
        d.meta.pool
        for d in assistant.corpus.documents
        if d.meta.kind == "vejledning"
        and re.search(r"Generelle uddannelses- og kursusaktiviteter\.", " ".join(s.text for s in d.sections))
    ]
    assert pools
    for word in ("konfliktløsning", "coaching", "mindfulness"):
        assert not retriever.known_word(fold(word)), word
        for pool in pools:
            answer = assistant.ask(template.format(w=word, p=assistant.specs[pool].short_name), now=NOW)
            assert f"oplyser ikke noget om {word}" not in answer.answer, (pool, answer.answer)
            assert f"nævner ikke {word} særskilt" in answer.answer, (pool, answer.answer)
            assert "kursusaktiviteter" in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize("template", ["Hvad er {t}?", "Hvad gælder for {t}?", "What about {t}?"])
def test_each_pools_line_in_a_per_pool_answer_cites_that_pools_own_document(assistant, template):
    """ "Det afhænger af puljen:" lists each pool's fact with its source; two facts of one section share one
    quote, and a listing that paired facts with the deduplicated quotes cited another pool's vejledning for
    the last ones. Every intent's topic, asked of no pool."""
    titles = {d.meta.short_title: d.meta.pool for d in assistant.corpus.documents}
    names = {spec.short_name: pool for pool, spec in assistant.specs.items()}
    checked = 0
    for intent in assistant.pipeline.intents:
        answer = assistant.ask(template.format(t=intent.topic[0]), now=NOW)
        for line in answer.answer.split("\n"):
            m = re.match(r"^- (.+?)(?: \(runden \d{4}\))?: .* \(([^()]+)\)$", line)
            if not m or m.group(1) not in names:
                continue
            title = next((t for t in titles if m.group(2).startswith(t)), None)
            assert title is not None, line
            assert titles[title] == names[m.group(1)], (intent.name, line)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    "template",
    [
        "Kan vi stadig søge {p}, selv om vi allerede samarbejder med en kommune og vil udvide samarbejdet?",
        "Vi har allerede et samarbejde med en kommune, men vil gerne udvide det. Kan vi stadig søge {p}?",
        "kan man stadig soege {p} hvis man allerede har et samarbejde med kommunen som man vil udvide",
    ],
)
def test_a_question_an_faq_was_asked_before_is_answered_by_its_answer_not_by_a_phrase_rule(assistant, template):
    """ "Kan vi *stadig søge* …" matches the deadline intent's phrase, but the FAQ was asked this very question
    ("Kan puljen søges, hvis vi allerede har et samarbejde med en kommune …?"): its answer answers it."""
    sections = [
        (s.doc_id, s.section)
        for s in assistant.retriever._index.sentences
        if not s.quotable and "allerede" in s.text and "samarbejde med en kommune" in s.text
    ]
    assert sections
    for doc_id, section in sections:
        pool = assistant.corpus.by_id[doc_id].meta.pool
        leads = []
        question = template.format(p=f"puljen til {fold(assistant.specs[pool].short_name)}")
        answer = assistant.ask(question, now=NOW, on_lead=leads.append)
        assert all(answer.answer.startswith(lead) for lead in leads), (leads, answer.answer)
        assert (answer.citations[0].doc_id, answer.citations[0].section) == (doc_id, section), answer.answer
        assert "ansøgningsfrist" not in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Vores aktiviteter foregår i én region – kan vi søge?",
        "Vi er ikke stærke til it, må vi sende på papir?",
        "Må vi låne et lokale af kommunen til møderne?",
    ],
)
def test_everyday_words_with_aeoeaa_are_not_things_the_guidelines_are_silent_about(assistant, question):
    for word in re.findall(r"\w+", question):
        _never_in_any_pools_answer(assistant, question, f"oplyser ikke noget om {word}")


def _never_in_any_pools_answer(assistant, question: str, text: str) -> None:
    """Asked on each pool's page, no answer says `text`."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert text not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Maximum rent for a suitable flat in the caretaker scheme?",
        "Which costs are eligible for funding in the partnership pool?",
        "Deadline for applications to the special social purposes pool?",
    ],
)
def test_english_with_few_function_words_is_english(question):
    from assistant.pipeline.understand import is_english

    assert is_english(question)


@pytest.mark.parametrize(
    ("question", "cost"),
    [
        ("En medarbejder på halv tid har en fuldtidsløn på 420.000 kr. Hvad bliver lønudgiften?", "210.000 kr."),
        ("Vi ansætter en koordinator på deltid på 60 %, fuldtidslønnen er 35.000 kr. om måneden.", "252.000 kr."),
        ("What is the salary cost of a part-time post at 50 % with a full-time salary of DKK 400,000?", "200.000 kr."),
        # the salary told in the first part, the share in the later one
        (
            "Hun får 480.000 kr. om året på fuld tid. Hvilken timesats skal vi bruge, og hvad bliver lønudgiften, hvis"
            " hun kun er på halv tid?",
            "240.000 kr.",
        ),
    ],
)
def test_a_part_time_posts_salary_cost_is_reckoned_from_the_full_time_salary(assistant, question, cost):
    """ "På halv tid" with a full-time salary asks what the post costs: its share of the årsnorm at the full-time
    hourly rate, for a whole project year."""
    checked = 0
    for pool in _pool_with_fact(assistant, "aarsnorm_timer"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert f"= {cost}" in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "When will we get answer if our municipality gets the grant?",
        "When will we get the money?",
        "When do we get a decision?",
    ],
)
def test_when_applicants_hear_or_are_paid_is_no_question_about_ones_own_case(assistant, question):
    """ "When will we get …?" asks when applicants hear back or are paid — the guidelines' matter, or a thing they
    do not state — not the status of the asker's own application."""
    from assistant.rules.lexicon import load_lexicon

    own_case = load_lexicon().out_of_scope["own_case"]
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert own_case.answer_en not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "We work in Greenland, can we apply to the pool for a project in Nuuk?",
        "Can a project on the Faroe Islands get a grant?",
        "Kan vi søge puljen til et projekt på Færøerne?",
        "Kan vi få tilskud til et projekt i udlandet?",
    ],
)
def test_a_project_placed_outside_denmark_finds_the_rule_that_excludes_it(assistant, question):
    """ "Projekter forankret i udlandet, Grønland og på Færøerne" stands in the lists of costs not covered: a
    question about a project there is answered by it, not by who may apply (a place qualifier blocks that fact)."""
    checked = 0
    for pool in assistant.specs:
        if not any(
            section.pool == pool and "Grønland og på Færøerne" in " ".join(section.paragraphs)
            for section in assistant.corpus.sections.values()
        ):
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "Grønland og på Færøerne" in answer.answer, (pool, answer.answer)
        assert not any(f.key == "ansoegerkreds" for f in answer.facts), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Kan puljen dække en lejers huslejerestance?",
        "Can the grant pay a tenant's rent arrears?",
        "Må vi dække en deltagers gæld?",
    ],
)
def test_paying_a_persons_arrears_or_upkeep_finds_the_costs_not_covered(assistant, question):
    """Arrears, debts and a person's own costs are the documents' "Dækning af underskud eller anden gæld" and
    "Støtte til enkeltpersoners underhold", in the list of costs the grant does not cover: that list is among the
    sources, and no yes is given."""
    checked = 0
    for pool in assistant.specs:
        listing = [
            key
            for key, section in assistant.corpus.sections.items()
            if section.pool == pool and re.search(r"anden gæld|enkeltpersoners underhold", " ".join(section.paragraphs))
        ]
        if not listing:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert {(c.doc_id, c.section) for c in answer.citations} & set(listing), (pool, answer.answer)
        # "Der kan ydes tilskud til … husleje" is the project's rent, not a person's own: no yes is read off it.
        assert not answer.answer.startswith(("Ja", "Yes")), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["Hvor tit skal gruppen mødes?", "How often must the group meet?", "Skal gruppen mødes hver uge?"],
)
def test_a_quote_from_the_guidelines_examples_is_said_to_be_an_example(assistant, question):
    """ "Gruppen mødes hver anden uge over 6 måneder" stands under "Eksempler på støtteegnede projekter:": shown
    as the answer to "how often must …", it reads as the rule unless the answer says it is an example."""
    from assistant.pipeline.compose import EXAMPLE_NOTE, EXAMPLE_NOTE_EN, from_examples

    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        shown = [c for c in answer.citations if f"«{c.quote}»" in answer.answer]
        listed = [c for c in shown if from_examples(c, assistant.corpus.section(c.doc_id, c.section).text)]
        said = EXAMPLE_NOTE in answer.answer or EXAMPLE_NOTE_EN in answer.answer
        assert said == bool(listed), (pool, answer.answer)
        checked += bool(listed)
    assert checked


@pytest.mark.parametrize(
    ("question", "who_may_apply"),
    [
        ("Hvem kan søge om sign on fee?", False),
        ("Who can apply for a sign-on fee?", False),
        ("Hvem kan søge om projektforlængelse?", False),
        ("Hvem kan søge om tilskud?", True),
        ("Who can apply for funding?", True),
        # the pool itself, named or not
        ("Who can apply for the caretaker scheme?", True),
        ("Who is eligible to apply for the partnership programme?", True),
        ("Who can apply for this scheme?", True),
    ],
)
def test_applying_for_another_thing_than_the_grant_is_not_asking_who_may_apply(assistant, question, who_may_apply):
    """ "Hvem kan søge om sign on fee?" asks who may get the fee; the pool's list of applicants answers only
    "hvem kan søge om tilskud/penge/midler" (the lexicon's money words)."""
    answer = assistant.ask(question, now=NOW)
    assert any(f.key == "ansoegerkreds" for f in answer.facts) is who_may_apply, answer.answer


@pytest.mark.parametrize(
    "question", ["Hvem kan søge om sign on fee?", "Hvor meget er en sign on fee på?", "Who can get a sign-on fee?"]
)
def test_a_facts_own_name_that_one_pools_documents_use_names_that_pool(assistant, question):
    """ "Sign on fee" is a phrase of short words, none of them rare, that only one pool's documents use: a question
    naming it is about that pool, and no other pool's passages or facts answer it."""
    answer = assistant.ask(question, now=NOW)
    pools = {assistant.corpus.document(c.doc_id).meta.pool for c in answer.citations}
    assert len(pools) == 1 and not answer.clarification, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "hvornår kommer styrelsens opsamling?",
        "Hvilke data skal vi samle ind, og hvornår kommer styrelsens opsamling?",
        "Hvornår bliver styrelsens opsamling lavet?",
    ],
)
def test_a_when_question_quotes_the_sentence_that_gives_the_time(assistant, question):
    """The sentence that names the thing best ("Til erfaringsopsamlingen skal styrelsen indsamle …") says no time;
    the section's sentence that does ("Erfaringsopsamlingen udarbejdes i 2028.") is quoted beside it — "opsamling"
    also counts inside "erfaringsopsamlingen"."""
    checked = 0
    for pool in assistant.specs:
        timed = [
            m.group(0)
            for (doc, _), section in assistant.corpus.sections.items()
            if assistant.corpus.document(doc).meta.pool == pool
            for m in re.finditer(r"[A-ZÆØÅ]\w*opsamlingen \w+ i \d{4}\.", " ".join(section.paragraphs))
        ]
        if not timed:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert any(t in answer.answer for t in timed), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "How much money can a single municipality get?",
        "How much money can an individual association get?",
        "Hvor mange penge kan en enkelt kommune få?",
    ],
)
def test_what_a_single_applicant_may_get_is_not_the_pools_total(assistant, question):
    """ "A single municipality" is one applicant: what one may get is asked, and the pool's total is no answer
    to it (it may stand beside "oplyser ikke et maksimalt beløb" as the total, not as the answer)."""
    _assert_no_pool_answers_with_fact(assistant, question, "puljebeloeb")


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange feriedage har en medarbejder på halv tid?",
        "Må projektlederen være ansat på deltid?",
        "Can a part-time employee be the project manager?",
    ],
)
def test_a_part_time_post_without_a_salary_told_asks_no_salary_reckoning(assistant, question):
    """ "På halv tid" names the årsnorm's reckoning only beside a salary: without one, it asks something else."""
    _assert_no_pool_answers_with_fact(assistant, question, "aarsnorm_timer")


def _assert_no_pool_answers_with_fact(assistant, question: str, key: str) -> None:
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not any(f.key == key for f in answer.facts), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange kroner pr. km må vi regne med for kørsel i egen bil?",
        "How much do we get per km for driving our own car?",
        "Hvor meget får man i kørselsgodtgørelse?",
    ],
)
def test_a_how_much_question_is_answered_by_the_rate_where_no_figure_is_given(assistant, question):
    """No kroner per km stand in the guideline; the sentence that says what rate the amount is reckoned by
    ("statens lave takst pr. km.") is the nearest answer, and it is quoted, not the item's opening sentence."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        rate = [
            sentence
            for key, section in assistant.corpus.sections.items()
            if answer.citations and key == (answer.citations[0].doc_id, answer.citations[0].section)
            for sentence in re.findall(r"[^.]*\btakst pr\. km\b[^.]*", " ".join(section.paragraphs))
        ]
        if not rate:
            continue
        assert "takst pr. km" in answer.citations[0].quote, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "turn",
    [
        "og hvis det er en kommune der søger, kan de så få momsen dækket?",
        "Hvad nu hvis det er kommunen, som søger – kan den få dækket moms?",
        "What if it is a municipality that applies – can it get VAT covered?",
    ],
)
def test_a_turn_that_puts_another_body_in_the_askers_place_drops_the_earlier_self_description(assistant, turn):
    """ "Vi er en forening" told in the turn before does not describe the asker of "og hvis det er en kommune, der
    søger …?": no "som forening kan I ikke søge" is put before the answer for the municipality."""
    before = "Vi er en forening uden momskompensation. Kan vi få tilskud til moms?"
    for pool in assistant.specs:
        first = assistant.ask(before, pool=pool, now=NOW)
        history = [{"role": "user", "content": before}, {"role": "assistant", "content": first.answer}]
        answer = assistant.ask(turn, pool=pool, history=history, now=NOW)
        assert not re.search(r"som forening|as a forening", answer.answer), (pool, answer.answer)


@pytest.mark.parametrize(
    ("before", "turn", "deadline"),
    [
        ("Kan vi få forlænget projektet?", "Hvornår skal vi søge om det?", False),
        ("Vi vil gerne søge om projektforlængelse.", "Hvornår skal vi ansøge om den?", False),
        ("Can we extend the project?", "When do we have to apply for it?", False),
        ("Hvem kan søge?", "Hvornår skal vi søge om det?", True),
    ],
)
def test_applying_for_what_the_turn_before_named_is_not_applying_for_the_grant(assistant, before, turn, deadline):
    """ "Søge om det" after a question about an extension applies for the extension: the application deadline
    answers it not (nor the "Fristen er ikke overskredet" remark) — the extension rule does."""
    for pool in assistant.specs:
        first = assistant.ask(before, pool=pool, now=NOW)
        history = [{"role": "user", "content": before}, {"role": "assistant", "content": first.answer}]
        answer = assistant.ask(turn, pool=pool, history=history, now=NOW)
        gives_deadline = any(f.key == "ansoegningsfrist" for f in answer.facts)
        if deadline and not gives_deadline:
            continue  # a pool whose material states no current deadline
        assert gives_deadline is deadline, (pool, answer.answer)
        if not deadline and answer.citations:
            assert "forlæng" in answer.citations[0].quote.lower(), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "When do we have to apply for a project extension?",
        "When must we ask for an extension of the project?",
        "Hvornår skal vi søge om projektforlængelse?",
    ],
)
def test_a_document_term_an_english_word_stands_for_is_found_in_the_cited_section(assistant, question):
    """ "Extension" stands for "projektforlængelse": the section that uses it gives a time for it ("inden
    projektperiodens udløb"), and the answer does not say the guideline gives none."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if not answer.citations or "forlæng" not in answer.citations[0].quote.lower():
            continue
        assert not answer.abstained and "oplyser ikke" not in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår kommer styrelsens opsamling?",
        "Hvad skal der stå i rapporteringen?",
        "Hvor mange anskaffelser må vi lave?",
    ],
)
def test_a_word_the_documents_use_as_the_end_of_a_compound_is_one_of_their_words(assistant, question):
    """ "Opsamling" stands in "erfaringsopsamlingen", "rapportering" in "afrapportering": the documents speak of it,
    and no answer says they do not name it."""
    from assistant.danish import fold

    retriever = assistant.pipeline.retriever
    asked = [w for w in fold(question).split() if len(w) >= 9]
    assert asked and all(retriever.known_word(w) for w in asked), asked
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.search(r"nævner ikke \w+ særskilt|oplyser ikke noget om (?!det, du)", answer.answer), (
            pool,
            answer.answer,
        )


@pytest.mark.parametrize(
    "question",
    ["Hvem udbetaler sign on fee?", "Hvem betaler sign on fee?", "Hvornår udbetales sign on fee?"],
)
def test_a_danish_question_with_an_english_loan_word_the_documents_use_is_danish(assistant, question):
    """ "Sign on fee" stands in the Danish documents themselves: a Danish question using it is answered in Danish,
    its words respelt and searched as Danish, not read as English."""
    from assistant.pipeline.understand import is_english

    assert not is_english(question, assistant.pipeline.vocabulary.spelled)
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "The guidelines are in Danish" not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Kan vi søge om at forlænge projektet i {name}?",
        "Vi vil lave et løbehold for unge. Er det noget, vi kan søge {name} til?",
        "Må vi søge om at flytte penge mellem posterne i {name}?",
    ],
)
def test_applying_for_something_is_not_asking_who_may_apply(assistant, template):
    for answer in _ask_each_pool_with(assistant, "ansoegerkreds", template):
        assert "ansoegerkreds" not in {f.key for f in answer.facts}, answer.answer


def test_a_quoted_list_item_is_labelled_with_the_list_it_stands_in(assistant):
    corpus = assistant.corpus
    checked = 0
    for (doc_id, section), sec in corpus.sections.items():
        if not re.fullmatch(r"\d+(\.\d+)*", section) or not sec.items:
            continue
        title = re.sub(r"^\d+(?:\.\d+)*\s+", "", sec.title)
        label = corpus.citation_label(doc_id, section, 1)
        assert f"afsnit {section} «{title}», pkt. 1" in label, label
        assert f"«{title}»" not in corpus.citation_label(doc_id, section), "only items carry the title"
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "question",
    [
        "Er der et mindstebeløb, man skal søge?",
        "Hvad er mindstebeløbet for en ansøgning?",
        "Findes der et minimumsbeløb?",
    ],
)
def test_a_minimum_grant_asked_in_one_word_is_the_minimum_grant(question):
    intent = next(i for i in load_intents() if i.name == "mindste_tilskud")
    assert term_pattern(intent.topic, inside_words=True).search(fold(question)), question


@pytest.mark.parametrize(
    "question",
    [
        "Hvor meget kan én ansøger højst få?",
        "Hvad er det største tilskud, man kan få?",
        "What is the largest grant?",
    ],
)
def test_a_grant_maximum_not_stated_is_framed_by_the_pools_total_labelled_as_such(assistant, question):
    pools = set(_pool_without_fact(assistant, "tilskud_maks")) & set(_pool_with_fact(assistant, "puljebeloeb"))
    assert pools
    for pool in pools:
        from assistant.pipeline.rules import verified_facts

        total = verified_facts(assistant.pool_facts[pool], "puljebeloeb", None)[0]  # the newest round
        answer = assistant.ask(question, pool=pool, now=NOW)
        lead, *rest = answer.answer.split("\n\n")
        assert ("oplyser ikke" in lead or "does not state" in lead) and total.display not in lead, answer.answer
        framed = [p for p in rest if total.display in p]
        assert framed and ("beløbet i puljen" in framed[0] or "total amount" in framed[0]), answer.answer


def _background_named_sections(assistant) -> list[tuple[str, str, str, str]]:
    """(doc, section, capitalised name, another word) of background sections whose titles name things
    only the background tells of."""
    out = []
    for (doc_id, section), sec in assistant.corpus.sections.items():
        if sec.kind != "pjece":
            continue
        only = assistant.pipeline.background_words
        names = [w for w in re.findall(r"[A-ZÆØÅ][a-zæøå]{3,}", sec.title)[1:] if fold(w) in only]
        words = [w for w in re.findall(r"[a-zæøå]{6,}", sec.title) if fold(w) in only]
        if names and words:
            out.append((doc_id, section, names[0], words[0]))
    return out


# "partnerskab" pulls a current pool's documents; the names and words only the background uses must win.
@pytest.mark.parametrize(
    "template",
    [
        "Hvad er partnerskabet i {name} om {word}?",
        "Hvordan fungerer partnerskabet om {word} i {name}?",
        "Partnerskab i {name} med {word} – hvad går det ud på?",
    ],
)
def test_things_only_the_background_tells_of_are_answered_from_it(assistant, template):
    cases = _background_named_sections(assistant)
    assert len(cases) >= 3
    for doc_id, section, name, word in cases[:3]:
        answer = assistant.ask(template.format(name=name, word=word), now=NOW)
        assert doc_id in {c.doc_id for c in answer.citations}, (name, word, answer.answer)


# -- a count, a time or an amount the best passage does not give ------------------------------------


def _pool_text(assistant, pool: str) -> str:
    return " ".join(s.text for d in assistant.corpus.documents if d.meta.pool == pool for s in d.sections)


def _plural_nouns(assistant, pool: str, counted: bool) -> list[str]:
    """Plural nouns ("-er") the pool's documents use often: those they give a count of ("tre regioner",
    "30 foreninger"), or those they never count."""
    from wordfreq import zipf_frequency

    from assistant.pipeline.compose import _counts

    text = _pool_text(assistant, pool)
    words = Counter(re.findall(r"\b[a-zæøå]{6,}er\b", text))
    return [
        w
        for w, n in words.most_common()
        if n >= 3 and _counts(text, fold(w)) == counted and zipf_frequency(w, "da") < 4.8
    ][:3]


@pytest.mark.parametrize(
    "template",
    [
        "Hvor mange {w} skal der mindst være?",
        "Hvor mange {w} må der højst være i projektet?",
        "hvor mange {w} kræver I",
    ],
)
def test_a_count_the_documents_never_give_is_said_not_stated(assistant, template):
    asked = 0
    for pool in assistant.specs:
        for word in _plural_nouns(assistant, pool, counted=False):
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            asked += 1
            assert "oplyser ikke" in answer.answer and "et beløb" not in answer.answer, (pool, answer.answer)
    assert asked >= 3


@pytest.mark.parametrize(
    "template", ["Hvor mange {w} skal der være?", "Hvor mange {w} kræves der?", "hvor mange {w} skal vi have med"]
)
def test_a_count_the_documents_give_is_not_said_to_be_missing(assistant, template):
    """Never "oplyser ikke et antal X" beside a cited section that gives a count of X."""
    from assistant.pipeline.compose import _counts

    asked = 0
    for pool in assistant.specs:
        for word in _plural_nouns(assistant, pool, counted=True):
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            asked += 1
            if f"oplyser ikke et antal {word}" in answer.answer:
                for c in answer.citations:
                    assert not _counts(assistant.corpus.section(c.doc_id, c.section).text, fold(word)), answer.answer
    assert asked >= 3


@pytest.mark.parametrize(
    "template", ["Hvornår skal {w} senest indsendes?", "Hvornår er fristen for {w}?", "hvornår skal vi aflevere {w}"]
)
def test_the_time_of_a_document_the_guideline_never_names_is_not_stated(assistant, template):
    from assistant.glossary import document_terms
    from assistant.pipeline.compose import _names_word

    documents = load_lexicon().qualifiers["document"]
    asked = 0
    for pool in assistant.specs:
        text = _pool_text(assistant, pool)
        # Words the pool's documents never name, nor any document term they stand for (slutrapport → afrapportering).
        unnamed = [
            w
            for w in documents
            if len(w) >= 8 and " " not in w and not any(_names_word(text, t) for t in (w, *document_terms(w).split()))
        ]
        for word in unnamed[:2]:
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            asked += 1
            # Said plainly ("… et tidspunkt for slutevalueringen", or nothing found), and no other thing's date.
            assert "oplyser ikke" in answer.answer, (pool, answer.answer)
            shown = [c.quote for c in answer.citations if c.quote in answer.answer]
            assert not any(re.search(r"\b20\d\d\b", q) for q in shown), (pool, word, answer.answer)
    assert asked >= 3


@pytest.mark.parametrize(
    "template",
    ["Hvor mange {w} skal der mindst være?", "Kan vi søge penge til {w} i vores by?", "{w} skal der være flere af"],
)
def test_a_word_of_a_pools_name_that_other_pools_also_use_names_no_pool(assistant, template):
    """One word of a name ("fællesskaber") amid other words is no fuzzy mention of that pool."""
    matcher = PoolMatcher(assistant.specs)
    checked = 0
    for pool, spec in assistant.specs.items():
        others = " ".join(_pool_text(assistant, p) for p in assistant.specs if p != pool).lower()
        for word in {w.lower() for w in re.findall(r"\w{7,}", spec.name)} & set(others.split()):
            checked += 1
            mentioned = {m.pool for m in matcher.mentions(template.format(w=word))}
            assert pool not in mentioned, (pool, word)
    assert checked >= 3


@pytest.mark.parametrize(
    "template",
    [
        "Kan vi bruge nogle af pengene på {w} til deltagerne i vores gruppe, som en lille tak fordi de møder op?",
        "Vores kasserer spørger til {w} – står der noget om det i jeres regler, når man skal søge?",
        "Jeg sidder med budgettet her til aften og kan ikke helt finde ud af det med {w} – hvordan er det nu?",
    ],
)
def test_a_rare_word_in_a_long_chatty_question_is_still_answered_from_its_section(assistant, template):
    """Everyday words around the one that matters dilute the overlap; the section that alone uses the rare word
    is still found and quoted, not "nothing found". Relevance stays a judgement: two in three must hold (none
    did before the rare word counted in it)."""
    checked, found = 0, []
    for pool in assistant.specs:
        for word, where in _rare_section_words(assistant, pool):
            answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
            checked += 1
            cited = {f"{c.doc_id}#{c.section}" for c in answer.citations}
            if not answer.abstained and (where in cited or answer.facts):
                found.append(word)
    assert checked >= 3 and len(found) >= 2 * checked / 3, (found, checked)


# An FAQ answer this long is read whole on a phone (about five lines of a hotline script).
FAQ_READ_WHOLE_CHARS = 600


def _long_faq_answers(assistant) -> list[tuple[str, str, str, str]]:
    """(doc, section, the FAQ's own question, its answer text) of the longest FAQ answers short enough to be
    quoted whole: the answers where cutting to one sentence would lose the most."""
    quoter = assistant.pipeline.quoter
    found = []
    for (doc_id, section), sec in assistant.corpus.sections.items():
        if doc_id not in quoter._faq_docs:
            continue
        units = [u for u in quoter.units(doc_id, section) if u.quotable]
        length = sum(len(u.text) for u in units)
        asked = next((p for p in sec.paragraphs if p.startswith("**Spørgsmål:**")), None)
        if asked and units and len(units) <= 3 and length <= FAQ_READ_WHOLE_CHARS:
            found.append((length, doc_id, section, asked.removeprefix("**Spørgsmål:**").strip(), units[-1].text))
    return [(d, s, q, a) for _, d, s, q, a in sorted(found, reverse=True)[:3]]


@pytest.mark.parametrize("template", ["{q}", "Hej – {q} Tak på forhånd.", "Et spørgsmål fra vores bestyrelse: {q}"])
def test_an_faq_answer_is_quoted_whole_when_its_own_question_is_asked(assistant, template):
    """An FAQ answer is written to answer its question: its deciding sentence is often not the one most like
    the question ("Det er ikke et krav, at den er indgået ved ansøgningstidspunktet …")."""
    cases = _long_faq_answers(assistant)
    assert len(cases) == 3
    for doc_id, section, question, answer_text in cases:
        pool = next(d.meta.pool for d in assistant.corpus.documents if d.meta.doc_id == doc_id)
        answer = assistant.ask(template.format(q=question), pool=pool, now=NOW)
        quotes = [c.quote for c in answer.citations if (c.doc_id, c.section) == (doc_id, section)]
        assert quotes and answer_text in quotes[0], (section, answer.answer)


@pytest.mark.parametrize(
    ("message", "searched"),
    [
        (
            "hvor mange foreninger skal vi have med? vi er et frivilligcenter i en lille kommune og kan nok højst samle 15",
            "hvor mange foreninger skal vi have med?",
        ),
        (
            "Can we include VAT in the budget? We are a municipality applying for the grant.",
            "Can we include VAT in the budget?",
        ),
        (
            "Må vi købe en computer? Vi er en landsdækkende forening med mange frivillige.",
            "Må vi købe en computer?",
        ),
        # Told before the question, the sentences set it up: they stay.
        (
            "Vi har 45.000 kr. tilbage ved årets udgang. Kan vi tage dem med over?",
            "Vi har 45.000 kr. tilbage ved årets udgang. Kan vi tage dem med over?",
        ),
    ],
)
def test_what_is_told_after_the_question_is_not_searched(message, searched):
    from assistant.pipeline.understand import asking_text

    assert asking_text(message) == searched


def _excluded_items(assistant) -> list[tuple[str, str, str, bool]]:
    """(pool, section, an uncommon word of the item, whether the item is conditional) of the list items of
    sections whose title says what is not given ("Ikke tilskudsberettigede udgifter")."""
    from wordfreq import zipf_frequency

    found = []
    for (doc_id, section), sec in assistant.corpus.sections.items():
        if sec.kind == "pjece" or "ikke" not in fold(sec.title).split():
            continue
        for unit in assistant.pipeline.quoter.units(doc_id, section):
            if unit.item is None:
                continue
            words = [w for w in re.findall(r"[a-zæøå]{6,}", unit.text.lower()) if zipf_frequency(w, "da") < 3.5]
            if words:
                # A limit in the item, or another section of the document that allows the thing (a sentence
                # with it and no "ikke": "specifikke … kursusaktiviteter" beside "Generelle …"): no plain no.
                elsewhere = [
                    t.text.lower()
                    for (d, s), t in assistant.corpus.sections.items()
                    if d == doc_id and s != section and words[0][:-2] in t.text.lower()
                ]
                allowed = any(
                    words[0][:-2] in sentence and " ikke " not in f" {sentence} "
                    for text in elsewhere
                    for sentence in re.split(r"(?<=[.!?])\s+", text)
                )
                conditional = bool(re.search(r"\d|\bover\b|\bfuldt ud\b", unit.text)) or allowed
                found.append((sec.pool, f"{doc_id}#{section}", words[0], conditional))
    return found


@pytest.mark.parametrize(
    "template", ["Må vi bruge tilskuddet på {w}?", "Kan vi få dækket {w} af puljen?", "Can we use the grant for {w}?"]
)
def test_a_may_question_about_an_excluded_item_is_answered_no_unless_the_item_sets_a_condition(assistant, template):
    items = _excluded_items(assistant)
    assert sum(not c for *_, c in items) >= 3 and any(c for *_, c in items)
    answered_no = 0
    for pool, where, word, conditional in items:
        answer = assistant.ask(template.format(w=word), pool=pool, now=NOW)
        starts_no = answer.answer.startswith(("Nej –", "No –"))
        if conditional:
            assert not starts_no, (word, answer.answer)  # "Køb af materiel for over 50.000 kr." is no plain no
        elif any(f"{c.doc_id}#{c.section}" == where and c.item is not None for c in answer.citations[:1]):
            # The item itself is quoted (not the lead-in with all the items under it).
            assert starts_no, (word, answer.answer)
            answered_no += 1
    assert answered_no >= 3


def _word_only_pools_with_fact_use(assistant, key: str) -> str:
    """An uncommon word of the fact's own sentence that the pools stating the fact use and the others never
    do ("familieboliger" beside the rent ceiling of egnede boliger)."""
    from wordfreq import zipf_frequency

    stating, silent = _pool_with_fact(assistant, key), _pool_without_fact(assistant, key)
    pipeline = assistant.pipeline
    for pool in stating:
        entry = next(e for e in assistant.pool_facts[pool].facts if e.key == key and e.status == "verified")
        for word in re.findall(r"[a-zæøå]{7,}", entry.quote.lower()):
            if zipf_frequency(word, "da") < 3.5 and not any(pipeline._speaks_of(p, fold(word)) for p in silent):
                return word
    raise AssertionError(f"no word of {key} is the stating pools' own")


def _single_pool_facts(assistant) -> list[tuple[str, str]]:
    """(key, a topic term of its intent) of the facts one pool alone states."""
    out = []
    for intent in assistant.pipeline.intents:
        for key in intent.keys:
            terms = [t for t in intent.topic if " " not in t and len(t) >= 6]
            if terms and len(_pool_with_fact(assistant, key)) == 1 and key not in {k for k, _ in out}:
                out.append((key, terms[0]))
    return out


_ASKS_FOR = {"how_much": "hvor meget er", "when": "hvornår er", "how_many": "hvor mange er", "how_long": "hvor lang er"}


@pytest.mark.parametrize(
    "template", ["{Q} {t}? Det gælder {w}.", "{Q} {t}, når det gælder {w}?", "Vi spørger til {w}: {q} {t}?"]
)
def test_a_pool_whose_documents_never_use_the_questions_word_is_not_listed_as_silent(assistant, template):
    """Where one pool alone states a fact, a pool whose documents never use the question's words that the
    answering pool's documents use ("familieboliger") is not 'silent on it': the question is not about it."""
    checked = 0
    for key, term in _single_pool_facts(assistant):
        asks = next((_ASKS_FOR[t] for t in assistant.pipeline.keys[key].answers if t in _ASKS_FOR), None)
        try:
            word = _word_only_pools_with_fact_use(assistant, key)
        except AssertionError:
            continue
        if asks is None:
            continue
        answer = assistant.ask(template.format(Q=asks.capitalize(), q=asks, t=term, w=word), now=NOW)
        if key in {f.key for f in answer.facts}:
            checked += 1
            assert not re.search(r"(?:vejledningen|materialet) oplyser ikke", answer.answer), answer.answer
    assert checked >= 1


def _own_words(assistant, pool: str, n: int = 1) -> list[str]:
    """Uncommon words the pool's documents use often and no other pool's documents use at all."""
    from wordfreq import zipf_frequency

    pipeline = assistant.pipeline
    counts = Counter(re.findall(r"\b[a-zæøå]{7,}\b", _pool_text(assistant, pool).lower()))
    return [
        w
        for w, c in counts.most_common()
        if c >= 3
        and zipf_frequency(w, "da") < 4.5
        and not any(pipeline._speaks_of(p, fold(w)) for p in assistant.specs if p != pool)
    ][:n]


@pytest.mark.parametrize(
    "template",
    [
        "Kan momsen komme med i budgettet, når det gælder {w}?",
        "Vi spørger om {w}: må moms indgå i budgettet?",
        "{w} – kan vi få dækket moms?",
    ],
)
def test_no_pool_named_but_a_word_only_one_pools_documents_use_answers_from_that_pool(assistant, template):
    """Every vejledning has its moms rule, so a pool-less moms question is asked back; a word of one pool's
    own ("boligorganisationer") says which pool it is about."""
    pools = [p for p in assistant.specs if assistant.pipeline._speaks_of(p, "moms")]
    assert len(pools) >= 2
    for pool in pools:
        for word in _own_words(assistant, pool):
            answer = assistant.ask(template.format(w=word), now=NOW)
            cited = {assistant.corpus.section(c.doc_id, c.section).pool for c in answer.citations}
            assert answer.clarification is None and cited <= {pool, None}, (pool, word, answer.answer)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When is the deadline?", "datetime"),
        ("What is the application deadline?", "datetime"),
        ("By when must we apply?", "datetime"),
        ("How much funding is there in this pool?", "money"),
        ("What is the total amount in the pool?", "money"),
        ("How big is the pool in total?", "money"),
    ],
)
def test_an_english_fact_answer_says_the_value_in_english(assistant, question, kind):
    """'26 June 2025 at 23:59', 'DKK 6.6 million': English readers get the figure in their own notation; the
    Danish wording stays in the quote."""
    english = re.compile(
        r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    )
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        facts = [
            f for f in answer.facts if any(e.type == kind and e.key == f.key for e in assistant.pool_facts[pool].facts)
        ]
        if not facts:
            continue
        checked += 1
        lead = next(p for p in answer.answer.split("\n\n") if not p.startswith("(") and not p.startswith("«"))
        assert english.search(lead) if kind == "datetime" else "DKK" in lead, answer.answer
        assert " kr." not in lead and not re.search(rf"\d\. {MONTH_PATTERN}", lead), answer.answer
    assert checked >= 1


@pytest.mark.parametrize("question", ["Hvem kan søge puljen?", "Kan vores forening søge?", "Who can apply?"])
def test_who_may_apply_comes_with_the_conditions_that_decide_it(assistant, question):
    """The applicant circle's deciding conditions (the intent's `with_keys`: regions, years) are said with it:
    'landsdækkende' alone does not tell a one-region association that it falls outside."""
    intent = next(i for i in assistant.pipeline.intents if i.name == "ansoegerkreds")
    checked = 0
    for pool in assistant.specs:
        conditions = [
            e for e in assistant.pool_facts[pool].facts if e.key in intent.with_keys and e.status == "verified"
        ]
        if not conditions:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        checked += 1
        assert {e.key for e in conditions} <= {f.key for f in answer.facts}, answer.answer
        for e in conditions:
            assert e.display in answer.answer, (e.key, answer.answer)
    assert checked >= 1


def _background_only_words(assistant, n: int = 3) -> list[str]:
    """Uncommon lower-case words that only the 2005 pjece uses ("motionsvejleder")."""
    from wordfreq import zipf_frequency

    only = assistant.pipeline.background_words
    text = " ".join(s.text for s in assistant.corpus.sections.values() if s.kind == "pjece")
    words = Counter(w for w in re.findall(r"\b[a-zæøå]{8,}\b", text) if fold(w) in only and zipf_frequency(w, "da") < 3)
    return [w for w, _ in words.most_common(n)]


@pytest.mark.parametrize(
    "template",
    [
        "Giver I penge til {w}?",
        "Kan vi søge tilskud til {w} i år?",
        "Can we get funding for {w}?",
        "Kan vi få dækket {w}?",
        "Kan udgifter til {w} dækkes?",
        "Can {w} be covered?",
    ],
)
def test_a_question_asking_for_money_is_never_answered_from_the_2005_pjece(assistant, template):
    """The pjece tells of 2005 projects and gives no money: a funding question, even one using its words and
    naming no pool, is answered from the pools' documents (or said not to be there), never from it."""
    words = _background_only_words(assistant)
    assert len(words) == 3
    for word in words:
        answer = assistant.ask(template.format(w=word), now=NOW)
        kinds = {assistant.corpus.section(c.doc_id, c.section).kind for c in answer.citations}
        assert "pjece" not in kinds, (word, answer.answer)


def _current_only_words(assistant, n: int = 2) -> list[str]:
    """Uncommon words the pools' current documents use in many sections and the 2005 pjece never does, in any
    inflection ("projektperioden"); ones without æøå, so that the folded word is the written one."""
    from wordfreq import zipf_frequency

    pjece = {w for s in assistant.corpus.sections.values() if s.kind == "pjece" for w in fold(s.text).split()}
    # Lower-case as written: a thing, not a name ("Boligstyrelsen").
    sections = Counter(
        w
        for s in assistant.corpus.sections.values()
        if s.kind != "pjece"
        for w in set(re.findall(r"\b[a-z]+\b", s.text))
    )
    words = [
        w
        for w, _ in sections.most_common()
        if len(w) >= 11
        and w.isascii()
        and w.isalpha()
        and zipf_frequency(w, "da") < 3
        and not any(p.startswith(w[:8]) for p in pjece)
    ]
    return words[:n]


@pytest.mark.parametrize(
    "template",
    [
        "Vores frivillige og de kommunale medarbejdere skal samarbejde godt. Hvordan sikrer vi det inden {w}?",
        "Hvordan holder vi samarbejdet mellem frivillige og ansatte på sporet i {w}?",
        "hvordan løser vi problemer mellem frivillige og ansatte undervejs i {w}",
    ],
)
def test_a_question_using_the_pools_own_terms_is_not_answered_from_the_2005_pjece(assistant, template):
    """The pjece's advice on volunteers and municipalities is close to many questions; one that uses a term only
    the pools' current documents use asks about their rules, and the pjece is background to it."""
    words = _current_only_words(assistant)
    assert len(words) == 2
    for word in words:
        answer = assistant.ask(template.format(w=word), now=NOW)
        kinds = {assistant.corpus.section(c.doc_id, c.section).kind for c in answer.citations}
        assert "pjece" not in kinds, (word, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Er der en fast skabelon for, hvad en samarbejdsaftale med kommunen skal indeholde?",
        "Vi er en lille besøgsvenforening og skal lave en skriftlig aftale med kommunen. Hvad skal der stå i den?",
        "Findes der en standardaftale, vi kan bruge, når vores forening skal samarbejde med kommunen?",
    ],
)
def test_the_2005_pjece_and_a_pools_rule_are_never_quoted_side_by_side(assistant, question):
    """Beside the pjece's advice a pool's rule reads as advice, and beside a pool's rule the pjece reads as a rule."""
    answer = assistant.ask(question, now=NOW)
    shown = [c for c in answer.citations if f"({c.label})" in answer.answer]
    kinds = {assistant.corpus.section(c.doc_id, c.section).kind == "pjece" for c in shown}
    assert len(kinds) == 1, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvor meget kan én kommune højst søge om i puljen?",
        "Hvad er det største beløb, man kan få fra puljen?",
        "What is the largest grant in the pool?",
    ],
)
def test_the_most_one_applicant_may_get_is_not_the_pools_total(assistant, question):
    """'i puljen' names the pool total's topic, but 'højst søge' asks the most one applicant may get: where the
    pool states no such maximum, that is said, and the total is shown labelled as the total."""
    pools = set(_pool_without_fact(assistant, "tilskud_maks")) & set(_pool_with_fact(assistant, "puljebeloeb"))
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "puljebeloeb" not in {f.key for f in answer.facts}, answer.answer
        assert "oplyser ikke" in answer.answer, answer.answer


def _assert_found_where_the_documents_say(assistant, question: str, phrase: str) -> None:
    """For every pool with a section that says `phrase`, the question cites one of those sections."""
    checked = 0
    for pool in assistant.specs:
        where = {
            f"{d}#{s}" for (d, s), sec in assistant.corpus.sections.items() if sec.pool == pool and phrase in sec.text
        }
        if not where:
            continue
        checked += 1
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert where & {f"{c.doc_id}#{c.section}" for c in answer.citations}, (pool, answer.answer)
    assert checked >= 1


@pytest.mark.parametrize(
    "question", ["Is it still possible to apply?", "When is the deadline?", "Can we still submit our application?"]
)
def test_an_english_deadline_answer_says_in_english_whether_it_has_passed(assistant, question):
    for pool in [p for p in assistant.specs if assistant.pool_facts[p].get("ansoegningsfrist")]:
        entry = assistant.pool_facts[pool].get("ansoegningsfrist")
        if entry.round or entry.type != "datetime":
            continue
        before = assistant.ask(question, pool=pool, now=NOW).answer
        after = assistant.ask(question, pool=pool, now=LATE).answer
        assert "The deadline has not passed" in before and "Fristen" not in before, before
        assert "The deadline has passed" in after and "Fristen" not in after, after


@pytest.mark.parametrize(
    "question",
    [
        "Systemet hikkede hele aftenen i går. Kan vi sende ansøgningen nu?",
        "Vores kasserer er sygemeldt med hold i ryggen. Hvornår er fristen?",
        "Printeren knasede hele formiddagen. Må vi sende ansøgningen på mail?",
    ],
)
def test_words_of_the_setting_told_before_a_question_are_not_what_it_asks_about(assistant, question):
    """ "oplyser ikke noget om hikkede" answers a word of the setting, not the question."""
    from assistant.pipeline.understand import question_sentences

    setting = question.split(". ")[0]
    assert question_sentences(question) == question.split(". ", 1)[1]
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        for word in re.findall(r"\w+", setting):
            assert f"oplyser ikke noget om {word}" not in answer.answer, (pool, answer.answer)


def test_two_close_faq_answers_are_both_shown_two_close_vejledning_sections_only_in_a_near_tie(assistant):
    """A later FAQ answer often qualifies an earlier one ("bred mobilisering … 30 foreninger" / "Der er ikke
    krav om … 30 foreninger"): two close FAQ answers are both shown even after a long first one; two close
    vejledning sections after a long first quote are not (the second stays among the sources) — unless they
    tie, and the ranking cannot tell which one answers."""

    from assistant.pipeline.compose import SHORT_FAQ_ANSWER_CHARS, SHORT_QUOTE_CHARS, compose_passages
    from assistant.pipeline.retrieve import Passage, Passages
    from assistant.pipeline.scope import Scope

    pipeline = assistant.pipeline
    index_chunks = {(c.doc_id, c.section): c for c in pipeline.retriever._chunks}

    def pair(kind: str):
        long_first, short_second = None, None
        for (doc_id, section), sec in assistant.corpus.sections.items():
            if sec.kind != kind or (doc_id, section) not in index_chunks:
                continue
            q = pipeline.quoter.quote(doc_id, section, sec.title, pipeline.retriever.embed_question(sec.title), ())
            if q and len(q.quote) >= SHORT_QUOTE_CHARS and long_first is None:
                long_first = ((doc_id, section), q)
            elif q and len(q.quote) <= SHORT_FAQ_ANSWER_CHARS and short_second is None and long_first:
                if doc_id == long_first[0][0]:
                    short_second = ((doc_id, section), q)
        return long_first, short_second

    # A vejledning's second section is shown beside a long first quote only in a near tie (CLOSE_SECOND_RATIO).
    for kind, second, both in (("faq", 0.95, True), ("vejledning", 0.95, False), ("vejledning", 0.98, True)):
        (k1, q1), (k2, q2) = pair(kind)
        pool = index_chunks[k1].pool
        query = _understood(pipeline, "Hvad gælder?", pool)
        passages = Passages(
            (Passage(index_chunks[k1], 1.0, 0.9), Passage(index_chunks[k2], second, 0.9)), 1.0, None, "", (q1, q2)
        )
        answer = compose_passages(query, Scope(pools=(pool,)), passages, pipeline.names, 0.0, pipeline.lookup)
        assert (f"«{q2.quote}»" in answer.answer) is both, (kind, answer.answer)


@pytest.mark.parametrize(
    "turn",
    ["Skal vi så give det tilbage igen?", "Kan vi få det hele med det samme?", "Kan vi vente med det til senere?"],
)
def test_a_pronoun_with_only_everyday_words_beside_it_leans_on_the_previous_turn(assistant, turn):
    """'det' stands for what the previous turn named when nothing else in the turn names a thing."""
    from datetime import datetime

    from assistant.models import Message
    from assistant.pipeline.understand import understand

    pipeline = assistant.pipeline
    history = [Message(role="user", content="Er der et loft over materielindkøb?")]
    query = understand(
        turn,
        None,
        history,
        datetime.fromisoformat(NOW),
        matcher=pipeline.matcher,
        lexicon=pipeline.lexicon,
        intents=pipeline.intents,
        support=lambda standalone, combined: -1.0,  # the retrieval comparison would say no: the words decide
        answers=pipeline.answers,
    )
    assert query.follow_up and "materielindkøb" in query.search_text


@pytest.mark.parametrize(
    ("question", "noun", "period"),
    [
        ("Hvor mange timer om ugen skal en medarbejder være ansat?", "timer", "uge"),
        ("Hvor mange møder pr. måned skal vi holde med kommunen?", "moeder", "maan"),
        ("Hvor mange timer om dagen må de frivillige bruge?", "timer", "dag"),
    ],
)
def test_a_count_asked_per_period_is_not_answered_by_a_count_for_another_period(assistant, question, noun, period):
    """'1.649 timer' is a yearly norm: asked per week, the guideline gives no count."""
    from assistant.pipeline.compose import _counts

    checked = 0
    for pool in assistant.specs:
        if _counts(_pool_text(assistant, pool), noun, period):
            continue  # this pool does state such a count
        checked += 1
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke" in answer.answer, (pool, answer.answer)
    assert checked >= 2


def test_no_verdict_and_no_error_when_the_excluded_item_does_not_use_the_questions_words(assistant):
    """An excluded item quoted for a question whose uncommon words it does not use gets no verdict."""

    from assistant.pipeline.compose import excluded_verdict

    pipeline = assistant.pipeline
    item = next(
        (doc_id, section, unit)
        for (doc_id, section), sec in assistant.corpus.sections.items()
        if "ikke" in fold(sec.title).split() and sec.kind != "pjece"
        for unit in pipeline.quoter.units(doc_id, section)
        if unit.item is not None and not re.search(r"\d|\bover\b", unit.text)  # an item with no limit in it
    )
    citation = pipeline.quoter.quote(
        item[0], item[1], item[2].text, pipeline.retriever.embed_question(item[2].text), ()
    )
    for question in ["Må vi købe en hoppeborg?", "Kan vi få dækket juletræer?", "Can we pay for a trampoline?"]:
        query = _understood(pipeline, question, None)
        assert excluded_verdict(query, citation, pipeline.lookup) is None


def _english_words_for_rare_danish_terms(assistant) -> list[tuple[str, str]]:
    """(English word, Danish term) of glossary entries whose Danish term is uncommon and used by few sections."""
    from wordfreq import zipf_frequency

    from assistant.glossary import ENGLISH

    out = []
    for english, terms in sorted(ENGLISH.items()):
        term = terms.split()[0]
        using = [s for s in assistant.corpus.sections.values() if term in s.text.lower()]
        if " " not in english and zipf_frequency(term, "da") < 4.0 and 1 <= len(using) <= 4:
            out.append((english, term))
    return out[:: max(len(out) // 3, 1)][:3]


@pytest.mark.parametrize(
    "template", ["Can we include {w} in the budget?", "What are the rules on {w}?", "Is {w} covered by the grant?"]
)
def test_an_english_word_finds_the_sections_that_use_its_danish_term(assistant, template):
    """'VAT' stands for 'moms': the few sections that use the Danish term are found for the English word."""
    pairs = _english_words_for_rare_danish_terms(assistant)
    assert len(pairs) == 3
    found = 0
    for english, danish in pairs:
        for pool in assistant.specs:
            if not any(danish in s.text.lower() for s in assistant.corpus.sections.values() if s.pool == pool):
                continue
            answer = assistant.ask(template.format(w=english), pool=pool, now=NOW)
            texts = [assistant.corpus.section(c.doc_id, c.section).text.lower() for c in answer.citations]
            found += any(danish in t for t in texts) or bool(answer.facts)
            assert not answer.abstained, (english, pool, answer.answer)
    assert found >= 3


@pytest.mark.parametrize(
    "template",
    [
        "I pjecen står der om {w} – hvordan søger vi penge til det?",
        "Kan vi søge tilskud til {w}, som pjecen fra 2005 beskriver?",
        "The 2005 brochure mentions {w}. How do we apply for funding for it?",
    ],
)
def test_asking_how_to_get_money_the_2005_pjece_tells_of_says_it_is_no_pool(assistant, template):
    """The pjece tells of schemes of its time (§115-støtte): quoted for a funding question, the answer first
    says it is background and no pool one can apply to today."""
    checked = 0
    for word in _background_only_words(assistant):
        answer = assistant.ask(template.format(w=word), now=NOW)
        first = answer.citations[0] if answer.citations else None
        if first and assistant.corpus.section(first.doc_id, first.section).kind == "pjece":
            checked += 1
            assert answer.answer.startswith(("Pjecen fra 2005 er baggrundsmateriale", "The 2005 brochure")), (
                answer.answer
            )
    assert checked >= 1


@pytest.mark.parametrize(
    "question", ["Hvilken mailadresse skal vi skrive til?", "What email address do we use?", "Hvad er e-mailadressen?"]
)
def test_an_email_address_asked_for_is_quoted_where_the_documents_give_one(assistant, question):
    from assistant.pipeline.quote import EMAIL

    checked = 0
    for pool in assistant.specs:
        addresses = set(EMAIL.findall(_pool_text(assistant, pool)))
        if not addresses:
            continue
        checked += 1
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert any(a in answer.answer for a in addresses), (pool, answer.answer)
    assert checked >= 1


@pytest.mark.parametrize(
    "question", ["Hvad er telefonnummeret til jer?", "Hvilket nummer kan vi ringe til?", "What is your phone number?"]
)
def test_a_phone_number_the_documents_do_not_give_is_said_not_stated(assistant, question):
    """An e-mail address nearby is no phone number: "oplyser ikke et telefonnummer"."""
    from assistant.pipeline.quote import PHONE

    checked = 0
    for pool in assistant.specs:
        if PHONE.search(_pool_text(assistant, pool)):
            continue
        checked += 1
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke" in answer.answer, (pool, answer.answer)
    assert checked >= 1


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få dækket kørsel i egen bil?",
        "Hvordan budgetterer vi kilometerpenge?",
        "Hvordan skal kørsel stå i budgettet?",
    ],
)
def test_a_rule_word_for_word_the_same_in_several_pools_is_said_once_not_asked_back(assistant, question):
    """The vejledninger share a template: where no pool is named and the pools' rules are the same words, the
    answer does not depend on the pool ('Det samme gælder for …'), and nothing is asked back."""
    answer = assistant.ask(question, now=NOW)
    per_pool = re.findall(r"^- [^:]+: «(.+?)»", answer.answer, re.M)
    assert not (len(per_pool) >= 2 and len({" ".join(q.casefold().split()) for q in per_pool}) == 1), answer.answer
    assert not answer.abstained, answer.answer


def test_a_rule_one_pool_adds_a_sentence_to_is_said_once_with_the_addition_as_its_own():
    """Two vejledninger with the same rule, one adding a sentence after it ("… Udgiften skal beskrives i en note til
    budgettet."): the shared words are said once for both, the added sentence for its pool alone."""
    from assistant.models import Citation
    from assistant.pipeline.compose import _shared_rule

    def cite(doc, quote):
        return Citation(doc_id=doc, section="1", title="1", quote=quote, score=0.0, label=doc)

    a = cite("a", "Der kan ydes tilskud til X. … Det gælder også Y.")
    b = cite("b", "Der kan ydes tilskud til X. … Det gælder også Y. Udgiften skal beskrives i en note.")
    assert _shared_rule([a, b]) == (a.quote, (b, "Udgiften skal beskrives i en note."))
    assert _shared_rule([a, a]) == (a.quote, None)
    assert _shared_rule([a, cite("c", "Der kan ikke ydes tilskud til X.")]) == (None, None)
    assert _shared_rule([a, cite("d", "Der kan ydes tilskud til X. … Det gælder også Y og Z.")]) == (None, None)


@pytest.mark.parametrize(
    "question",
    [
        "Skal regnskabet revideres?",
        "Kan vi overføre penge, vi ikke har brugt, til næste år?",
        "Can we move money between budget lines without approval?",
    ],
)
def test_a_fact_the_same_in_every_pool_that_states_it_is_said_once_without_asking_back(assistant, question):
    """No pool named, and every pool that states the fact states the same value (the shared template's 100.000 kr.):
    the value is said once for those pools, a pool that is silent on it is said to be, and nothing is asked back —
    the answer does not depend on the pool."""
    answer = assistant.ask(question, now=NOW)
    by_pool: dict[str, set] = {}
    for fact in answer.facts:
        by_pool.setdefault(fact.key, set()).add(fact.display)
    pools = {assistant.corpus.by_id[f.doc_id].meta.pool for f in answer.facts}
    assert len(pools) >= 2 and all(len(v) == 1 for v in by_pool.values()), answer.answer
    if pools:
        assert answer.clarification is None and not answer.answer.startswith(("Det afhænger", "It depends")), (
            answer.answer
        )
    assert answer.facts, answer.answer


def test_a_verdict_is_never_read_across_the_gap_between_two_quoted_pieces():
    """ "Der kan ydes tilskud til eksterne konsulenter. … og må ikke inkluderes under andre budgetposter": the
    text on either side of "…" is not one sentence, so its negation cannot deny the other piece's "kan"."""
    from assistant.pipeline.compose import quoted_sentences

    quote = "Der kan ydes tilskud til eksterne konsulenter. … Udgifter må ikke inkluderes under andre budgetposter."
    assert quoted_sentences(quote) == [
        "Der kan ydes tilskud til eksterne konsulenter.",
        "Udgifter må ikke inkluderes under andre budgetposter.",
    ]


@pytest.mark.parametrize(
    ("typed", "danish"),
    [("kan vi fa dakket korsel?", "transport"), ("udstyr til mobler", "materiel"), ("fa penge tilbage", "uforbrugt")],
)
def test_glossary_words_typed_without_aeoeaa_reach_their_entries(typed, danish):
    """ "korsel" is "kørsel" typed without ø: the everyday glossary reads it as the word it is."""
    from assistant.glossary import document_terms

    assert danish in document_terms(typed), document_terms(typed)


@pytest.mark.parametrize(
    "question",
    [
        "Vi vil gerne flytte 20 % af lønposten over til aktiviteter.",
        "Vi bruger færre penge på transport og vil bruge mere på aktiviteter.",
        "We spend less on travel and want to spend more on activities.",
    ],
)
def test_spending_less_on_one_thing_and_more_on_another_is_a_budget_change(question):
    """Moving money from one line to another, said in everyday words, is the documents' "budgetændring"."""
    from assistant.glossary import document_terms

    assert "budgetændring" in document_terms(question), document_terms(question)


@pytest.mark.parametrize(
    "question", ["Kan vi sende ansøgningen med post?", "Må vi bare maile den?", "Can we apply by letter instead?"]
)
def test_sending_by_post_or_mail_is_the_documents_other_channels(question):
    """ "med post", "maile", "by letter" → how an application may be submitted ("via andre kanaler …, fx med post
    eller via mail", "skal indgive … ved anvendelse af … Tilskudsportal")."""
    from assistant.glossary import document_terms

    assert "andre kanaler" in document_terms(question) and "tilskudsportal" in document_terms(question)


def test_a_figure_the_question_quotes_ranks_the_few_sections_that_state_it(assistant):
    """ "Får foreningerne de 30.000 kr. hvert år?": the figure is as telling as a rare word — the few chunks that
    state it as written are an exact ranking of their own; a longer figure ("130.000") is not it."""
    retriever = assistant.retriever
    figures = Counter(f for c in retriever._chunks for f in set(re.findall(r"\d{1,3}(?:\.\d{3})+", c.text)))
    checked = 0
    for figure, n in figures.items():
        if n > 3:
            continue
        ranked = {i for i, _ in retriever.exact_ranking((), None, (figure,))}
        stating = {
            i
            for i, c in enumerate(retriever._chunks)
            if re.search(rf"(?<![\d.,]){re.escape(figure)}(?!\d|[.,]\d)", c.text)
        }
        assert ranked == stating, figure
        checked += 1
    assert checked >= 3
    assert not retriever._chunks_with_figure("0.000") & retriever._chunks_with_figure("50.000")


def test_a_later_part_keeps_the_pool_the_message_names_not_the_pages(assistant):
    """ "Hvor mange penge er der i viceværtpuljen, og i hvilken periode skal de bruges?" asked on another pool's
    page: both parts are about the pool the message names."""
    checked = 0
    for page in assistant.specs:
        for named, spec in assistant.specs.items():
            if named == page:
                continue
            question = f"Hvor mange penge er der i {spec.short_name}, og i hvilken periode skal de bruges?"
            answer = assistant.ask(question, pool=page, now=NOW)
            pools = {assistant.corpus.by_id[c.doc_id].meta.pool for c in answer.citations} - {None}
            assert pools <= {named}, (page, named, answer.answer)
            checked += bool(pools)
    assert checked


def test_no_passage_follows_a_calculation_on_the_askers_own_figures(assistant):
    """ "Vi får 80.000 kr. – skal regnskabet revideres?": the calculation is the answer to their case; the general
    rule beside it ("Der kan ydes tilskud til … revisor") would contradict it for them."""
    checked = 0
    for pool in _pool_with_fact(assistant, "revision_graense"):
        for question in (
            "Skal vi have revisor på? Vi får 90.000 kr.",
            "skal regnskabet revideres af en revisor? vi far ca 70.000 kr",
            "Vi får 250.000 kr. – skal vi have en revisor på regnskabet?",
        ):
            answer = assistant.ask(question, pool=pool, now=NOW)
            assert "Se også" not in answer.answer, answer.answer
            checked += 1
    assert checked


def test_a_special_cases_section_gives_way_to_the_general_one_when_its_case_is_not_asked(assistant):
    """ "It-problemer ved indgivelse af ansøgning" narrows "Indgivelse af ansøgning": a question that never names
    the narrowing words is about the general section, which leads; one that names them keeps the special case.
    "Ikke tilskudsberettigede udgifter" is the opposite rule, not a special case of the eligible ones."""
    from assistant.pipeline.retrieve import _NOT_NARROWING, Passage, _general_before_special, _title_words

    chunks = {}
    for c in assistant.retriever._chunks:
        chunks.setdefault((c.doc_id, c.section), c)
    checked = 0
    for special in chunks.values():
        for general in chunks.values():
            words, more = _title_words(general), _title_words(special)
            if special.doc_id != general.doc_id or not words or not words < more:
                continue
            narrowing = sorted(more - words - (_NOT_NARROWING - {"ikke"}))
            ranked = [Passage(special, 1.0, 0.9), Passage(general, 0.95, 0.9)]
            plain = _general_before_special(ranked, None, "Hvordan gør vi det?")
            named = _general_before_special(ranked, None, f"Hvordan gør vi det med {' '.join(narrowing)}?")
            if not narrowing:
                continue
            if narrowing == ["ikke"]:
                assert plain[0].chunk is special, (special.title, general.title)
                continue
            assert plain[0].chunk is general and named[0].chunk is special, (special.title, general.title)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "sentence",
    [
        "Ansøger oplyser, at ansøger grundet it-tekniske problemer ikke kan indsende ansøgningen.",
        "Hvis portalen er nede, kan ansøger ikke indsende via portalen.",
        "Ansøger kan på grund af nedbrud ikke indsende ansøgningen digitalt.",
    ],
)
def test_a_sentence_about_a_circumstance_gives_no_plain_yes_or_no(sentence):
    """ "… grundet it-tekniske problemer ikke kan indsende" is a rule for a circumstance, not a no to sending by
    e-mail in general: its polarity is not read as a verdict."""
    from assistant.pipeline.compose import _SAYS_MUST_OR_MAY, _polarity

    assert _polarity(fold(sentence).split(), _SAYS_MUST_OR_MAY) is None


@pytest.mark.parametrize("figure", ["30 %", "25 procent", "15 pct."])
def test_a_figure_in_a_unit_is_answered_by_the_sentence_that_sets_the_limit_in_that_unit(assistant, figure):
    """ "Vi vil flytte 30 % af lønposten – må vi?": of a section's sentences, the one that states a limit in the
    question's unit ("op til 10 pct. af en budgetpost") answers; a procedural one beside it does not."""

    from assistant.pipeline.retrieve import Passage, Passages

    pipeline, retriever = assistant.pipeline, assistant.pipeline.retriever
    chunks = {(c.doc_id, c.section): c for c in retriever._chunks}
    checked = 0
    for (doc_id, section), sec in assistant.corpus.sections.items():
        sentences = [s.text for s in retriever.sentences(doc_id, section) if s.quotable]
        with_unit = [t for t in sentences if re.search(r"\d\s*(?:%|pct\b|procent)", t)]
        if len(sentences) < 4 or len(with_unit) != 1 or (doc_id, section) not in chunks or not sec.pool:
            continue
        question = f"Vi vil gerne ændre {figure} af det. Må vi bare gøre det?"
        query = _understood(pipeline, question, sec.pool)
        vector = retriever.embed_question(question)
        found = Passages((Passage(chunks[(doc_id, section)], 1.0, 0.9),), 1.0, vector, question)
        quoted = pipeline.quote(query, found).quotes[0].quote
        assert with_unit[0] in quoted, (section, quoted)
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    ("sentence", "question", "no"),
    [
        (
            "Der skal være et samarbejde med kommunen, men der er ingen formaliserede krav til omfanget.",
            "Skal vi have et samarbejde med kommunen?",
            False,
        ),
        ("Der er ingen krav til samarbejdsaftalens form og indhold.", "Skal vi have en samarbejdsaftale?", False),
        (
            "Der er ikke krav om, at et lokalt partnerskab skal mobilisere 30 foreninger eller flere.",
            "Skal partnerskabet mobilisere 30 foreninger?",
            True,
        ),
    ],
)
def test_not_required_is_a_no_only_for_the_thing_itself(assistant, sentence, question, no):
    """ "Ingen krav til samarbejdsaftalens form" frees the agreement's form, not the agreement; a sentence that also
    says what must be ("Der skal være et samarbejde …, men …") is no plain "not required"."""

    from assistant.models import Citation
    from assistant.pipeline.compose import requirement_verdict

    pipeline = assistant.pipeline
    query = _understood(pipeline, question, None)
    citation = Citation(doc_id="d", section="1", title="1", quote=sentence, score=0.0, label="d")
    assert bool(requirement_verdict(query, [citation])) is no


@pytest.mark.parametrize(
    "question",
    [
        "Skal der være frivillige med i projektet?",
        "Do the agreements have to be signed before we apply?",
        "Må en virksomhed få sign on fee?",
    ],
)
def test_a_passage_answer_to_a_question_naming_no_pool_says_which_pools_rule_it_is(assistant, question):
    """No pool named, and the passage shown is one pool's rule: the answer says which pool, for another pool's
    rule may differ — a hotline worker reading it aloud must not give it as everyone's."""
    answer = assistant.ask(question, now=NOW)
    pools = {assistant.corpus.by_id[c.doc_id].meta.pool for c in answer.citations[:1]}
    assert not (answer.clarification or answer.facts or answer.abstained or None in pools), answer.answer
    (pool,) = pools
    assert assistant.specs[pool].short_name in answer.answer, answer.answer


def test_a_paragraph_up_to_the_whole_unit_length_is_quoted_whole(assistant):
    """A rule's condition or exception often stands in its paragraph's last sentence: a paragraph or list item
    of up to 400 characters (about five lines on a phone) is quoted whole when the quote is cut from it."""
    quoter, retriever = assistant.pipeline.quoter, assistant.pipeline.retriever
    checked = 0
    for (doc_id, section), sec in assistant.corpus.sections.items():
        units = [u for u in quoter.units(doc_id, section) if u.quotable]
        if len(units) < 4 or sec.kind == "faq":
            continue
        for unit in units:
            if 300 < len(unit.text) <= 400 and len(unit.spans) >= 3:
                first = unit.text[: unit.spans[0][1]]
                citation = quoter.quote(doc_id, section, first, retriever.embed_question(first), ())
                if first in citation.quote:
                    checked += 1
                    assert unit.text in citation.quote, (doc_id, section, citation.quote)
    assert checked >= 3


# Glossary entries (everyday words → the documents' words), each with three phrasings it serves.
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        # "slutrapport", "statusrapport", "rapport" → "afrapportering"
        ("Hvad skal der stå i slutrapporten?", "Der skal indsendes faglig afrapportering"),
        ("Hvad skal statusrapporten indeholde?", "Der skal indsendes faglig afrapportering"),
        ("Skal vi lave en rapport bagefter?", "Der skal indsendes faglig afrapportering"),
        # "fodbold", "svømning", "sport" → "idrætsaktiviteter"
        ("Kan vi få støtte til svømning for udsatte unge?", "idrætsaktiviteter"),
        ("Giver I penge til sport og motion for ældre?", "idrætsaktiviteter"),
        ("Kan vores fodboldklub få penge til træning for børn?", "idrætsaktiviteter"),
        # "fond", "sponsor", "medfinansiering" → "tilskud fra anden side"
        (
            "Må projektet afhænge af penge fra en fond, vi ikke har fået svar fra endnu?",
            "afhængig af tilskud fra anden side",
        ),
        ("Vi venter på svar fra en sponsor – kan vi søge alligevel?", "afhængig af tilskud fra anden side"),
        ("Skal medfinansiering være på plads, før vi søger?", "afhængig af tilskud fra anden side"),
        # the project's end → "faglig afrapportering" and accounts
        ("Hvad skal vi gøre, når projektet er slut?", "faglig afrapportering"),
        ("Hvad skal vi sende ind efter projektets afslutning?", "faglig afrapportering"),
        ("What do we need to hand in when the project ends?", "faglig afrapportering"),
        # money not spent in the project year → "overførsel af uforbrugt tilskud"
        ("Hvad gør vi, hvis vi ikke kan nå at bruge alle pengene?", "uforbrugt tilskud"),
        ("Vi når ikke at bruge hele bevillingen i år – hvad så?", "uforbrugt tilskud"),
        ("What happens to money we have left over at the end of the year?", "uforbrugt tilskud"),
        ("We won't manage to spend it all this year – what now?", "uforbrugt tilskud"),
        # the money put down for a room → "depositum"
        ("Kan puljen betale indskuddet på et lokale til vores aktiviteter?", "depositum"),
        ("Må vi bruge tilskuddet til indskud på mødelokalet?", "depositum"),
        ("Can the grant pay the deposit for renting a room?", "depositum"),
        # a gift voucher → "gavekort"
        ("Må vi give deltagerne et gavebevis som tak?", "gavekort"),
        ("Kan vi købe gavechecks til frivillige for tilskuddet?", "gavekort"),
        ("Er et tilgodebevis til biografen en udgift, der kan dækkes?", "gavekort"),
        # paid before the grant → "udgifter, der er afholdt, før der blev ydet tilskud"
        ("Vi har betalt for lokaler, før vi fik svar på ansøgningen. Kan det komme med?", "afholdt, før der blev"),
        ("Kan udgifter, vi har lagt ud inden tilsagnet, dækkes?", "afholdt, før der blev"),
        ("We paid for materials before the grant was approved – can that be covered?", "afholdt, før der blev"),
    ],
)
def test_everyday_words_find_the_sections_that_use_the_documents_words(assistant, question, phrase):
    _assert_found_where_the_documents_say(assistant, question, phrase)


@pytest.mark.parametrize(
    "question", ["Hvornår får vi tilsagn?", "Kan vi starte før tilsagnet?", "Efter tilsagn, hvad så?"]
)
def test_tilsagn_is_the_documents_grant(question):
    """ "Tilsagn" is the applicants' word for a grant given; the guidelines say "ydet tilskud"."""
    from assistant.glossary import document_terms

    assert "tilskud" in document_terms(question)


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi søge §18-midler hos jer?",
        "Hvordan søger vi kommunens § 18 tilskud til vores forening?",
        "Where do we apply for §115-støtte today?",
        # money named as everyday words ("penge") or in English
        "Vi vil søge §115-penge hos kommunen til vores besøgsvenner. Hvordan gør vi?",
        "Hvordan får vi fat i § 18-pengene?",
        "How do we apply for §115 funding?",
    ],
)
def test_support_named_by_a_law_section_is_a_scheme_we_do_not_cover(assistant, question):
    """'§18-midler', '§115-støtte' are schemes of their own (often the municipality's): declined with where to
    ask, never answered with a pool's rules."""
    answer = assistant.ask(question, now=NOW)
    assert answer.abstained and not answer.citations and "§" in answer.answer, answer.answer
    assert "kommune" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår træffer I afgørelse?",
        "Hvornår får vi besked om en studietur?",
        "Hvad koster en hoppeborg typisk for en forening?",
    ],
)
def test_a_not_stated_answer_shows_no_nearest_passage_that_uses_none_of_the_questions_words(assistant, question):
    """'Det nærmeste, vejledningen siger' is shown only where the passage is about the question at all."""
    from assistant.danish import stem
    from assistant.pipeline.compose import SHARED_PREFIX

    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        nearest = [p for p in answer.answer.split("\n\n") if p.startswith("Det nærmeste")]
        own = [fold(w) for w in re.findall(r"\w{4,}", question)]
        for paragraph in nearest:
            assert any(stem(w)[:SHARED_PREFIX] in fold(paragraph) for w in own), (question, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi har ingen frivillige, kun ansatte. Kan vi stadig søge?",
        "Vores forening er ikke landsdækkende – er det stadig muligt at søge?",
        "We don't have any volunteers. Can we still apply?",
    ],
)
def test_still_after_what_the_asker_lacks_asks_despite_it_not_about_time(question):
    """ "Kan vi stadig søge?" alone asks whether there is time left; after what the asker lacks or is not it
    asks whether they may apply despite that (intents.yaml: topic_still), which no deadline answers."""
    from assistant.pipeline.understand import match_intents

    intents = load_intents()
    assert "frist" not in [i.name for i in match_intents(fold(question), intents)], question
    alone = question.split(". ")[-1].split("– ")[-1]
    assert "frist" in [i.name for i in match_intents(fold(alone), intents)], alone


@pytest.mark.parametrize(
    ("question", "who_may_apply"),
    [
        ("Aftalen med boligselskabet er ikke underskrevet endnu. Kan vi søge alligevel?", False),
        ("Vi har ingen lokalafdelinger uden for København – kan vi så søge?", False),
        ("We don't have a signed agreement yet. Can we apply anyway?", False),
        ("Vi er ikke en forening, men en kommune. Kan vi søge?", True),
        ("Vi har kun aktiviteter i Aarhus. Kan vi søge?", True),  # "kun" narrows who they are: who may apply
        ("Kan vi søge?", True),
    ],
)
def test_can_we_apply_after_what_the_asker_lacks_asks_whether_that_stops_them(question, who_may_apply):
    """After what the asker lacks ("ikke underskrevet", "ingen lokalafdelinger"), "kan vi søge?" asks whether
    that stops them — the passage on that thing answers, not the applicant list (a yes from the list would
    answer what was not asked). What kind of body the asker is not still asks who may apply."""
    from assistant.pipeline.understand import match_intents

    lexicon = load_lexicon()
    askers = frozenset(w for kind in lexicon.applicant_kinds.values() for t in kind.terms for w in fold(t).split())
    names = [i.name for i in match_intents(fold(question), load_intents(), askers=askers)]
    assert ("ansoegerkreds" in names) is who_may_apply, (question, names)


def test_an_asking_sentence_that_names_nothing_is_quoted_from_the_setting_told_before_it(assistant):
    """ "… men den er ikke underskrevet endnu. Kan vi søge alligevel?": the asking sentence names nothing of its
    own, so the sentence quoted is the one about what the setting names, not the section's introduction."""

    from assistant.pipeline.retrieve import Passage, Passages

    pipeline, retriever = assistant.pipeline, assistant.pipeline.retriever
    chunks = {(c.doc_id, c.section): c for c in retriever._chunks}
    checked = 0
    for (doc_id, section), sec in assistant.corpus.sections.items():
        units = [u for u in pipeline.quoter.units(doc_id, section) if u.quotable]
        if sec.kind != "vejledning" or len(units) < 4 or (doc_id, section) not in chunks:
            continue
        unit = units[len(units) // 2]
        sentence = unit.text[unit.spans[0][0] : unit.spans[0][1]]
        rare = sorted(
            (w for w in re.findall(r"[a-zæøå]{7,}", sentence.lower())),
            key=lambda w: retriever._idf.get(w[:4], 0.0),
        )[-3:]
        if len(rare) < 3:
            continue
        question = f"Vi er i tvivl om {rare[0]}, {rare[1]} og {rare[2]}. Kan vi søge alligevel?"
        query = _understood(pipeline, question, sec.pool)
        vector = retriever.embed_question(query.search_text)
        found = Passages((Passage(chunks[(doc_id, section)], 1.0, 0.9),), 1.0, vector, query.search_text)
        quoted = pipeline.quote(query, found).quotes[0].quote
        checked += 1
        assert sentence in quoted or any(w in quoted.lower() for w in rare), (section, sentence, quoted)
    assert checked >= 3


@pytest.mark.parametrize(
    "question",
    [
        "The portal went down just before the deadline and we couldn't submit. What now?",
        "Vi kunne ikke indsende i går aftes før fristen, fordi siden drillede – hvad gør vi?",
        "The site was down at the deadline so we could not submit. What should we do?",
        "Portalen giver en fejl, og fristen er i aften – hvad gør vi?",
        "Vi får en fejlbesked ved indsendelse lige før fristen.",
        "The portal shows an error on the deadline day, what now?",
    ],
)
def test_a_failed_submission_is_no_deadline_question(question):
    """Told that submitting failed, the deadline named beside it is the setting: excluded like a portal that
    is down (intents.yaml: frist.excludes)."""
    _assert_no_deadline_intent(question)


@pytest.mark.parametrize(
    "question",
    [
        "Vi kan kun samle 15 foreninger. Er vi så udelukket?",
        "Er vi udelukket, hvis vi ikke er landsdækkende?",
        "Are we excluded if we only have 15 associations?",
    ],
)
def test_being_excluded_is_no_question_of_when_the_pool_closes(question):
    """ "Udelukket" holds "lukke" (the pool closing) inside it, but asks whether the asker may apply."""
    _assert_no_deadline_intent(question)


def _assert_no_deadline_intent(question: str) -> None:
    from assistant.pipeline.understand import match_intents

    intents = load_intents()
    assert "frist" not in [i.name for i in match_intents(fold(question), intents)], question


@pytest.mark.parametrize(
    "question",
    [
        "Tilskudsportalen virker ikke, og fristen er om en time – hvad gør vi?",
        "Hjælp, portalen er nede og vi skal nå fristen i aften!",
        "The grant portal is down and the deadline is tonight. What do we do?",
    ],
)
def test_a_portal_failure_before_the_deadline_is_answered_with_the_it_problem_procedure(assistant, question):
    """Naming the deadline beside a failing portal asks what to do about the portal, not when the deadline is."""
    _assert_found_where_the_documents_say(assistant, question, "it-tekniske problemer")
    _assert_no_pool_answers_with_fact(assistant, question, "ansoegningsfrist")


def _not_required_claims(assistant) -> list[tuple[str, str]]:
    """(pool, what) of the documents' sentences "Der er ikke krav om, at <what>" / "Det er ikke et krav, at …"."""
    out = []
    for sec in assistant.corpus.sections.values():
        for match in re.finditer(r"(?:ikke krav om|ikke et krav), at ([^.,]+)", sec.text):
            if sec.pool:
                out.append((sec.pool, match.group(1).strip()))
    return out


@pytest.mark.parametrize(
    "template", ["Er det et krav, at {what}?", "Skal det være sådan, at {what}?", "Kræves det, at {what}?"]
)
def test_asking_whether_something_the_documents_say_is_not_required_is_answered_no(assistant, template):
    claims = _not_required_claims(assistant)
    assert claims
    for pool, what in claims:
        answer = assistant.ask(template.format(what=what), pool=pool, now=NOW)
        assert answer.answer.startswith(("Nej – det er ikke et krav", "No – the guideline says")), (what, answer.answer)


def _how_much_intents(assistant) -> list[tuple[str, str]]:
    """(intent, a one-word topic term) of the intents other than the pool's total whose fact is an amount."""
    pipeline = assistant.pipeline
    return [
        (intent.name, term)
        for intent in pipeline.intents
        if intent.name != "puljebeloeb"
        and "how_much" in pipeline.answers[intent.name]
        and any(_pool_with_fact(assistant, k) for k in intent.keys)
        for term in [t for t in intent.topic if " " not in t.strip() and len(t) >= 6][:1]
    ]


@pytest.mark.parametrize(
    "template",
    ["Hvor meget er {t} i puljen?", "Hvad er beløbet for {t} i puljen?", "Hvor stort et beløb er {t} i puljen på?"],
)
def test_a_facts_own_word_beside_in_the_pool_asks_for_that_fact_not_the_pools_total(assistant, template):
    """'i puljen' says only where: beside another fact's own word ("sign on fee i puljen") the question asks for
    that fact, and the pool's total is no answer to it."""
    checked = 0
    for name, term in _how_much_intents(assistant):
        intent = next(i for i in assistant.pipeline.intents if i.name == name)
        answer = assistant.ask(template.format(t=term), now=NOW)
        keys = {f.key for f in answer.facts}
        assert "puljebeloeb" not in keys, (term, answer.answer)
        checked += bool(keys & set(intent.keys))
    assert checked >= 3


@pytest.mark.parametrize(
    "template", ["Hvor meget kan man få i {t}?", "Hvad er loftet for {t}?", "Er der et maksimum på {t}, vi kan få?"]
)
def test_a_fact_term_only_one_pools_documents_use_is_answered_for_that_pool_alone(assistant, template):
    """No pool named, one pool alone states the fact, and the fact's own term stands in no other pool's text
    ("sign on fee"): the others are not silent on it, they have no such thing — not listed as 'oplyser ikke'."""
    pipeline = assistant.pipeline
    checked = 0
    for intent in pipeline.intents:
        stating = {p for k in intent.keys for p in _pool_with_fact(assistant, k)}
        for term in intent.topic:
            users = [p for p in assistant.specs if pipeline._uses_phrase(p, fold(term))]
            if len(stating) != 1 or users != sorted(stating) or len(term) < 6:
                continue
            answer = assistant.ask(template.format(t=term), now=NOW)
            if set(intent.keys) & {f.key for f in answer.facts}:
                checked += 1
                assert "oplyser ikke" not in answer.answer, (term, answer.answer)
    assert checked >= 1


@pytest.mark.parametrize(
    "template",
    ["Hvornår skal {t}pengene være brugt?", "Må vi bruge {t}midlerne på løn?", "Hvem kan søge {t}tilskuddet?"],
)
def test_a_compound_of_a_pools_own_name_word_names_that_pool(assistant, template):
    """ "viceværtpengene", "partnerskabsmidlerne": a compound that starts with a word of one pool's name that no
    other pool's documents use is about that pool, not every pool."""
    checked = 0
    for pool, tokens in assistant.pipeline.name_tokens.items():
        for token in sorted(t for t in tokens if len(t) >= 8 and fold(t) == t and t.isalpha())[:1]:
            answer = assistant.ask(template.format(t=token), now=NOW)
            docs = {c.doc_id for c in answer.citations} | {f.doc_id for f in answer.facts}
            cited = {assistant.corpus.document(d).meta.pool for d in docs}
            assert cited <= {pool, None} and not answer.clarification, (token, answer.answer)
            checked += 1
    assert checked >= 2


def _quoted_sentences(answer) -> list[str]:
    return [s for c in answer.citations for s in re.split(r"(?<=[.!?])\s+", c.quote)]


@pytest.mark.parametrize(
    ("question", "words", "word"),
    [
        ("Skal vi have udlejningsaftaler med boligorganisationerne, inden vi søger?", ["udlejningsaftaler"], "Ja"),
        ("Må vi bruge tilskuddet på en tablet og et skrivebord til projektet?", ["tablet", "skriveborde"], "Ja"),
        ("Skal forventede indtægter med i projektets budget?", ["indtægter"], "Ja"),
        ("Kan vi lægge en pulje til uforudsete udgifter ind i budgettet?", ["uforudsete"], "Nej"),
        ("Can we get a grant for a tablet and a desk for the project?", ["tablet", "skriveborde"], "Yes"),
    ],
)
def test_a_yes_no_question_a_quoted_sentence_answers_plainly_leads_with_yes_or_no(assistant, question, words, word):
    """Answer first: where one quoted sentence uses the question's own words and says its modal plainly
    ("Ansøger skal have indgået … udlejningsaftaler"), the answer starts with the yes or no it gives, and the
    quote under it holds a sentence of that polarity. Asked of each pool whose documents use the words."""
    pools = [p for p in assistant.specs if all(assistant.pipeline._speaks_of(p, fold(w)) for w in words)]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith(f"{word} –"), (pool, answer.answer)
        sentences = re.split(r"(?<=[.!?])\s+", answer.citations[0].quote)
        negated = [bool(re.search(r"\b(?:ikke|ingen)\b", s)) for s in sentences]
        assert (not all(negated)) if word in ("Ja", "Yes") else any(negated), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        # (A sentence yes for one kind of body beside one no for another is the no for the kind asked of:
        # test_a_sentence_denying_a_thing_to_the_kind_of_body_asked_of_is_a_plain_no.)
        "Må lønnen i projektet indeholde pension?",  # one verb in common is no answer
        "Kan vi få forlænget projektet, hvis vi ikke når det?",  # a negated question
        "Kan der gives tilskud til materiel for 80.000 kr.?",  # a rule with a limit
        "Skal den underskrevne aftale med kommunen være med i ansøgningen?",  # "ikke et krav" beside "skal"
        "Skal samarbejdsaftalen være skrevet under, inden vi sender ansøgningen?",
    ],
)
def test_no_plain_yes_or_no_where_the_quotes_do_not_say_it_plainly(assistant, question):
    """A yes or no is given only where it cannot mislead: never beside a quoted sentence on the same words that
    says the opposite, never from a sentence that shares one verb, a condition or a figure with the question."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.match(r"(?:Ja|Nej|Yes|No) – (?:sådan står det|the guideline says)", answer.answer), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan kommuner få tilskud til moms, eller skal de budgettere uden moms?",
        "Kan en region få momsen dækket af tilskuddet, eller skal udgifterne være eksklusive moms?",
        "Kan en kommune få dækket moms, eller skal budgettet være eksklusive moms?",
        "Can a municipality get a grant for VAT, or must the budget be without VAT?",
    ],
)
def test_a_yes_or_no_answers_the_first_of_two_alternatives(assistant, question):
    """ "Kan vi X, eller skal vi Y?" sets Y against X: the yes or no is X's. A must-sentence that says Y ("skal
    … være eksklusive moms") is no yes to X ("kan ikke få tilskud til dækning af moms")."""
    leads = []
    for pool in [p for p in assistant.specs if assistant.pipeline._speaks_of(p, "moms")]:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Ja –", "Yes –")), (pool, answer.answer)
        leads.append(answer.answer.startswith(("Nej –", "No –")))
    assert any(leads)


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår kan ansøgerne regne med at få svar på ansøgningen?",
        "Er der et loft over, hvor meget én ansøgning kan søge?",
        "Hvor mange dage tager det at behandle en ansøgning?",
    ],
)
def test_a_nearest_passage_must_share_a_word_that_does_not_stand_all_over_the_pools_documents(assistant, question):
    """ "Det nærmeste, … siger" shares with the question a word that is not in a quarter of the pool's sections:
    "ansøgning" or "kommune" stand everywhere, and a passage that shares only them is noise, not the nearest."""
    from assistant.danish import stem
    from assistant.pipeline.compose import SHARED_PREFIX

    pipeline = assistant.pipeline
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if not any(p.startswith("Det nærmeste") for p in answer.answer.split("\n\n")):
            continue
        used = fold(answer.citations[0].quote).split()
        own = [fold(w) for w in re.findall(r"\w{4,}", question)]
        shared = [w for w in own if any(u.startswith(stem(w)[:SHARED_PREFIX]) for u in used)]
        assert any(not pipeline._widespread(pool, w) for w in shared), (pool, question, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår var ansøgningsfristen for lokale partnerskaber i 2024?",
        "Hvor lang tid havde man til at søge partnerskabspuljen i 2024?",
        "Hvad var sidste frist i 2024-runden af lokale partnerskaber?",
    ],
)
def test_a_nearest_passage_from_another_year_than_asked_says_its_year_and_no_guideline_is_promised(assistant, question):
    """A round asked for and a document of another year shown as the nearest: its year is said, so the 2022
    round's text is not read as the 2024 rule. A pool known from an FAQ and a partner's page has no
    vejledning, and the answer does not promise one."""
    answer = assistant.ask(question, now=NOW)
    assert "oplyser ikke" in answer.answer, answer.answer
    assert "Vejledningen" not in answer.answer and "vejledningen siger" not in answer.answer, answer.answer
    for citation in answer.citations:
        year = assistant.corpus.document(citation.doc_id).meta.year
        if str(year) != "2024":
            assert f"fra {year}" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi lægge en pulje til uforudsete udgifter ind i budgettet?",
        "Må vi afsætte en lille pulje til aktiviteter for deltagerne?",
        "Kan foreningen bruge sin egen pulje til transport som medfinansiering?",
    ],
)
def test_a_pulje_of_ones_own_is_no_unknown_pool(assistant, question):
    """ "en pulje til …" is a sum in a budget: only a pool named ("puljen til …", "X-puljen") can be one we lack."""
    _never_in_any_pools_answer(assistant, question, "Jeg har ikke vejledningen for")


def _applicant_lists(assistant) -> list[tuple[str, str]]:
    """(pool, folded quote) of each pool's facts that list who may apply."""
    keys = assistant.pipeline.keys
    return [
        (pool, fold(entry.quote))
        for pool, facts in assistant.pool_facts.items()
        for entry in facts.facts
        if keys[entry.key].lists_applicants
    ]


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Vi er en {t}. Kan vi søge {p}?", {"kommune": "kommune", "forening": "forening", "virksomhed": "virksomhed"}),
        (
            "Kan vores {t} søge {p}?",
            {"kommune": "kommune", "forening": "forening", "frivilligcenter": "frivilligcenter"},
        ),
        ("Can our {t} apply for {p}?", {"kommune": "municipality", "forening": "association", "virksomhed": "company"}),
        (
            "We're a {t}. Can we apply to {p}?",
            {"kommune": "municipality", "forening": "association", "virksomhed": "company"},
        ),
        ("Kan en {t} selv søge {p}?", {"kommune": "kommune", "forening": "forening", "virksomhed": "virksomhed"}),
        ("kan en {t} ogsaa soge {p}", {"kommune": "kommune", "forening": "forening", "virksomhed": "virksomhed"}),
        # words that describe the body stand between "we are a" and its kind
        (
            "Vi er en lille privat {t}. Kan vi søge {p}?",
            {"kommune": "kommune", "forening": "forening", "virksomhed": "virksomhed"},
        ),
        (
            "We are a small private {t}. Can we apply for {p}?",
            {"forening": "association", "organisation": "NGO", "virksomhed": "company"},
        ),
        (
            "Vi er en mindre, lokal {t} på Fyn. Kan vi søge {p}?",
            {"kommune": "kommune", "forening": "forening", "virksomhed": "virksomhed"},
        ),
    ],
)
def test_can_we_apply_naming_the_askers_kind_is_answered_yes_or_no_from_the_applicant_list(assistant, template, words):
    """ "Vi er en boligforening – kan vi søge?": yes where the pool's list of who may apply names the asker's
    kind, no where it names no kind of the asker's group (public bodies, civil society, businesses), and no
    yes or no in between. Every pool's list, as the data says it."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = set()
    for pool, quote in _applicant_lists(assistant):
        named = {k for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        for kind, word in words.items():
            question = template.format(t=word, p=assistant.specs[pool].short_name)
            answer = assistant.ask(question, now=NOW)
            lead = answer.answer.split("\n")[0]
            # A list with conditions ("…, der er landsdækkende") gets no yes: "en lokal forening" is a forening.
            conditioned = re.search(r"\b(?:der|som|med|hvis)\b", quote)
            if kind in named and not conditioned:
                expected = "Ja" if template.lower().startswith(("kan", "vi er")) else "Yes"
            elif named and kinds[kind].group not in {kinds[k].group for k in named}:
                expected = "Nej" if template.lower().startswith(("kan", "vi er")) else "No"
            else:
                expected = None
            if expected:
                assert lead.startswith(f"{expected} –"), (question, answer.answer)
                checked.add(expected)
            else:
                assert not re.match(r"(?:Ja|Nej|Yes|No) –", lead), (question, answer.answer)
    assert len(checked) >= 2 if "Can" not in template else checked


@pytest.mark.parametrize(
    ("history", "question"),
    [
        ([], "Vi er en {t}. Hvornår er fristen for {p}?"),
        ([], "Som {t} vil vi gerne vide, om vi kan få dækket moms i {p}."),
        (["Vi er en {t} og overvejer at søge."], "Hvad er formålet med {p}?"),
    ],
)
def test_an_asker_outside_the_pools_applicants_is_told_so_first_whatever_was_asked(assistant, history, question):
    """ "Vi er en privat forening – … Gælder det også for X?": a pool that only a kind of another group may apply
    for (municipalities to an association) is moot for the asker, whatever the detail asked; the no comes first.
    A kind of the same group, or none, gets no such line."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        named = {k for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        groups = {kinds[k].group for k in named}
        for kind, spec in kinds.items():
            word = spec.terms[0]
            turns = [{"role": "user", "content": h.format(t=word)} for h in history]
            name = assistant.specs[pool].short_name
            leads = []
            answer = assistant.ask(question.format(t=word, p=name), history=turns, now=NOW, on_lead=leads.append)
            # A lead streamed early is how the answer starts: never the detail the no replaces.
            assert all(answer.answer.startswith(lead) for lead in leads), (leads, answer.answer)
            outside = bool(named) and spec.group not in groups
            # Told in this turn, the no answers it; told in the turn before, this turn asks something else, and
            # the line is a note (a "Nej –" before it would read as the answer to that).
            said = answer.answer.startswith(f"{'Bemærk:' if history else 'Nej –'} ansøgerkredsen for {name}")
            assert said == outside, (pool, kind, answer.answer)
            if said:
                # The detail asked about is moot for them: only the list it rests on is quoted.
                shown = [p for p in answer.answer.split("\n\n") if p.startswith("«")]
                lists = [fold(q) for p, q in _applicant_lists(assistant) if p == pool]
                assert len(shown) == 1 and any(q in fold(shown[0]) for q in lists), answer.answer
            checked += outside
    assert checked >= 2


@pytest.mark.parametrize(
    "question",
    [
        "Får vi tilskud til momsen?",
        "Må vi tage moms med i budgettet?",
        "kan vi faa moms daekket",
        "Can we get VAT covered?",
        "Is VAT covered by the grant?",
        "Should we budget for VAT?",
    ],
)
def test_a_yes_or_no_is_drawn_from_who_may_apply_and_what_the_rule_says_of_them(assistant, question):
    """A pool only municipalities may apply for, and a rule on VAT that says what municipalities may not have:
    the answer to "we" is that rule's no, said with the applicant list it rests on. Pools whose list has
    conditions, or kinds of several groups, get no such line."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        named = {k for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        public_only = named and {kinds[k].group for k in named} == {"public"}
        says = [
            sentence
            for d in assistant.corpus.documents
            if d.meta.pool == pool
            for sec in d.sections
            for sentence in re.split(r"(?<=\.)\s+", sec.text)
            if "moms" in sentence.lower() and re.search(r"\bkan ikke\b", sentence) and "ommuner" in sentence
        ]
        answer = assistant.ask(question, pool=pool, now=NOW)
        name = assistant.specs[pool].short_name
        lead = "Nej – ansøgerkredsen for " if question[0] in "FMk" else "No – "
        drawn = lead + name in answer.answer.split("\n\n")[0]
        if public_only and says and not re.search(r"\b(?:der|som|med|hvis)\b", quote):
            assert drawn, answer.answer
            assert any(f.doc_id == assistant.pool_facts[pool].facts[0].doc_id for f in answer.facts), answer.facts
            checked += 1
        else:
            assert not drawn, answer.answer
    assert checked >= 1


@pytest.mark.parametrize(
    "question",
    [
        "Må vi bruge penge på kursus for de frivillige?",
        "Er kurser for frivillige tilskudsberettigede?",
        "Kan vi få dækket kurser til de frivillige?",
    ],
)
def test_a_thing_both_allowed_and_excluded_is_answered_partly_with_both_quotes(assistant, question):
    """ "Generelle … kursusaktiviteter for frivillige" is not given, "specifikke … kursusaktiviteter for frivillige
    af begrænset omfang" is: neither yes nor no, both shown, the allowing one first. A pool whose documents only
    exclude the thing gets no "partly"."""
    checked = 0
    for pool in assistant.specs:
        sentences = [
            (sec.title, sentence)
            for d in assistant.corpus.documents
            if d.meta.pool == pool and d.meta.kind == "vejledning"
            for sec in d.sections
            for sentence in re.split(r"(?<=\.)\s+", sec.text)
            if "kursusaktiviteter" in sentence
        ]
        if not sentences:
            continue
        allowed = [s for t, s in sentences if "ikke" not in t.lower().split() and " ikke " not in s]
        answer = assistant.ask(question, pool=pool, now=NOW)
        partly = answer.answer.startswith("Delvist –")
        assert partly == bool(allowed), (pool, answer.answer)
        if partly:
            quotes = [p for p in answer.answer.split("\n\n") if p.startswith("«")]
            assert "ikke" not in answer.citations[0].title.lower().split(), answer.citations[0]
            assert "ikke" in answer.citations[1].title.lower().split(), answer.citations[1]
            assert len(quotes) == 2, answer.answer
        checked += 1
    assert checked >= 2


def _defined_terms(assistant) -> list[tuple[str, str, str]]:
    """(pool, term, defining sentence) of the vejledninger's sentences that define a term: "Egnede boliger
    defineres som …", "Landsdækkende sigte forstås som …"."""
    found = []
    for d in assistant.corpus.documents:
        if d.meta.kind != "vejledning":
            continue
        for sec in d.sections:
            for sentence in re.split(r"(?<=\.)\s+|\n", sec.text):
                m = re.match(r"^[\s\-\d)]*([A-ZÆØÅ][a-zæøå]+(?: [a-zæøå]+)?) (?:defineres|forstås) som\b", sentence)
                if m:
                    found.append((d.meta.pool, m.group(1).lower(), sentence.strip(" -")))
    return found


@pytest.mark.parametrize(
    "template", ["Hvad tæller som {t} i {p}?", "Hvad forstås ved {t}? ({p})", "hvad menes med {t} i {p}"]
)
def test_a_question_what_a_term_means_is_answered_by_the_sentence_that_defines_it(assistant, template):
    terms = _defined_terms(assistant)
    assert len(terms) >= 2
    for pool, term, sentence in terms:
        answer = assistant.ask(template.format(t=term, p=assistant.specs[pool].short_name), now=NOW)
        first = next(p for p in answer.answer.split("\n\n") if p.startswith("«"))
        defining = re.sub(r"^[\d)\s]+", "", sentence)[:40]
        assert fold(defining) in fold(first), (term, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Kan vi få {p}-støtte til et projekt, der skal hjælpe ledige i job?",
        "Vores projekt skal få unge arbejdsløse i arbejde – kan det støttes af {p}?",
        "Støtter {p} projekter, der skal få arbejdsløse i arbejde?",
    ],
)
def test_everyday_words_for_employment_find_the_rule_on_it(assistant, template):
    """ "ledige", "arbejdsløse", "job": the guidelines say "beskæftigelse". A question in the applicant's words
    finds the rule on it (not "oplyser ikke noget om arbejdsløse")."""
    rules = [
        (d.meta.pool, sentence)
        for d in assistant.corpus.documents
        if d.meta.kind == "vejledning"
        for sec in d.sections
        for sentence in re.split(r"(?<=\.)\s+", sec.text)
        if "beskæftigelse" in sentence and "ikke" in sentence.split()
    ]
    assert rules
    for pool, sentence in rules:
        answer = assistant.ask(template.format(p=assistant.specs[pool].short_name.split()[0]), now=NOW)
        assert fold(sentence[:60]) in fold(answer.answer), answer.answer


@pytest.mark.parametrize(
    "template",
    [
        "Vi er en {t}. Kan vi få dækket moms?",
        "Som {t} vil vi gerne vide, hvornår fristen er.",
        "vi er en {t} – må vi søge",
    ],
)
def test_the_askers_kind_narrows_the_pools_to_those_open_to_it(assistant, template):
    """No pool named, but the asker says what they are: only the pools whose applicant list names a kind of
    their group concern them — answered for the one, or asked back among those alone."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    lists: dict[str, set[str]] = {}
    for pool, quote in _applicant_lists(assistant):
        lists.setdefault(pool, set()).update(k for k, spec in kinds.items() if term_pattern(spec.terms).search(quote))
    checked = 0
    for kind, spec in kinds.items():
        open_to = {p for p, named in lists.items() if spec.group in {kinds[k].group for k in named}}
        if not open_to or len(open_to) == len(assistant.specs):
            continue
        answer = assistant.ask(template.format(t=spec.terms[0]), now=NOW)
        if len(open_to) == 1:
            assert answer.pool == next(iter(open_to)), (kind, answer.answer)
        else:
            others = set(assistant.specs) - open_to
            assert not any(assistant.specs[p].short_name in (answer.clarification or "") for p in others), (
                kind,
                answer.clarification,
            )
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "question",
    [
        "Vores sociale vicevært skal køre rundt mellem boligafdelinger i hele kommunen. Kan vi få kørsel i egen bil med i budgettet?",
        "Viceværten skal dagligt ud til flere boligafdelinger. Kan transport i egen bil dækkes?",
        "Den sociale vicevært skal rundt til alle boligafdelingerne. Kan kørslen i hans egen bil komme med i budgettet?",
    ],
)
def test_a_rare_word_of_the_setting_does_not_pick_the_passage_over_what_is_asked(assistant, question):
    """ "… mellem boligafdelinger i hele kommunen. Kan vi få kørsel i egen bil …?": the setting's rare word
    stands in the section listing what the application must describe; the question asks about transport."""
    answer = assistant.ask(question, now=NOW)
    assert answer.pool and any(
        "transport i egen bil" in sec.text
        for d in assistant.corpus.documents
        if d.meta.pool == answer.pool
        for sec in d.sections
    )
    first = next(p for p in answer.answer.split("\n\n") if p.startswith("«"))
    assert "transport i egen bil" in first, answer.answer


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("kan kommunen soge nu", "soege"),
        ("hvad er malgruppen", "maalgruppen"),
        ("hvornar skal ansogningen vaere sendt", "ansoegningen"),
    ],
)
def test_a_word_typed_without_aeoeaa_is_read_as_the_documents_word(assistant, typed, meant):
    """ "soge" is "søge" with ø typed as o: folded, the documents' word is "soege" — one plain letter for æ, ø
    or å, whatever the word's length (the one-edit correction leaves short words alone)."""
    assert meant in assistant.pipeline.vocabulary.words
    assert meant in assistant.pipeline.vocabulary.correct(typed, fold(typed)).split()


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi søge {p}, hvis vi samarbejder med kommunen?",
        "Kan vi søge {p} sammen med en virksomhed?",
        "Må vi søge {p} til et projekt for en forening?",
    ],
)
def test_a_kind_named_beside_the_asker_is_no_answer_about_the_asker(assistant, question):
    """ "… sammen med kommunen": the municipality is a partner, not the asker; no yes or no is drawn from it."""
    for pool, _quote in _applicant_lists(assistant):
        answer = assistant.ask(question.format(p=assistant.specs[pool].short_name), now=NOW)
        assert not re.match(r"(?:Ja|Nej) – (?:som|ansøgerkredsen)", answer.answer), answer.answer


@pytest.mark.parametrize(
    ("template", "word", "typo"),
    [
        ("hvor mange {w} er der i {p}?", "penge", "peng"),
        ("hvornår er {w} for {p}?", "ansøgningsfristen", "ansøgnigsfristen"),
        ("hvad er {w} for {p}", "projektperioden", "projektperiden"),
    ],
)
def test_a_word_misspelt_by_one_letter_is_read_as_the_documents_word(assistant, template, word, typo):
    """A rare word the documents never use, one edit from exactly one they do, is read as that word: "hvor
    mange peng" asks what "hvor mange penge" asks, in every pool."""
    checked = 0
    for pool, spec in assistant.specs.items():
        right = assistant.ask(template.format(w=word, p=spec.short_name), now=NOW)
        if not right.facts:
            continue
        wrong = assistant.ask(template.format(w=typo, p=spec.short_name), now=NOW)
        assert {f.key for f in wrong.facts} == {f.key for f in right.facts}, (pool, wrong.answer)
        checked += 1
    assert checked >= 2


def test_a_common_word_is_never_spelled_into_a_document_word(assistant):
    """Only rare words are put right: every common Danish word one edit from a document word stays itself."""
    from wordfreq import zipf_frequency

    from assistant.pipeline.understand import MISSPELT_ZIPF

    vocabulary = assistant.pipeline.vocabulary
    common = ("hver", "dage", "tage", "mere", "lige", "have", "vores", "mine", "skat", "hele", "bare")
    assert all(zipf_frequency(w, "da") >= MISSPELT_ZIPF for w in common)
    text = " ".join(common)
    assert vocabulary.correct(text, fold(text)) == fold(text)


@pytest.mark.parametrize(
    "question",
    [
        "Skal partnerskabet have 30 foreninger med?",
        "Er det et krav, at vi får 30 foreninger med i det lokale partnerskab?",
        "For the local partnerships pool, do we really have to mobilise 30 associations?",
    ],
)
def test_a_not_required_sentence_anywhere_in_the_pools_documents_answers_no_before_the_rules_wording(
    assistant, question
):
    """The rule's wording ("bred mobilisering … skal mobilisere 30 foreninger") and the FAQ answer that says
    it is no requirement stand in different sections: the no leads, quoting the sentence that says so, found in
    the pool's documents even where retrieval ranked the wording first; a setting before the question ("For
    the … pool, do we …?") does not hide that it asks yes or no."""
    answer = assistant.ask(question, now=NOW)
    assert re.match(r"(?:Nej – det er ikke et krav|No – it is not a requirement)", answer.answer), answer.answer
    assert re.search(r"ikke (?:et )?krav|ingen (?:\w+ )?krav", answer.citations[0].quote), answer.answer
    assert [c for c in _not_required_claims(assistant) if c[1] in answer.citations[0].quote]


@pytest.mark.parametrize(
    "question",
    [
        "Hvad skal vi aftale med kommunen, inden projektet starter?",
        "Hvilke krav er der til samarbejdsaftalen med kommunen?",
        "Hvordan skal vi dokumentere, at foreningerne deltager i partnerskabet?",
    ],
)
def test_a_question_that_asks_what_or_how_gets_no_plain_no(assistant, question):
    """ "Hvad skal vi …?" asks for a thing: a "not required" sentence beside it is no answer "Nej"."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.match(r"(?:Ja|Nej|Yes|No) –", answer.answer), answer.answer


def test_a_quoted_lead_in_ending_in_a_colon_brings_what_it_introduces(assistant):
    """ "Projekterne skal omhandle årets tema:" quoted alone promises an answer it does not give: wherever a
    quote holds a sentence that ends in a colon and its paragraph goes on, the quote goes on with it."""
    from assistant.danish import split_sentences

    checked = 0
    for (doc_id, section), sec in assistant.corpus.sections.items():
        if not sec.pool:
            continue
        paragraphs = [split_sentences(re.sub(r"^(?:\d+\)|[-*])\s*", "", p)) for p in sec.paragraphs]
        for n, sentences in enumerate(paragraphs):
            # What follows a lead-in: the rest of its paragraph, or the next paragraph (a list it introduces).
            following = [*sentences[1:], *(paragraphs[n + 1][:1] if n + 1 < len(paragraphs) else [])]
            for lead, after in zip(sentences, following):
                if not lead.endswith(":") or len(lead) < 25:
                    continue
                answer = assistant.ask(lead.rstrip(":") + "?", pool=sec.pool, now=NOW)
                for citation in answer.citations:
                    if lead in citation.quote:
                        checked += 1
                        assert after[:30] in citation.quote, (lead, citation.quote)
    assert checked >= 2


@pytest.mark.parametrize(
    "template",
    [
        "I work for a {t}. Can we apply for {p}?",
        "Jeg arbejder i en {t} – kan vi søge {p}?",
        "I'm employed by a {t}; may we apply to {p}?",
    ],
)
def test_an_asker_who_works_for_a_body_is_that_body(assistant, template):
    """ "I work for a municipality" says who asks as clearly as "we are a municipality": where the pool's list
    names no kind of the body's group, the answer is no, in the asker's language, first."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        groups = {kinds[k].group for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        for kind, spec in kinds.items():
            if not groups or spec.group in groups:
                continue
            english = template.startswith("I")
            word = next((t for t in spec.terms if t in _ENGLISH_KIND), None) if english else spec.terms[0]
            if word is None:
                continue
            answer = assistant.ask(template.format(t=word, p=assistant.specs[pool].short_name), now=NOW)
            assert answer.answer.startswith("No –" if english else "Nej –"), (pool, kind, answer.answer)
            checked += 1
    assert checked


_ENGLISH_KIND = {"municipality", "company", "association", "region", "organization", "charity", "council", "club"}


@pytest.mark.parametrize(
    "template",
    [
        "Er der et loft over, hvor meget én {t} kan søge om?",
        "Hvor mange sider må en {t} skrive i ansøgningen?",
        "Hvor hurtigt får en {t} besked?",
    ],
)
def test_a_nearest_passage_sharing_only_the_askers_kind_is_not_shown(assistant, template):
    """Beside "oplyser ikke", a passage that shares with the question only the asker's kind ("organisation",
    "kommune") tells of that kind, not of what was asked: no nearest passage is better than that one."""
    from assistant.danish import stem
    from assistant.pipeline.compose import SHARED_PREFIX

    kinds = assistant.pipeline.lexicon.applicant_kinds
    asker = {fold(t) for spec in kinds.values() for t in spec.terms}
    for spec in kinds.values():
        question = template.format(t=spec.terms[0])
        for pool in assistant.specs:
            answer = assistant.ask(question, pool=pool, now=NOW)
            if not answer.answer.startswith(("Vejledningen", "Materialet")) or "Det nærmeste" not in answer.answer:
                continue
            used = fold(answer.citations[0].quote).split()
            own = [fold(w) for w in re.findall(r"\w{4,}", question) if fold(w) not in asker]
            assert any(u.startswith(stem(w)[:SHARED_PREFIX]) for w in own for u in used), (pool, answer.answer)


@pytest.mark.parametrize(
    ("told", "count", "every"),
    [
        ("Vores forening har lokalafdelinger i to {n}er. Kan vi søge?", 2, True),
        ("Vi er en lille forening, og alle vores deltagere er fra {m}. Kan vi søge?", 1, True),
        ("Vi har 2 {n}er med i projektet – kan vi så søge?", 2, True),
        ("Vi holder til i {m}. Kan vi søge?", 1, False),
    ],
)
def test_what_the_asker_has_is_judged_against_a_least_number_required(assistant, told, count, every):
    """A fact that is a least number required ("mindst tre forskellige regioner", keys.yaml: minimum_of) is
    judged against what the asker says they have — a number, or the things named one by one — and a shortfall
    the asker says is all they have leads the answer as a no. Named without "kun"/"alle", it is a condition.
    Where the number's sentence defines a term ("Landsdækkende forstås som …"), it is one way to qualify among
    others: the shortfall leads as "not that", never as a no."""
    from assistant.pipeline.rules import defined_term, told_count

    keys = assistant.pipeline.keys
    lexicon = assistant.pipeline.lexicon
    checked = 0
    for pool, facts in assistant.pool_facts.items():
        for entry in facts.facts:
            noun = keys[entry.key].minimum_of
            if not noun or entry.status != "verified" or not isinstance(entry.value, int) or entry.value <= count:
                continue
            members = lexicon.named_members.get(noun, ())
            if "{m}" in told and not members:
                continue
            question = told.format(n=noun, m=f"{noun.capitalize()} {members[0].capitalize()}" if members else "")
            found = told_count(question, noun, members)
            assert (found.count, found.every) == (count, every), question
            answer = assistant.ask(question, pool=pool, now=NOW)
            if entry.key in {f.key for f in answer.facts}:
                term = defined_term(entry.quote)
                assert answer.answer.startswith("Nej –") == (every and not term), (question, answer.answer)
                if term and every:
                    assert answer.answer.startswith("Med ") and f"er I ikke {term}" in answer.answer.split("\n")[0]
                    # The other ways to qualify that the section defines are quoted: they decide the case.
                    others = [c for c in answer.citations if defined_term(c.quote) not in (None, term)]
                    assert others and all(f"«{c.quote}»" in answer.answer for c in others), answer.answer
                    assert answer.answer.count("«") <= 3, answer.answer
                checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["Skal man have afdelinger i tre regioner?", "Er kravet tre regioner eller to?", "Hvor mange regioner kræves der?"],
)
def test_a_number_in_a_question_about_the_rule_is_not_what_the_asker_has(question):
    """Only a sentence about the asker ("vi", "vores") says what they have: the rule restated is no count."""
    from assistant.pipeline.rules import told_count

    assert told_count(question, "region", ("midtjylland",)) is None


def test_a_what_question_met_by_a_lists_lead_in_is_answered_with_the_list(assistant):
    """ "Hvad kan vi ikke få tilskud til?" matches the sentence that introduces a numbered list ("… hvilke udgifter
    der ikke kan dækkes …:"): the quote is that sentence and the first line of each item, as many as fit, each
    piece verbatim — not the one item that came closest. Asked when (no list type), the list is not forced."""
    from assistant.pipeline.quote import LIST_CHARS

    quoter, retriever = assistant.pipeline.quoter, assistant.pipeline.retriever
    checked = 0
    for (doc_id, section), sec in assistant.corpus.sections.items():
        units = [u for u in quoter.units(doc_id, section) if u.quotable]
        for n, unit in enumerate(units[:-1]):
            lead = unit.text[unit.spans[-1][0] : unit.spans[-1][1]]
            if not lead.endswith(":") or unit.item is not None or units[n + 1].item is None:
                continue
            first_of_item: dict[int, str] = {}
            for u in units[n + 1 :]:
                if u.item is None:
                    break
                first_of_item.setdefault(u.item, u.text[: u.spans[0][1]])
            firsts = list(first_of_item.values())[:3]
            for types in (("what",), ("purpose",)):
                citation = quoter.quote(doc_id, section, lead, retriever.embed_question(lead), types)
                pieces = quote_pieces(citation.quote)
                assert pieces[0] == lead.strip(), (section, citation.quote)
                assert all(first.strip() in pieces for first in firsts if len(lead) + 200 < LIST_CHARS), (
                    section,
                    citation.quote,
                )
                assert len(citation.quote) <= LIST_CHARS + len(lead) + 200
                assert is_verbatim(assistant.corpus, doc_id, section, citation.quote)
                checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "question",
    ["Kan en virksomhed søge {p}?", "Can our company apply for {p}?", "Vi er et firma – kan vi søge {p}?"],
)
def test_a_no_to_can_we_apply_carries_no_conditions_for_others_and_no_side_passage(assistant, question):
    """Told they are not among those who may apply, the asker is not given the regions and years the others
    must meet, nor a passage "Se også" beside it: the no is the whole answer, with the list it comes from."""
    checked = 0
    for pool, _quote in _applicant_lists(assistant):
        answer = assistant.ask(question.format(p=assistant.specs[pool].short_name), now=NOW)
        if re.match(r"(?:Nej|No) –", answer.answer):
            checked += 1
            assert "Se også" not in answer.answer and len(answer.answer.split("\n\n")) <= 3, answer.answer
            assert not re.search(r"\bmindst (?:to|tre|\d)\b", answer.answer.split("\n\n")[0]), answer.answer
    assert checked >= 2


@pytest.mark.parametrize(
    "template",
    ["Is VAT an eligible cost in the {n} pool?", "Does the {n} pool pay for VAT?", "Can we get VAT covered by {n}?"],
)
def test_an_english_pool_name_does_not_pull_the_quote_to_sentences_about_the_pool(assistant, template):
    """In English the pool's name, put into Danish, would be the question's strongest Danish words and pull the
    quote to "Der kan ydes tilskud til den sociale vicevært"; the sentence quoted is the one on what was asked."""
    checked = 0
    for pool, spec in assistant.specs.items():
        if not spec.english_names or not assistant.pipeline._speaks_of(pool, "moms"):
            continue
        answer = assistant.ask(template.format(n=spec.english_names[0]), now=NOW)
        assert answer.citations and "moms" in answer.citations[0].quote, answer.answer
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize(
    "question",
    [
        "Vi er en lokal forening i Aarhus. Kan vi søge {p}?",
        "Kan en lille lokal forening søge {p}?",
        "Our association only works in one town – can we apply for {p}?",
    ],
)
def test_a_list_with_conditions_gives_no_yes_to_an_asker_of_a_listed_kind(assistant, question):
    """ "foreninger med et socialt formål, der er landsdækkende": a local association is a forening but not
    landsdækkende; whether the asker meets the conditions the list alone does not say, so it gives no yes."""
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        if not re.search(r"\b(?:der|som|med|hvis)\b", quote):
            continue
        answer = assistant.ask(question.format(p=assistant.specs[pool].short_name), now=NOW)
        assert not re.match(r"(?:Ja|Yes) –", answer.answer), answer.answer
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize(
    "question",
    [
        "Is there any requirement that the partnership keeps running after the funding period ends?",
        "Do we have to keep the partnership going when the grant runs out?",
        "Is it required that the local partnership continues afterwards?",
    ],
)
def test_a_no_to_is_it_required_rests_on_two_distinct_words_of_the_question(assistant, question):
    """One English word standing for two Danish ones ("partnership" → "lokale partnerskaber") is one word in
    common: a "not required" sentence about something else (mobilising 30 associations) is no answer."""
    from assistant.danish import stem

    answer = assistant.ask(question, now=NOW)
    if answer.answer.startswith("No – it is not a requirement"):
        sentence = next(s for s in re.split(r"(?<=[.!?])\s+", answer.citations[0].quote) if "krav" in s)
        assert "30" not in sentence and any(
            stem(fold(w))[:5] in fold(sentence) for w in ("forankring", "afslutning", "videre", "fortsæt")
        ), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få tilskud til et almindeligt kursus i projektledelse for den sociale vicevært?",
        "Må vi bruge penge på et generelt kursus i konflikthåndtering til medarbejderne i viceværtprojektet?",
        "Kan kommunen få betalt et almindeligt kursus i kommunikation til viceværten?",
    ],
)
def test_the_passage_that_decides_a_yes_no_question_is_shown_though_it_ranks_below_another(assistant, question):
    """A section on the caretaker's work ("Konflikthåndtering og mægling …") may rank above the item that
    decides it under "Ikke tilskudsberettigede udgifter": the verdict is looked for among the sources, and the
    quote that gives it is the one shown, under the no."""
    answer = assistant.ask(question, now=NOW)
    assert answer.answer.startswith("Nej –"), answer.answer
    shown = answer.answer.split("\n\n")[1]
    assert "ikke" in fold(next(c.title for c in answer.citations if c.quote in shown)).split(), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Må vi købe en tablet til projektet?",
        "Må vi købe en bærbar computer og en tablet til projektet?",
        "Må vi bruge tilskuddet på en mobiltelefon til projektet?",
    ],
)
def test_a_yes_about_a_thing_brings_the_rules_limit_on_that_thing(assistant, question):
    """ "Må vi købe en tablet?" – yes, and the verified limit whose sentence names the same thing ("mindre
    materielanskaffelser indtil 50.000 kr. pr. projektår") is said with it, once, from the rules layer."""
    checked = 0
    for pool, facts in assistant.pool_facts.items():
        limits = [
            e
            for e in facts.facts
            if assistant.pipeline.keys[e.key].kind == "amount"
            and not e.round
            and "materielanskaffelser" in fold(e.quote)
        ]
        if not limits:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        if answer.answer.startswith("Ja –"):
            checked += 1
            assert limits[0].display in answer.answer, (pool, answer.answer)
            assert answer.answer.count(limits[0].display.split()[0]) <= 3, answer.answer
    assert checked >= 2


@pytest.mark.parametrize(
    "question",
    [
        "Skal vi fordele udgifterne på kvartaler?",
        "Skal udgifterne budgetteres kvartal for kvartal?",
        "Skal vores udgifter stå i det kvartal, de betales?",
    ],
)
def test_a_yes_brings_no_limit_on_a_thing_the_question_does_not_name(assistant, question):
    """The limit on equipment shares "udgifter" and "projektår" with a sentence on budgeting by quarter; the
    question names no equipment, so a yes to it brings no limit: no fact block the question did not ask for."""
    said_yes = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if answer.answer.startswith("Ja –"):
            said_yes += 1
            assert not answer.facts, (pool, answer.answer)
    assert said_yes


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få ekstra penge, når projektet forlænges?",
        "Kan vi søge om flere midler, hvis vi får projektforlængelse?",
        "Kan vi få et større tilskud, hvis vi forlænger projektperioden?",
    ],
)
def test_more_money_in_everyday_words_is_the_documents_supplement_to_the_grant(assistant, question):
    """ "Ekstra penge", "flere midler", "større tilskud" say what the guideline calls "et tillæg til tilskuddet":
    the sentence that rules it out is found and shown first, and nothing leads with a yes."""
    pools = [p for p in assistant.specs if assistant.pipeline._uses_phrase(p, "tillaeg til tilskuddet")]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith("Ja –"), (pool, answer.answer)
        assert "tillæg til tilskuddet" in answer.citations[0].quote, (pool, answer.answer)


def test_a_follow_up_asking_for_more_money_for_an_extension_is_answered_no(assistant):
    """The follow-up names only the money; the extension is the previous turn's. The sentence that rules out a
    supplement answers it (a no), not the one that says an extension may be approved (a yes)."""
    pools = [p for p in assistant.specs if assistant.pipeline._uses_phrase(p, "tillaeg til tilskuddet")]
    for pool in pools:
        history = [{"role": "user", "content": "Kan vi få projektet forlænget med et halvt år?"}]
        answer = assistant.ask("Kan vi så få ekstra penge til den tid?", pool=pool, history=history, now=NOW)
        assert answer.answer.startswith("Nej –"), (pool, answer.answer)


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("Landsdækkende forstås som en organisation med afdelinger i mindst tre regioner.", "landsdækkende"),
        ("2) Egnede boliger defineres som almene familieboliger med en husleje på op til 5.000 kr.", "egnede boliger"),
        ("Frivillig arbejdskraft defineres her som en aktivitet, der udføres ulønnet.", "frivillig arbejdskraft"),
        ("Ansøger skal have lokalafdelinger i mindst tre forskellige regioner.", None),
        ("Det forstås ikke som en frist.", None),
    ],
)
def test_a_sentence_that_defines_a_term_is_told_apart(sentence, term):
    from assistant.pipeline.rules import defined_term

    assert defined_term(sentence) == term


@pytest.mark.parametrize(
    "question",
    ["Hvor lang tid løber projekterne?", "Hvor længe varer projektet?", "How long do the projects run?"],
)
def test_a_how_long_question_about_the_project_gets_its_period(assistant, question):
    """The project itself with a how-long question asks its length (intents.yaml: `topic_with_type`)."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        stated = {f.key for f in answer.facts} & {"projektperiode", "projektperiode_maks_maaneder"}
        assert stated or re.search(
            r"(oplyser ikke|does not state) (projektperiode|the (maximum )?project)", answer.answer
        ), (
            pool,
            answer.answer,
        )


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår starter og slutter perioden?",
        "Fra hvornår til hvornår løber perioden?",
        "When does the period start and end?",
    ],
)
def test_a_when_question_about_the_period_gets_the_project_period(assistant, question):
    """ "The period", asked when, is the project period (intents.yaml: `topic_with_type` with `with_types`)."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "projektperiode" in {f.key for f in answer.facts} or re.search(
            r"(oplyser ikke|does not state) (projektperiode|the project period)", answer.answer
        ), (pool, answer.answer)


def test_a_follow_up_naming_another_pool_asks_that_pools_period(assistant):
    """ "Og hvad med <pool> – hvornår starter og slutter perioden der?" after a question on one pool's length:
    the newly named pool's project period, from its own document."""
    stating = [p for p, facts in assistant.pool_facts.items() if any(e.key == "projektperiode" for e in facts.facts)]
    assert len(stating) >= 2
    for before, after in [(stating[0], stating[1]), (stating[1], stating[0])]:
        history = [
            {"role": "user", "content": f"Hvor længe må et projekt i {assistant.specs[before].short_name} løbe?"}
        ]
        follow = f"Og hvad med {assistant.specs[after].short_name} – hvornår starter og slutter perioden der?"
        answer = assistant.ask(follow, history=history, now=NOW)
        periods = [f for f in answer.facts if f.key == "projektperiode"]
        assert periods and all(assistant.corpus.document(f.doc_id).meta.pool == after for f in periods), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvad forstår I ved egnede boliger i puljen?",
        "Hvor lang tid løber projekterne i puljen?",
        "Hvem skal underskrive ansøgningen i puljen?",
    ],
)
def test_a_where_phrase_does_not_make_a_question_about_something_else_ask_the_pool_amount(assistant, question):
    """ "i puljen" says only where (`topic_weak`): beside a topic of the question's own, or a question type the
    amount does not answer, it asks nothing of the pool's amount."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "puljebeloeb" not in {f.key for f in answer.facts}, (pool, answer.answer)
    amount = assistant.ask("Hvor meget er der i puljen?", pool=next(iter(assistant.specs)), now=NOW)
    assert "puljebeloeb" in {f.key for f in amount.facts}


@pytest.mark.parametrize(
    ("phrasing", "joined"),
    [
        ("Skal vi så betale det tilbage bagefter?", "tilbagebetal"),
        ("Må vi bygge vores mødelokale om?", "ombygning"),
        ("Hvornår betaler I pengene ud?", "udbetal"),
        ("Kan vi føre resten over til næste år?", "overfoer"),
        ("Skal vi sende regnskabet ind?", "indsend"),
    ],
)
def test_a_separable_verb_finds_the_documents_one_word_form(assistant, phrasing, joined):
    """Applicants write Danish particle verbs apart ("betale det tilbage"); the documents join them
    ("tilbagebetales"). The joined form is looked up in the corpus's own words, so only real ones are added."""
    assert any(w.startswith(joined) for w in assistant.retriever.joined_verbs(phrasing).split()), phrasing
    assert assistant.retriever.joined_verbs("Kan vi søge om penge til en bus?") == ""


def test_a_thing_asked_with_a_separable_verb_is_answered_by_the_rule_that_names_it(assistant):
    """ "bygge lokalet om" is "ombygning": the rule that names it is quoted first, in every pool whose
    guideline has one."""
    checked = 0
    for pool in assistant.specs:
        if not assistant.pipeline.lookup.speaks_of(pool, "ombygning"):
            continue
        answer = assistant.ask("Kan vi få penge til at bygge vores lokaler om?", pool=pool, now=NOW)
        assert answer.citations and "ombygning" in answer.citations[0].quote, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("phrasing", "transport"),
    [
        ("Må vi køre deltagerne hjem?", True),
        ("Vi kørte 300 km – hvad får vi?", True),
        ("Kan frivillige, der kører, få penge?", True),
        ("Kan kørestolsbrugere deltage?", False),
        ("Er der tilskud til en kørestolsrampe?", False),
    ],
)
def test_driving_is_told_apart_from_a_wheelchair(phrasing, transport):
    from assistant.glossary import document_terms

    assert ("transport" in document_terms(phrasing)) == transport


def test_a_quote_one_part_showed_as_the_nearest_is_not_shown_again_by_the_next():
    from assistant.models import Answer
    from assistant.pipeline.compose import merge_answers

    line = "«Sætningen fra vejledningen.» (Vejledning, afsnit 3)"
    first = Answer(
        question="a",
        pool=None,
        answer=f"Vejledningen oplyser ikke det.\n\nDet nærmeste, vejledningen siger, er: {line}",
    )
    second = Answer(question="b", pool=None, answer=f"{line}\n\n«En anden sætning.» (Vejledning, afsnit 4)")
    merged = merge_answers("a og b", [first, second]).answer
    assert merged.count(line) == 1 and "En anden sætning" in merged


def test_what_a_lead_in_introduces_stops_at_a_subheading(assistant):
    """A sentence ending in a colon brings the paragraphs it introduces into the quote — never the heading of
    the next part of the section ("Deltagere"), which would read as part of the rule."""
    from assistant.pipeline.quote import GAP

    quoter, retriever = assistant.pipeline.quoter, assistant.pipeline.retriever
    checked = 0
    for doc_id, section in assistant.corpus.sections:
        units = [u for u in quoter.units(doc_id, section) if u.quotable]
        for n, unit in enumerate(units[:-1]):
            lead = unit.text[unit.spans[-1][0] : unit.spans[-1][1]]
            if not lead.endswith(":") or not any(u.heading for u in units[n + 1 : n + 4]):
                continue
            citation = quoter.quote(doc_id, section, lead, retriever.embed_question(lead), ("what",), 1.0)
            if citation and lead in citation.quote:
                assert not any(u.heading and u.text.strip() in citation.quote.split(GAP) for u in units)
                checked += 1
    assert checked


@pytest.mark.parametrize(
    ("terms", "phrasings"),
    [
        (
            "afvisning",
            [
                "Hvad kan få jer til at smide en ansøgning ud?",
                "Bliver ansøgninger kasseret, hvis et bilag mangler?",
                "Sorterer I nogen ansøgninger fra før vurderingen?",
            ],
        ),
        (
            "beskæftigelse",
            [
                "Vi vil hjælpe unge ud på arbejdsmarkedet",
                "Kan projektet handle om at få flygtninge i job?",
                "A project for employment of young people",
            ],
        ),
        (
            "træffer beslutning",
            [
                "Hvem bestemmer, hvem der får tilskud?",
                "Er det kommunen, der beslutter hvilke projekter der vælges?",
                "Who decides which applicants get the grant?",
                "Does FriSe decide which local partnerships get funded?",
                "Does the municipality choose which projects get money?",
                "Do they pick which applications are approved?",
            ],
        ),
        (
            "lagt vægt på",
            ["Hvad kigger I på, når I læser ansøgningen?", "Hvad lægger I vægt på?", "How are applications assessed?"],
        ),
        (
            "periodisering",
            [
                "Skal udgifterne fordeles over tid?",
                "Hvordan fordeler vi udgifterne over projektperioden?",
                "How do we spread the costs over time?",
            ],
        ),
        (
            "aktiviteter",
            [
                "Kan vi bruge pengene til sociale arrangementer for beboerne?",
                "Må vi tage deltagerne med på udflugt?",
                "Can we hold events for the residents?",
            ],
        ),
        (
            "ændringer i projektet",
            [
                "Hvis en aktivitet ikke bliver til noget, hvad gør vi?",
                "Vi må aflyse et af forløbene",
                "We have to cancel one activity",
            ],
        ),
        (
            "projektforlængelse",
            [
                "Hvad gør vi hvis projektet bliver forsinket?",
                "hvad hvis vi ikke bliver færdige til tiden",
                "Projektet tager længere tid end planlagt",
                "Our project is delayed, what now?",
                "We won't finish on time",
            ],
        ),
        (
            "virksomhed",
            [
                "Kan vi give det til den lokale købmand?",
                "Må butikken i byen være med i partnerskabet?",
                "Can the shopkeeper get a sign-on fee?",
            ],
        ),
    ],
)
def test_everyday_glossary_entries_serve_several_phrasings(terms, phrasings):
    from assistant.glossary import document_terms

    for phrasing in phrasings:
        assert terms in document_terms(phrasing), phrasing


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("Ud over at vi har en udlejningsaftale – hvad kigger I ellers på?", "hvad kigger I ellers på?"),
        ("Udover løn, hvad kan vi ellers få dækket?", "hvad kan vi ellers få dækket?"),
        ("Besides salaries, what else can we get covered?", "what else can we get covered?"),
        ("Hvad kan vi få ud over løn?", "Hvad kan vi få ud over løn?"),
    ],
)
def test_what_a_question_sets_aside_is_not_what_it_asks(message, asked):
    """ "Ud over X – hvad ellers …?": X is what the asker already has; searching and quoting for it would
    answer with X again."""
    from assistant.pipeline.understand import asking_text, question_sentences

    assert question_sentences(message) == asked
    assert asking_text(message) == asked


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Vi fik 400.000 kr. i tilskud i år og har 30.000 kr. tilbage. Kan vi overføre dem?", "Et uforbrugt beløb på"),
        ("Vi har 35.000 kr. tilbage af årets 300.000 kr. – må de tages med over i næste år?", "Et uforbrugt beløb på"),
        ("Vi vil flytte 30.000 kr. fra en budgetpost på 200.000 kr. Skal det godkendes?", "En ændring på"),
        ("Må vi ændre budgettet med 5.000 kr. på en post på 100.000 kr.?", "En ændring på"),
    ],
)
def test_a_calculation_on_the_askers_figures_answers_first(assistant, question, lead):
    """The asker's own case ("55.000 kr. … kan overføres uden forudgående godkendelse") is the answer: it leads,
    and the rules' figures it uses are not said again in lines of their own (a figure at most twice)."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if not answer.answer.startswith(lead):
            assert not any(lead in line for line in answer.answer.split("\n\n")), (pool, answer.answer)
            continue
        figures = re.findall(r"\d[\d.]*(?:,\d+)? (?:kr|pct)\.", answer.answer)
        assert all(figures.count(f) <= 2 for f in figures), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("folded", "ours"),
    [
        ("kan vi faa penge fra puljen til depositum paa et lokale", True),
        ("maa vi bruge tilskud fra puljen til husleje", True),
        ("kan en del af puljen til transport gaa til frivillige", True),
        ("kan vi faa penge fra puljen til bekaempelse af ensomhed", False),
        ("hvad er fristen for puljen til depositum", False),
    ],
)
def test_money_from_this_pool_for_a_thing_its_documents_name_is_no_other_pool(folded, ours):
    """On a pool's page, "penge fra puljen til depositum" asks for this pool's money for something its documents
    speak of; "puljen til bekæmpelse af ensomhed" names a pool we do not have."""
    from assistant.pipeline.understand import unknown_pool_words

    documents_use = frozenset({"depositum", "husleje", "transport", "lokale"})
    assert (unknown_pool_words(folded, [], set(), documents_use) is None) == ours
    assert unknown_pool_words(folded, [], set()) is not None  # off a pool's page, it may name another pool


@pytest.mark.parametrize(
    ("folded", "share"),
    [
        ("en medarbejder er ansat paa halv tid", "0.5"),
        ("hun har en 75 % stilling", "0.75"),
        ("koordinatoren er paa 30 timer om ugen", None),  # a full-time week's hours are not in the sources
        ("en fuldtidsansat", None),
    ],
)
def test_a_part_time_share_is_read_from_the_question(folded, share):
    from assistant.pipeline.rules import part_time_share

    found = part_time_share(folded)
    assert (found is None and share is None) or found == Decimal(share)


@pytest.mark.parametrize(
    "question",
    [
        "Løn 35.000 kr. om måneden plus 12 % pension – hvad bliver timesatsen?",
        "Hvad er timeprisen for en årsløn på 420.000 kr. med pension på 12 %?",
        "Vi betaler 420.000 kr. i årsløn og 12 procent i pension. Hvad giver det i timen?",
    ],
)
def test_pension_on_top_of_a_salary_is_in_the_hourly_rate(assistant, question):
    """The wage cost a budget carries is the salary with the pension on top: 420.000 kr. × 1,12 / årsnorm."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        norm = next((f for f in answer.facts if f.key == "aarsnorm_timer"), None)
        if norm is None:
            continue
        hours = Decimal(re.sub(r"\D", "", norm.display))
        rate = (Decimal(470400) / hours).quantize(Decimal("0.01"))
        assert format_number(rate, 2) in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


def test_a_part_time_post_gets_its_share_of_the_annual_norm(assistant):
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(
            "En medarbejder er på halv tid. Hvor mange timer om året skal vi regne med?", pool=pool, now=NOW
        )
        norm = next((f for f in answer.facts if f.key == "aarsnorm_timer"), None)
        if norm is None:
            continue
        half = Decimal(re.sub(r"\D", "", norm.display)) / 2
        assert format_number(half, 0 if half == half.to_integral() else 1) in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Hvad er temaet i år? Skal det være gruppeforløb eller kan det være rådgivning", 2),
        ("Hvem kan søge? Skal man være en forening eller kan en kommune også søge?", 2),
        ("What is the theme? Must it be group sessions or can it be counselling?", 2),
        ("Hvornår er fristen? Er det kl. 12 eller kl. 23.59?", 1),
    ],
)
def test_a_choice_after_a_question_is_a_question_of_its_own(assistant, message, parts):
    """After "?", a bare check ("Er det kl. 12?") asks about the answer before it; a choice between two things
    ("gruppeforløb eller rådgivning") asks something of its own, which would otherwise pull the first answer's
    quote towards it."""
    from assistant.pipeline.understand import split_parts

    assert len(split_parts(message, assistant.pipeline.lexicon)) == parts


@pytest.mark.parametrize(
    "follow_up",
    [
        "Skal vi så betale det tilbage, når vi slutter?",
        "Hvad så – skal vi betale det tilbage til sidst?",
        "Og betaler vi dem tilbage ved projektets afslutning?",
    ],
)
def test_a_follow_up_is_quoted_by_what_it_asks_not_by_the_turn_before(assistant, follow_up):
    """The passage is found with the turn before ("Kan vi købe computere?"), but the sentence quoted is the one
    about what this turn asks ("betale tilbage" → "tilbagebetales"), not the one that answered before."""
    checked = 0
    for pool in assistant.specs:
        if not assistant.pipeline.lookup.speaks_of(pool, "tilbagebetales"):
            continue
        history = [
            {"role": "user", "content": "Må vi købe computere og skriveborde til projektet for tilskuddet?"},
            {"role": "assistant", "content": "Ja."},
        ]
        answer = assistant.ask(follow_up, pool=pool, history=history, now=NOW)
        assert answer.citations and "tilbagebetal" in answer.citations[0].quote.split("…")[0], (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize("types", [("what",), ("how",)])
def test_steps_quoted_with_their_lead_in_keep_the_address_they_go_to(assistant, types):
    """ "… skal ansøger gøre følgende: 1) … 2) …" followed by "E-mailene sendes til …@…": quoted, the steps
    come with the address — without it a caller cannot follow them."""
    from assistant.pipeline.quote import EMAIL

    quoter, retriever = assistant.pipeline.quoter, assistant.pipeline.retriever
    checked = 0
    for doc_id, section in assistant.corpus.sections:
        units = [u for u in quoter.units(doc_id, section) if u.quotable]
        for n, unit in enumerate(units[:-2]):
            lead = unit.text[unit.spans[-1][0] : unit.spans[-1][1]]
            if not lead.endswith(":") or units[n + 1].item is None:
                continue
            closing = next((u for u in units[n + 1 :] if u.item is None), None)
            if closing is None or not EMAIL.search(closing.text) or len(closing.text) > 160:
                continue
            citation = quoter.quote(doc_id, section, lead, retriever.embed_question(lead), types, 1.0)
            if citation and lead in citation.quote:
                assert EMAIL.search(closing.text).group(0) in citation.quote, citation.quote
                checked += 1
    assert checked


def test_a_message_asking_two_things_says_each_quoted_sentence_once(assistant):
    """Two parts of one message often find the same passage ("Hvem kan søge, og hvad kan man søge til?"): a
    sentence the first part quoted is not quoted again; what is new of the second quote stays, verbatim, with
    "…" where the repeated sentences were."""
    from assistant.pipeline.compose import quoted_sentences

    questions = [
        "Hvem kan søge puljen, og hvad kan man søge til?",
        "What must the municipality contribute to the evaluation, and for how long?",
        "Hvad skal vi levere til erfaringsopsamlingen, og hvor lang tid skal vi bidrage?",
        "Hvem må søge, og hvad er kravene til ansøgeren?",
    ]
    for pool in assistant.specs:
        for question in questions:
            answer = assistant.ask(question, pool=pool, now=NOW)
            shown = re.findall(r"«([^»]*)»", answer.answer)
            counts = Counter(" ".join(s.split()) for quote in shown for s in quoted_sentences(quote))
            assert max(counts.values(), default=1) == 1, (pool, question, answer.answer)
            for c in answer.citations:
                assert is_verbatim(assistant.corpus, c.doc_id, c.section, c.quote), (pool, question, c.quote)


def test_a_text_fact_is_said_in_english_first_where_the_facts_have_an_english_wording(assistant):
    """ "When the grant is paid out … is i årlige rater …" mixed Danish into the English sentence. A text fact
    with a curated English wording (`display_en`) is said in it, its Danish after it in parentheses."""
    from assistant.pipeline.compose import direct_fact_line
    from assistant.pipeline.rules import FactAnswer

    checked = 0
    for pool, facts in assistant.pool_facts.items():
        for entry in facts.facts:
            if entry.type != "text" or entry.status != "verified":
                continue
            assert entry.display_en, (pool, entry.key)  # every curated text fact has one
            line = direct_fact_line(
                FactAnswer(pool, entry, assistant.pipeline.keys[entry.key]), assistant.pipeline.names, True
            )
            outside = line.split("(in Danish")[0]
            assert entry.display_en in outside and entry.display not in outside, line
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "question",
    ["When is the grant paid out?", "How is the money paid to us?", "At what point do we receive the payments?"],
)
def test_an_english_question_on_a_text_fact_is_answered_in_english(assistant, question):
    for pool, facts in assistant.pool_facts.items():
        entry = facts.get("udbetaling_tidspunkt")
        if entry is None:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        first = answer.answer.split("\n\n")[0]
        assert entry.display_en in first and entry.display not in first.split("(in Danish")[0], answer.answer


@pytest.mark.parametrize(
    ("before", "question"),
    [
        ("Er sign-on fee et årligt beløb?", "Kan virksomhederne i partnerskabet også få det?"),
        ("Hvor meget kan en forening få i sign-on fee?", "Gælder det også for virksomheder?"),
        ("Is the sign-on fee paid every year?", "And can companies in the partnership get it too?"),
    ],
)
def test_a_follow_up_is_answered_by_the_passage_on_what_it_adds(assistant, before, question):
    """The follow-up is searched with the turn before it, whose passage (the fee's amount) tends to lead; the
    passage about what this turn adds (companies) answers it and is quoted first."""
    pools = [p for p in assistant.specs if assistant.pipeline._uses_phrase(p, "sign on fee")]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, history=[{"role": "user", "content": before}], now=NOW)
        assert "virksomhed" in fold(answer.citations[0].quote), (pool, answer.answer)
        assert answer.citations[0].quote in answer.answer


def test_x_instead_of_what_must_be_done_is_a_no(assistant):
    """ "Må vi X i stedet for Y?" where a cited sentence says Y must be done ("Offentlige myndigheder … skal
    indgive ansøgning … ved anvendelse af … Tilskudsportal") and nothing in the cited sections allows X: a no.
    Where a section allows X ("Private ansøgere kan imidlertid også indsende … med post eller via mail"), no no —
    unless the asker is a municipality, whom that allowance for private applicants does not concern."""
    questions = [
        "Må kommunen sende ansøgningen som e-mail i stedet for at bruge portalen?",
        "Kan vi som kommune indsende på mail frem for Tilskudsportalen?",
        "Må vi maile ansøgningen i stedet for at bruge Tilskudsportalen?",
    ]
    said_no = 0
    for pool in assistant.specs:
        allows = assistant.pipeline._uses_phrase(pool, "via mail til")
        for question in questions:
            answer = assistant.ask(question, pool=pool, now=NOW)
            assert not answer.answer.startswith("Ja –") or allows, (pool, answer.answer)
            if answer.answer.startswith("Nej – sådan står det"):
                assert not allows or "kommune" in fold(question), (pool, answer.answer)
                said_no += 1
    assert said_no


@pytest.mark.parametrize(
    "question",
    [
        "Hvilke forhold lægges der vægt på ved vurderingen af ansøgningen?",
        "Hvad bliver der lagt vægt på, når I vurderer ansøgningerne?",
        "Hvilke forhold tæller med i vurderingen?",
    ],
)
def test_a_list_numbered_in_its_text_is_quoted_item_by_item(assistant, question):
    """A lead-in ("… lagt vægt på følgende forhold:") whose list is numbered in its text inside an item ("1. Antal
    hjemløse i kommunen.") is quoted with the items in order, each from its number to its first sentence's
    end, without the explanations under them: the list is the answer, not its first two items."""
    pools = [p for p in assistant.specs if assistant.pipeline._uses_phrase(p, "vaegt paa foelgende forhold")]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        listed = next(c for c in answer.citations if "følgende forhold:" in c.quote)
        numbers = [int(p.split(".")[0]) for p in quote_pieces(listed.quote) if re.match(r"\d+\. ", p)]
        assert numbers[:4] == [1, 2, 3, 4], (pool, listed.quote)


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange kommuner regner I med at støtte?",
        "Hvor mange kommuner forventes at få penge?",
        "Hvor mange kommuner skal der gives tilskud til?",
    ],
)
def test_the_nearest_passage_to_a_count_not_stated_counts_the_same_thing(assistant, question):
    """ "Hvor mange kommuner …?", where no count of them is stated: a passage counting another thing ("Hvor mange
    borgere … forventes at deltage") is not shown as the nearest — it would be read as the answer."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if "Det nærmeste" in answer.answer:
            nearest = answer.answer.split("Det nærmeste", 1)[1]
            assert "kommun" in fold(nearest), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    ["Hvad er formålet med tilskuddet?", "Hvad er formålet med ordningen?", "What is the purpose of the grant?"],
)
def test_the_purpose_of_the_grant_is_the_pools_stated_purpose(assistant, question):
    """ "Formålet med tilskuddet" asks what the pool is for: its section "Ansøgningspuljens formål", not a section
    on paying the grant out (which shares "tilskuddet")."""
    pools = [
        p
        for p in assistant.specs
        if any(
            s.title and fold(s.title).endswith("puljens formaal")
            for s in assistant.corpus.sections.values()
            if assistant.corpus.document(s.doc_id).meta.pool == p
        )
    ]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        first = answer.citations[0]
        assert "formaal" in fold(assistant.corpus.section(first.doc_id, first.section).title), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hvad er formålet med ordningen?",
        "Bliver ansøgningen smidt ud, hvis budgettet mangler?",
        "Bliver vores ansøgning smidt ud, hvis et bilag ikke er med?",
    ],
)
def test_a_word_of_a_glossary_phrase_is_no_unknown_thing_and_an_application_thrown_out_is_no_eviction(
    assistant, question
):
    """The asker's phrase for a document term ("formålet med ordningen" → "ansøgningspuljens formål", "smidt ud"
    → "afvisning") is answered from the documents: no "oplyser ikke noget om ordningen" for a word inside the
    phrase, and an application thrown out is not a person evicted (out of scope)."""
    words = re.findall(r"\w+", question.lower())
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not any(f"oplyser ikke noget om {w}" in answer.answer for w in words), (pool, answer.answer)
        assert "privatpersoner" not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("Vi vil købe 5 bærbare computere à 9.500 kr. og 3 mobiltelefoner à 3.000 kr. Kan det dækkes?", 56500),
        ("Kan vi købe to printere til 4.000 kr. og en tablet til 3.000 kr.?", 11000),
        ("Vi skal bruge 12 tablets à 4.500 kr. – er det ok?", 54000),
        # an amount said on its own is one more purchase, with or without "kr."
        (
            "Vi skal bruge 3 bærbare til 9.000 kr. stk. og skriveborde for 28.000 i samme projektår – kan det dækkes?",
            55000,
        ),
        ("Vi vil købe computere for 30.000 kr. og møbler for 25.000 kr. Er det inden for loftet?", 55000),
        # the budget, and a total the asker has summed already, are no purchases
        ("Vi har et budget på 400.000 kr. og vil købe 2 tablets à 6.000 kr. og en printer for 5.000 kr.", 17000),
        ("Vi køber 4 computere à 10.000 kr., samlet 40.000 kr., og reoler for 15.000 kr. Går det?", 55000),
    ],
)
def test_the_equipment_cap_is_weighed_against_all_the_items_the_asker_lists(assistant, question, total):
    """The cap is for all purchases of a project year together: "5 computere à 9.500 kr. og 3 telefoner à
    3.000 kr." is 56.500 kr., not the dearest item alone, and the sum is shown as it is reckoned."""
    from assistant.danish import format_kr

    checked = 0
    for pool, facts in assistant.pool_facts.items():
        cap = facts.get("materiel_loft")
        if cap is None:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert f"= {format_kr(total)}" in answer.answer, (pool, answer.answer)
        over = total > cap.value
        assert ("over loftet" in answer.answer) == over, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question", ["Hvad er projektperioden?", "Hvornår starter og slutter perioden?", "Hvornår løber projektperioden?"]
)
def test_a_period_not_stated_is_answered_with_the_start_that_is(assistant, question):
    """Where a pool's material states no project period but does state when projects start, "oplyser ikke
    projektperioden" comes with that start date and its sentence (intents.yaml: `context_keys`)."""
    checked = 0
    for pool, facts in assistant.pool_facts.items():
        starts = facts.all("projektstart")
        if facts.all("projektperiode") or not starts:
            continue
        start = starts[-1]
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke projektperioden" in answer.answer and start.display in answer.answer, answer.answer
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "template",
    [
        "Skal budgettet deles op i kvartaler i begge puljer, {a} og {b}?",
        "Skal udgifterne budgetteres pr. kvartal i både {a} og {b}?",
        "Skal vi lave budgettet kvartal for kvartal i {a} og {b}, begge to?",
    ],
)
def test_a_question_about_two_named_pools_gets_no_single_yes_or_no(assistant, template):
    """One pool's sentence ("budgetteres i det kvartal") is no yes for another pool named beside it, whose rule
    may differ (by project year): a question about both gets no single "Ja"/"Nej" lead."""
    names = [spec.short_name for spec in assistant.specs.values()]
    for a, b in [(x, y) for x in names for y in names if x < y]:
        answer = assistant.ask(template.format(a=a, b=b), now=NOW)
        assert not re.match(r"(?:Ja|Nej) – sådan står det", answer.answer), (a, b, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Skal budgettet deles op i kvartaler i begge puljer, {a} og {b}?",
        "Hvad er forskellen på målgruppen i {a} og i {b}?",
        "Hvad er målgruppen i begge puljer, {a} og {b}?",
    ],
)
def test_a_question_naming_two_pools_shows_each_pools_passage_under_its_name(assistant, template):
    """The asker named both pools: each one's passage is said under its name, and no question back asks which
    pool is meant (it was said)."""
    names = {pool: spec.short_name for pool, spec in assistant.specs.items()}
    checked = 0
    for a, b in [(x, y) for x in names for y in names if x < y]:
        answer = assistant.ask(template.format(a=names[a], b=names[b]), now=NOW)
        cited = {assistant.corpus.document(c.doc_id).meta.pool for c in answer.citations}
        if {a, b} <= cited:
            assert f"- {names[a]}:" in answer.answer and f"- {names[b]}:" in answer.answer, answer.answer
            assert answer.clarification is None, answer.answer
            checked += 1
    assert checked


# -- words typed without æ, ø, å or misspelt ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("hvad koster et gruppeforlob", "hvad koster et gruppeforløb"),  # ø typed as o
        ("hvornaar er ansoegningsfristen", "hvornaar er ansøgningsfristen"),  # æ, ø, å as ae, oe, aa
        ("skal budgetet indeholde moms", "skal budgettet indeholde moms"),  # a letter missing
    ],
)
def test_typed_words_are_respelt_as_the_documents_spell_them(assistant, typed, spelled):
    assert assistant.pipeline.vocabulary.respell(typed) == spelled


def test_names_as_written_are_not_respelt(assistant):
    assert assistant.pipeline.vocabulary.respell("Vi bor i Aarhus") == "Vi bor i Aarhus"


def test_a_question_typed_without_aeoeaa_finds_the_rule_it_asks_about(assistant):
    """Typed without æ, ø and å, the words are other words to the embedding model; read also as the documents spell
    them, the passage that answers is relevant enough to be shown instead of "oplyser ikke"."""
    pool = next(p for p in assistant.specs if assistant.pipeline._speaks_of(p, "gavekort"))
    answer = assistant.ask(
        "ma vi kobe gavekort til de frivillige i vores gruppeforlob som tak for hjaelpen", pool=pool, now=NOW
    )
    assert not answer.abstained and answer.citations, answer.answer
    assert "gavekort" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    "template",
    [
        "Kan vi søge penge fra {p} til en ny computer?",  # the name between "penge" and "til"
        "Kan vi søge tilskud under {p} til kurser for de frivillige?",
        "Kan vi søge midler i {p} til husleje?",
    ],
)
def test_asking_what_the_money_may_go_to_is_no_question_of_who_may_apply(assistant, template):
    """ "søge … til X" asks whether X is covered; the list of who may apply answers nothing of it, whichever pool
    stands between the words."""
    keys = assistant.pipeline.keys
    for spec in assistant.specs.values():
        answer = assistant.ask(template.format(p=spec.short_name), now=NOW)
        listed = [f.key for f in answer.facts if f.key in keys and keys[f.key].lists_applicants]
        assert not listed, (template, answer.answer)
    # The same pool asked of on its own is that question.
    spec = next(iter(assistant.specs.values()))
    asked = assistant.ask(f"Kan vi søge {spec.short_name}?", now=NOW)
    assert any(f.key in keys and keys[f.key].lists_applicants for f in asked.facts), asked.answer


@pytest.mark.parametrize(
    "template",
    [
        "Hvornår er fristen hos {a} og {b}?",
        "Vi søger {a} og {b} – hvor meget kan vi få?",
        "Må vi bruge penge på revision i {a} og {b}?",
    ],
)
def test_a_question_naming_two_pools_is_answered_for_both_without_asking_back(assistant, template):
    """Both pools named, neither set aside by "men …": the asker said which pools; each one's answer is given
    under its name, and nothing is asked back."""
    specs = list(assistant.specs.values())
    for first, second in zip(specs, specs[1:], strict=False):
        answer = assistant.ask(template.format(a=first.short_name, b=second.short_name), now=NOW)
        assert answer.clarification is None, answer.answer
        assert first.short_name in answer.answer and second.short_name in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "lacks"),
    [
        ("Hvor meget kan en forening højst søge om til husleje?", True),
        ("Hvor stort et beløb er der afsat til revisor?", True),
        ("Hvor meget uforbrugt tilskud kan vi overføre?", False),
        ("Hvad er det maksimale beløb, vi kan overføre til næste år?", False),
    ],
)
def test_an_amount_on_another_thing_is_no_amount_for_the_thing_asked(assistant, question, lacks):
    """ "dog maksimalt 100.000 kr." caps what may be carried over: asked how much may go to rent, that passage gives
    no amount for it — its amount stands in a sentence with none of the question's telling words."""
    from assistant.models import Citation
    from assistant.pipeline.compose import _lacks_answer_kind

    quote = (
        "Der kan overføres et uforbrugt tilskud til det efterfølgende projektår, hvis det udgør mindre end 10 pct. "
        "af tilskuddet, dog maksimalt 100.000 kr."
    )
    citation = Citation(doc_id="d", section="1", title="t", quote=quote, label="afsnit 1", score=1.0)
    query = _understood(assistant.pipeline, question)
    gap = _lacks_answer_kind(query, [citation], lambda d, s: quote, (), lambda w: False)
    assert bool(gap) is lacks, (question, gap)


@pytest.mark.parametrize("again", ["Gælder det samme for {b}?", "Og hos {b}?", "Hvad så med {b}?"])
def test_a_question_asked_again_of_another_pool_quotes_what_it_would_quote_asked_directly(assistant, again):
    """ "Gælder det samme for X?" after "Hvilke udgifter kan man ikke få tilskud til i Y?" asks for X's list; the
    sentence quoted is picked by the question asked again, not by the words "det samme"."""
    first = "Hvilke udgifter kan man ikke få tilskud til i {p}?"
    specs = list(assistant.specs.values())
    checked = 0
    for a, b in zip(specs, specs[1:], strict=False):
        direct = assistant.ask(first.format(p=b.short_name), now=NOW)
        if not direct.citations or direct.citations[0].quote.count("…") < 3:
            continue  # that pool has no such list
        before = assistant.ask(first.format(p=a.short_name), now=NOW)
        history = [
            {"role": "user", "content": first.format(p=a.short_name)},
            {"role": "assistant", "content": before.answer},
        ]
        answer = assistant.ask(again.format(b=b.short_name), history=history, now=NOW)
        assert answer.citations and answer.citations[0].quote == direct.citations[0].quote, answer.answer
        checked += 1
    assert checked, "no pool pair with a list of what is not covered"


@pytest.mark.parametrize(
    ("question", "leading"),
    [
        ("Hvor mange kroner pr. kilometer må vi skrive i budgettet?", "how_much"),
        ("Hvor meget må vi bruge på revision?", "how_much"),
        ("Hvor stort et beløb kan vi søge?", "how_much"),
        ("Må vi bruge 5.000 kr. på gaver?", "may"),
        ("Hvornår skal vi sende regnskabet?", "when"),
    ],
)
def test_the_leading_question_type_is_the_one_asked_first(assistant, question, leading):
    assert _understood(assistant.pipeline, question).leading_type == leading


def test_an_amount_asked_with_a_modal_after_it_still_needs_an_amount(assistant):
    """ "Hvor mange kroner … må vi skrive?" asks an amount; a passage that only says how it is budgeted
    ("antal kilometer og takst pr. kilometer") gives none."""
    from assistant.models import Citation
    from assistant.pipeline.compose import _lacks_answer_kind

    quote = "Udgifterne skal budgetteres med antal kilometer og takst pr. kilometer."
    citation = Citation(doc_id="d", section="1", title="t", quote=quote, label="afsnit 1", score=1.0)
    for question in (
        "Hvor mange kroner pr. kilometer må vi skrive i budgettet?",
        "Hvor meget må vi regne pr. kilometer?",
        "Hvor stort et beløb pr. km kan vi få dækket?",
    ):
        query = _understood(assistant.pipeline, question)
        assert _lacks_answer_kind(query, [citation], lambda d, s: quote, (), lambda w: False), question


@pytest.mark.parametrize(
    "template",
    [
        "Hvornår er ansøgningsfristen for et projekt med {w}?",
        "Hvor lang tid må et projekt med {w} vare?",
        "Hvor mange penge er der i alt til {w}?",
    ],
)
@pytest.mark.parametrize("word", ["gruppeforløb", "udlejningsaftaler"])
def test_a_fact_asked_with_one_pools_own_word_is_that_pools_fact(assistant, template, word):
    """No pool named, but a word that only one pool's documents use as a matter of their own: the rules answer for
    that pool, not with every pool's deadline or period."""
    folded = fold(word)
    speaking = [p for p in assistant.specs if assistant.pipeline._speaks_of(p, folded)]
    assert len(speaking) == 1, speaking  # the corpus still has the word in one pool only
    answer = assistant.ask(template.format(w=word), now=NOW)
    pools = {assistant.corpus.by_id[f.doc_id].meta.pool for f in answer.facts}
    assert answer.facts and pools == set(speaking), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange penge kan en kommune få?",
        "Hvor mange penge kan vi få fra puljen?",
        "How much money can a municipality get?",
    ],
)
def test_what_one_applicant_can_get_is_no_question_of_the_pools_total(assistant, question):
    names = {i.name for i in _understood(assistant.pipeline, question).intents}
    assert "tilskudsstoerrelse" in names and "puljebeloeb" not in names, names


@pytest.mark.parametrize(
    "template", ["How much is in the {p} pool?", "How much is available in {p}?", "Hvor meget er der i {p}?"]
)
def test_how_much_is_in_a_named_pool_asks_its_total(assistant, template):
    for spec in assistant.specs.values():
        names = {i.name for i in _understood(assistant.pipeline, template.format(p=spec.short_name)).intents}
        assert "puljebeloeb" in names, (template, spec.short_name, names)


@pytest.mark.parametrize(
    "message",
    [
        "Vi er et frivilligcenter. Er de 30.000 kr. noget, hver forening får om året? Og kan en butik få dem?",
        "Vi er en kommune. Er fristen kl. 12? Og hvad skal vi sende med?",
        "Vi søger for første gang. Gælder reglerne også for kommuner? Og hvornår er fristen?",
    ],
)
def test_a_yes_no_question_without_a_question_word_is_a_part_of_its_own(assistant, message):
    """ "Er de 30.000 kr. …?" has no question word, but its question mark makes it a question: it is no lead-in
    to be merged with the next one."""
    from assistant.pipeline.understand import split_parts

    assert len(split_parts(message, assistant.pipeline.lexicon)) == 2, split_parts(message, assistant.pipeline.lexicon)


@pytest.mark.parametrize(
    "question",
    ["Skal vi bruge budgetskemaet?", "Do we have to use the budget template?", "Må vi sende ansøgningen på mail?"],
)
def test_an_asker_kind_told_in_the_turn_before_is_a_note_not_a_no_to_this_question(assistant, question):
    """ "Vi er en kommune." then "Skal vi bruge budgetskemaet?": for a pool municipalities cannot apply for, that
    is said first, as a note — "Nej –" would read as the answer to whether the template must be used."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        groups = {kinds[k].group for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        if not groups or "public" in groups:
            continue
        turns = [{"role": "user", "content": "Vi er en kommune."}]
        answer = assistant.ask(question, pool=pool, history=turns, now=NOW)
        first = answer.answer.split("\n")[0]
        assert not re.match(r"(?:Nej|No) –", first), answer.answer
        assert first.startswith(("Bemærk:", "Note:")), answer.answer
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("Kan vi få dækket en ombygning, så det passer bedre til grupperne?", "Kan vi få dækket en ombygning?"),
        ("Må vi købe gavekort, fordi de frivillige har hjulpet?", "Må vi købe gavekort?"),
        ("Can we buy a laptop, because our old one broke?", "Can we buy a laptop?"),
        # what the asker did with the thing, between commas
        ("Må de frivillige, som vi har uddannet, få honorar?", "Må de frivillige få honorar?"),
        ("Hvis en aktivitet, vi har beskrevet, bliver aflyst, hvad så?", "Hvis en aktivitet bliver aflyst, hvad så?"),
        ("Can the volunteers, we have trained, get a fee?", "Can the volunteers get a fee?"),
        # … also told in the past tense without a helping verb
        ("Må udstyret, vi købte sidste år, stå i budgettet?", "Må udstyret stå i budgettet?"),
        ("Hvis en aktivitet, vi lovede kommunen, bliver aflyst, hvad så?", "Hvis en aktivitet bliver aflyst, hvad så?"),
        ("Skal gruppen, de startede i marts, med i rapporten?", "Skal gruppen med i rapporten?"),
        ("Can the course, we planned for May, be moved?", "Can the course be moved?"),
        # a condition is part of what is asked; a told sentence keeps what it tells
        ("Skal regnskabet revideres, hvis tilskuddet er under 100.000 kr.?", None),
        ("Kan vi, hvis vi har penge tilbage, overføre dem?", None),
        ("Viceværten er gået ned i tid, så vi vil flytte penge. Må vi det?", None),
    ],
)
def test_the_why_a_question_ends_with_is_not_what_it_asks(message, asked):
    from assistant.pipeline.understand import without_set_aside

    assert without_set_aside(message) == (asked or message)


@pytest.mark.parametrize(
    "question",
    [
        "Skal vi have moms med i budgettet til den sociale vicevært?",
        "Kan kommunen få momsen dækket af tilskuddet til projektet?",
        "Hvordan budgetterer vi moms for de frivillige aktiviteter?",
    ],
)
def test_the_sentence_quoted_is_the_one_with_the_questions_telling_word(assistant, question):
    """Inside the section that answers, the pool's everyday words ("den sociale vicevært", "tilskud") stand in
    many sentences; the one with the question's telling word ("moms") answers it."""
    pipeline = assistant.pipeline
    sections = {
        (c.doc_id, c.section)
        for pool in assistant.specs
        for doc_id in (d.meta.doc_id for d in assistant.corpus.documents if d.meta.pool == pool)
        for c in pipeline._quotable_sentences(doc_id)
        if "moms" in c.quote.lower()
    }
    assert sections
    for doc_id, section in sections:
        passages = [p for p in pipeline.retriever.sentences(doc_id, section) if p.quotable]
        if len(passages) < 4:
            continue  # a short section is quoted whole
        pool = assistant.corpus.by_id[doc_id].meta.pool
        query = _understood(pipeline, question, pool)
        telling = compose.telling_words(query, lambda w, pool=pool: pipeline._widespread(pool, w))
        quote = pipeline.quoter.quote(
            doc_id,
            section,
            fold(question),
            pipeline.retriever.embed_question(question),
            query.types,
            telling=tuple(compose.shared_root(w) for w in telling),
        )
        assert "moms" in quote.quote.lower(), (doc_id, section, quote.quote)


@pytest.mark.parametrize(
    ("question", "figures"),
    [
        ("Kan vi bruge tilskuddet frem til januar 2028?", ()),
        ("Vi starter først 1. februar 2026 – kan perioden rykkes?", ()),
        ("Can we use the grant until June 2028?", ()),
        ("Er de 30.000 kr. et årligt beløb?", ("30.000",)),
        ("Skal vi regne med 1.649 timer i 2026?", ("1.649", "2026")),
    ],
)
def test_a_date_the_asker_proposes_is_no_figure_to_look_for(question, figures):
    from assistant.pipeline.retrieve import asked_figures

    assert asked_figures(question) == figures


@pytest.mark.parametrize(
    "question",
    ["Does it have to be signed before we apply?", "Do they need to be members?", "Must it be sent by post?"],
)
def test_an_english_requirement_asked_of_a_thing_named_before_is_a_may_question(assistant, question):
    assert "may" in _understood(assistant.pipeline, question).types


@pytest.mark.parametrize(
    "message",
    [
        "What must the agreement include, and does it have to be signed?",
        "How is the grant paid, and will it come in one payment?",
        "What is the deadline, and does the time zone matter?",
    ],
)
def test_an_english_message_asking_two_things_is_two_parts(assistant, message):
    from assistant.pipeline.understand import split_parts

    assert len(split_parts(message, assistant.pipeline.lexicon)) == 2


@pytest.mark.parametrize("point_first", [False, True])
def test_a_list_whose_lead_in_and_one_point_score_best_is_quoted_from_its_lead_in(assistant, point_first):
    """ "Hvad skal vi beskrive om målgruppen?": the lead-in ("… skal følgende beskrives:") and one of its points
    are the two best sentences; the list is the answer, said from its lead-in, not one point beside it."""
    quoter = assistant.pipeline.quoter
    checked = 0
    for doc in assistant.corpus.documents:
        for section in doc.sections:
            units = [u for u in quoter.units(doc.meta.doc_id, section.section) if u.quotable]
            for u, unit in enumerate(units[:-3]):
                points = units[u + 1 : u + 4]
                k = len(unit.spans) - 1
                if not unit.text.rstrip().endswith(":") or any(
                    p.item is not None or p.heading or p.text.rstrip().endswith(":") or re.match(r"\d+[.)] ", p.text)
                    for p in points
                ):  # (a list numbered in its text is quoted item by item: another test)
                    continue
                best = [(1.0, u + 2, 0), (0.99, u, k)] if point_first else [(1.0, u, k), (0.99, u + 2, 0)]
                main_u, main_k = best[0][1], best[0][2]
                pieces, _ = quoter._span(units[main_u], main_k, units, main_u, ("what",), best)
                a, b = unit.spans[k]
                assert pieces[0] == unit.text[a:b], (doc.meta.doc_id, section.section, pieces)
                assert all(p.text[: p.spans[0][1]] in " ".join(pieces) for p in points), pieces
                checked += 1
    assert checked >= 3


@pytest.mark.parametrize(
    ("question", "shift"),
    [
        ("Hvor mange penge var der i puljen sidste år?", -1),
        ("How much was in the pool last year?", -1),
        ("Hvornår er fristen næste år?", 1),
        ("When is the deadline next year?", 1),
    ],
)
def test_a_year_said_relative_to_today_is_another_round_the_guideline_does_not_state(assistant, question, shift):
    """ "sidste år" asked in June 2025 is 2024: the 2025 guideline's figure is no answer for it."""
    for pool in assistant.pool_facts:
        years = {int(d.meta.year) for d in assistant.corpus.documents if d.meta.pool == pool}
        asked = str(datetime.fromisoformat(NOW).year + shift)
        if int(asked) in years:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.facts and "oplyser ikke" in answer.answer and asked in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange regioner skal man mindst være i?",
        "Hvor mange regioner skal vores organisation dække?",
        "Hvor mange regioner kræves der?",
    ],
)
def test_a_pool_whose_passage_does_not_give_the_count_asked_is_not_listed_beside_one_that_does(assistant, question):
    """No pool named, and one pool's documents count regions ("mindst tre regioner") while another's only
    mention them ("aktører inden for regioner"): that is no answer of its own, and nothing depends on the pool."""
    counting = {
        d.meta.pool
        for d in assistant.corpus.documents
        for sec in d.sections
        if d.meta.pool and re.search(r"\b(?:\d+|to|tre|fire|fem)\s+(?:\w+\s+)?regioner", sec.text)
    }
    assert len(counting) == 1  # the corpus as this test was written for
    answer = assistant.ask(question, now=NOW)
    assert not answer.answer.startswith("Det afhænger af puljen"), answer.answer
    assert {assistant.corpus.by_id[c.doc_id].meta.pool for c in answer.citations} <= counting | {None}, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What is the best recipe for cinnamon buns?",
        "How do I fix my bike?",
        "Can you write a poem about autumn?",
        # Known gap: English relevance is judged against a low bar (abstain_threshold_english), and dense
        # similarity alone carries these to a passage ("who won" ~ "hvem har fået tilskud"; "pool" → "pulje").
        pytest.param("Who won the football match yesterday?", marks=pytest.mark.xfail(strict=True)),
        pytest.param("What time does the swimming pool open?", marks=pytest.mark.xfail(strict=True)),
    ],
)
def test_an_english_question_the_sources_do_not_cover_is_told_so_in_english_first(assistant, question):
    answer = assistant.ask(question, now=NOW)
    assert answer.abstained and answer.answer.startswith(("(English:", "I ")), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi så få ekstra penge til perioden?",
        "Får vi flere midler, hvis vi forlænger?",
        "Can we get additional funding?",
    ],
)
def test_a_phrase_that_stands_for_a_document_term_is_a_telling_word(assistant, question):
    """ "ekstra penge" is "tillæg til tilskuddet" in the guidelines: the sentence with "tillæg" is the one that
    answers, and its word must weigh in picking the sentence, as a single word's document term does."""
    query = _understood(assistant.pipeline, question)
    assert "tillaeg" in compose.telling_words(query, None)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Hvornår er fristen, hvad skal ansøgningen bestå af, og kan vi sende den på mail?", 3),
        ("Hvem kan søge, hvad kan man få dækket?", 2),
        ("When is the deadline, what must the application include?", 2),
        ("Should our budget include VAT, and can we budget for an audit?", 2),
        # an indirect question after a verb of telling is one question
        ("Vi vil gerne vide, hvad vi skal sende med?", 1),
        ("Kan I fortælle, hvad der skal stå i budgettet?", 1),
    ],
)
def test_questions_listed_after_commas_are_parts_of_their_own(assistant, message, parts):
    from assistant.pipeline.understand import split_parts

    assert len(split_parts(message, assistant.pipeline.lexicon)) == parts, split_parts(
        message, assistant.pipeline.lexicon
    )


@pytest.mark.parametrize(
    "question", ["Should our budget include VAT?", "Must our accounts be audited?", "Can our volunteers be paid?"]
)
def test_an_english_question_about_the_askers_own_thing_is_a_may_question(assistant, question):
    assert "may" in _understood(assistant.pipeline, question).types


@pytest.mark.parametrize(
    "question",
    [
        "Sidste år havde vi 40 deltagere. Hvornår er ansøgningsfristen?",
        "Vi holdt to arrangementer sidste år. Hvor stort er beløbet i puljen nu?",
        "Last year we ran three groups. When is the deadline?",
    ],
)
def test_a_relative_year_told_in_the_setting_is_no_round_asked_about(assistant, question):
    for pool in assistant.pool_facts:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.search(r"oplyser ikke [^.]* for 2024|does not state [^.]* for 2024", answer.answer), answer.answer


@pytest.mark.parametrize(
    "template",
    [
        "Vi er en {t}. Kan vi selv søge {p}, og hvad skal ansøgeren have styr på omkring budgettet?",
        "Vi er en {t}. Kan vi søge {p}, og hvornår er fristen?",
        "Vi er en {t}. Må vi søge {p}, og hvad er formålet med puljen?",
    ],
)
def test_a_later_part_of_a_message_is_answered_though_the_asker_cannot_apply(assistant, template):
    """ "Kan vi selv søge X, og hvad skal kommunen have styr på …?": the no to the asker is said once, for the first
    part; the later part asks something else and gets its own answer, not the no again in its place."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        groups = {kinds[k].group for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        if groups != {"public"}:
            continue
        name = assistant.specs[pool].short_name
        answer = assistant.ask(template.format(t="forening", p=name), now=NOW)
        assert answer.answer.startswith(f"Nej – ansøgerkredsen for {name}"), answer.answer
        assert len(answer.citations) >= 2, answer.answer  # the later part's own source beside the applicant list
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Hvad gør vi, hvis Tilskudsportalen driller lige op til fristen?",
        "Hvad skal vi så gøre, hvis systemet hænger hele aftenen før fristen?",
        "What should we do if the portal keeps failing on the last evening?",
        "Portalen vil ikke tage imod vores filer, og fristen er i aften – hvad gør man?",
    ],
)
def test_what_to_do_when_the_portal_fails_is_answered_by_the_steps_not_the_deadline(assistant, question):
    """ "Hvad gør vi, hvis …?" asks what to do: the deadline (or an amount "op til" names) is where the situation
    stands, not what was asked. The answer is the steps, quoted from their lead-in with the address they go to."""
    from assistant.pipeline.quote import EMAIL

    for pool in assistant.specs:
        steps = [
            key
            for key, section in assistant.corpus.sections.items()
            if section.pool == pool
            and "driftsforstyrrelser" in " ".join(section.paragraphs)
            and "følgende:" in " ".join(section.paragraphs)
        ]
        if not steps:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.facts, (pool, answer.answer)
        quoted = [c for c in answer.citations if (c.doc_id, c.section) in steps and c.quote in answer.answer]
        assert quoted, (pool, answer.answer)
        assert "følgende:" in quoted[0].quote and EMAIL.search(quoted[0].quote), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hvad gør vi, hvis portalen er nede?",
        "Hvad skal vi så gøre nu?",
        "hvad gør man hvis der mangler et bilag",
        "What do we do if our bank account changes?",
        "How should we proceed if the project is delayed?",
    ],
)
def test_asking_what_to_do_is_its_own_question_type(question):
    """Its "hvad"/"what" asks for an action, and no figure the situation names ("op til", "max") is asked for."""
    from assistant.pipeline.understand import question_types

    assert question_types(fold(question), load_lexicon(), question) == ("todo",), question


@pytest.mark.parametrize(
    "question",
    [
        "Vi har droppet en af de planlagte aktiviteter. Hvad skal vi gøre?",
        "Hvad gør vi, hvis en aktivitet i projektet bliver aflyst?",
        pytest.param(
            "En aktivitet, vi lovede i ansøgningen, bliver ikke til noget – hvad gør man så?",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap: two duties whose conditions both name project changes tie; the reminder that "
                "the pool's rules still apply ('skal … være opmærksom på') outscores the approval sentence",
            ),
        ),
    ],
)
def test_what_to_do_when_the_project_changes_quotes_what_must_be_done(assistant, question):
    """A change to the project: what to do is the sentence that says it must be approved beforehand ("… skal dette
    på forhånd godkendes"), not the definition of a project change alone."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if not answer.citations or "ændring" not in answer.citations[0].title.lower():
            continue
        assert re.search(r"\bskal\b[^.]*\bgodkend", answer.citations[0].quote), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Hvad gør vi hvis projektet bliver forsinket?",
        "hvad hvis vi ikke bliver færdige til tiden",
        "Projektet tager længere tid end planlagt – hvad så?",
    ],
)
def test_a_project_running_late_is_answered_with_the_extension_rule(assistant, question):
    """Running late is the documents' "forlænge projektet": the answer quotes that rule, not "oplyser ikke noget om
    forsinket" and not a budget passage that shares the word "færdig"."""
    checked = 0
    for pool in assistant.specs:
        if not any(
            "forlæng" in s.title.lower() and assistant.corpus.document(d).meta.pool == pool
            for (d, _), s in assistant.corpus.sections.items()
        ):
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.abstained, (pool, answer.answer)
        assert "forlæng" in answer.citations[0].quote.lower(), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "template",
    [
        "Hvor mange penge er der i {name}, deles de ligeligt, og giver det mening for en lille forening at søge?",
        "Hvor meget er der i alt i {name}, fordeles det mellem mange projekter, og kan man søge to gange?",
        "Hvor stort er beløbet i {name}, gives det som et fast beløb pr. projekt?",
    ],
)
def test_a_later_yes_no_part_does_not_hide_the_amount_asked_first(assistant, template):
    """The words of a yes/no question after a comma ("deles de ligeligt …?") are no words of the amount asked
    before it: the pool's total is answered, not said to be missing."""
    _assert_each_pools_total_is_answered(assistant, template)


def _assert_each_pools_total_is_answered(assistant, template: str) -> None:
    """Asked of each pool with a total (by its short name), the answer gives it — and says nothing is missing."""
    checked = 0
    for pool in _pool_with_fact(assistant, "puljebeloeb"):
        answer = assistant.ask(template.format(name=assistant.specs[pool].short_name), now=NOW)
        displays = [e.display for e in assistant.pool_facts[pool].facts if e.key == "puljebeloeb"]
        assert any(f.key == "puljebeloeb" for f in answer.facts), (pool, answer.answer)
        assert any(d in answer.answer for d in displays), (pool, answer.answer)
        assert "oplyser ikke" not in answer.answer.split("\n")[0], (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "template",
    ["Hvor stort er beløbet i {name}?", "Hvor højt er beløbet i {name} i år?", "How large is the amount in {name}?"],
)
def test_a_pool_named_where_puljen_would_stand_asks_about_the_pool(assistant, template):
    """ "Beløbet i SærligSoc" is "beløbet i puljen": the pool's name after "i"/"in" stands where "puljen" would,
    and the pool's total is answered."""
    _assert_each_pools_total_is_answered(assistant, template)


@pytest.mark.parametrize(
    "question",
    [
        "Skal borgerne være anvist bolig af kommunen for at være med i målgruppen?",
        "Må beboerne selv kontakte kommunen, hvis de har brug for hjælp?",
        "Kan deltagerne få et gavekort fra kommunen?",
    ],
)
def test_a_yes_no_question_about_someone_else_gets_no_verdict_from_who_may_apply(assistant, question):
    """Who may apply ("kommuner") and a sentence on what municipalities may have make a yes or no for the asker
    ("Kan vi få dækket moms?"); asked of the residents or the participants, that yes or no answers nothing."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "ansøgerkredsen for" not in answer.answer.split("\n")[0], (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "of_the_staff"),
    [
        ("Can volunteers get their transport costs covered?", False),
        ("Can we get transport costs for our volunteers covered?", False),
        ("Kan vores frivillige få dækket kørsel i egen bil?", False),
        ("Kan beboerne få betalt transport i egen bil?", False),
        ("Kan medarbejderne få dækket kørsel i egen bil?", True),
    ],
)
def test_a_yes_or_no_is_read_only_off_a_sentence_said_of_the_people_asked_about(assistant, question, of_the_staff):
    """ "Der kan ydes tilskud til udgifter til transport i egen bil for projektets medarbejdere" says yes for the
    staff; for volunteers or residents it says nothing, and no "Ja" is read off it."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        quoted = " ".join(c.quote for c in answer.citations[:1])
        if not re.search(r"transport (?:i egen bil )?for projektets medarbejdere", quoted):
            continue
        lead = answer.answer.split("\n")[0]
        assert lead.startswith(("Ja", "Yes")) is of_the_staff, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["Hvad skal ansøgningen bestå af?", "What does an application consist of?", "Hvad består en ansøgning af?"],
)
def test_what_a_thing_consists_of_is_answered_by_the_sentence_that_defines_it(assistant, question):
    """ "Bestå af" / "consist of" asks what the documents understand by the term: the section that says so ("Ved
    ansøgning forstås ansøgningsskema, budgetskema og eventuelle bilag.") leads, however the search ranked it."""
    checked = 0
    for pool in assistant.specs:
        defining = {
            key
            for key, section in assistant.corpus.sections.items()
            if section.pool == pool and re.search(r"\bVed ansøgning forstås\b", " ".join(section.paragraphs))
        }
        if not defining:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        first = answer.citations[0]
        assert (first.doc_id, first.section) in defining and "forstås" in first.quote, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["Får vi pengene udbetalt på forhånd?", "Is the grant paid up front?", "Bliver tilskuddet forudbetalt til os?"],
)
def test_paid_in_advance_asks_when_the_grant_is_paid(assistant, question):
    """ "På forhånd" / "up front" asks when: a pool whose documents say when the grant is paid answers with it,
    one whose documents do not says so plainly (not its NemKonto rule as if it were the answer)."""
    having = set(_pool_with_fact(assistant, "udbetaling_tidspunkt"))
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if pool in having:
            assert any(f.key == "udbetaling_tidspunkt" for f in answer.facts), (pool, answer.answer)
        elif answer.citations:
            assert re.search(r"oplyser ikke|does not state|do not state", answer.answer.split("\n")[0]), (
                pool,
                answer.answer,
            )
    assert having and set(assistant.specs) - having


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("Hvis der sker ændringer i projektet, skal tilskudsmodtager give besked.", 2),
        ("Hvis der skal foretages en budgetændring, skal tilskudsmodtager udarbejde et nyt budget.", 0),
        ("Tilskudsmodtager skal indsende en anmodning.", 1),
        ("If the portal is down, the applicant must send an e-mail.", 2),
    ],
)
def test_a_duty_under_another_condition_is_for_another_situation(sentence, fits):
    """What to do is looked for first among duties whose condition names the situation asked about, then among
    unconditioned ones; a duty under another condition ("… en budgetændring") comes last."""
    from assistant.pipeline.quote import _condition_fits, condition_words

    asked = condition_words("en aktivitet i projektet bliver aflyst (ændringer i projektet) portal")
    assert _condition_fits(sentence, asked) == fits


@pytest.mark.parametrize(
    "question",
    [
        "Skal borgerne være anvist bolig af kommunen for at være med i målgruppen?",
        "Hvem hører til målgruppen, og hvad skal vi skrive om den?",
        "Can people who found housing themselves be part of the target group?",
    ],
)
def test_one_answer_quotes_a_documents_sentence_once(assistant, question):
    """A guideline may say a sentence in two sections (the target group in its own section and again where the
    application is assessed): quoted from both, the reader gets it twice. Within one answer a document's sentence
    is shown once; what is new of a later quote stays, verbatim, "…" where the repeat was."""
    from assistant.pipeline.compose import quoted_sentences

    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        shown = [c for c in answer.citations if f"«{c.quote}»" in answer.answer]
        counts = Counter(
            (c.doc_id, " ".join(s.split()))
            for c in {c.quote: c for c in shown}.values()
            for s in quoted_sentences(c.quote)
        )
        assert max(counts.values(), default=1) == 1, (pool, answer.answer)
        for c in shown:
            assert is_verbatim(assistant.corpus, c.doc_id, c.section, c.quote), c.quote


@pytest.mark.parametrize(
    "question",
    [
        "Vi har haft lokalafdelinger i to regioner siden 2019. Skal vi være i flere regioner?",
        "We have had local groups in two regions since 2018. Do we need more regions?",
        "Foreningen har arbejdet med unge siden 2017. Passer vi ind i årets tema?",
    ],
)
def test_a_year_told_as_since_when_is_no_round_asked_about(assistant, question):
    """ "Siden 2019" tells how long the asker has been at it; the documents of the 2025 round answer, not a
    "the guideline says nothing about 2019"."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.search(r"oplyser ikke noget om 20\d\d|does not state this", answer.answer), (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    ["Are we eligible for {name}?", "Would we be eligible for {name}?", "Is our association eligible for {name}?"],
)
def test_are_we_eligible_asks_who_may_apply(assistant, template):
    """ "Eligible" of the asker is who may apply, not an eligible cost."""
    for pool in _pool_with_fact(assistant, "ansoegerkreds"):
        answer = assistant.ask(template.format(name=assistant.specs[pool].short_name), now=NOW)
        assert any(f.key == "ansoegerkreds" for f in answer.facts), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Would we be eligible if we only work in one municipality?",
        "We run groups in several municipalities – can we apply?",
        "Our volunteers work across all regions. Can we apply?",
    ],
)
def test_where_the_asker_works_counted_is_no_kind_of_applicant(assistant, question):
    """ "In one municipality" counts where the asker works: it does not make the asker a municipality."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.search(r"as an? (?:municipality|region)", answer.answer), (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "everyday"),
    [
        ("kan vi bruge pengene paa et kursus saa de frivillige laerer noget?", "laerer"),
        ("hvor mange boerneaktiviteter maa vi have hver maaned?", "maaned"),
        ("skal vi bruge et saerligt skema naar vi soeger?", "saerligt"),
    ],
)
def test_an_everyday_word_typed_without_aeoeaa_is_not_a_rare_word(assistant, question, everyday):
    """ "laerer" is "lærer": common Danish, though wordfreq knows no "laerer". Taken for a rare word, it would
    look for the few sections that use it, and find none."""
    from assistant.pipeline.retrieve import rare_words

    assert everyday not in rare_words(_understood(assistant.pipeline, question)), question


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "Kan udgifterne til en julefest for deltagerne dækkes af puljen?",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap: where the question's words are not the pool's ('deltagerne' for the caretakers' "
                "residents), the list of costs not covered ties with the eligible ones and leads",
            ),
        ),
        "Vi vil holde fællesspisning for borgerne hver måned – kan udgifterne til maden dækkes?",
        "vores vicevært vil holde sommerfest for beboerne – kan udgifterne til det dækkes?",
    ],
)
def test_costs_of_a_party_or_meal_are_answered_by_the_eligible_cost_of_activities(assistant, question):
    """Costs to be covered are asked of the lists of what the grant covers, and a party or a shared meal is an
    activity: the first quote is the item on activities' costs, not the section describing the work."""
    checked = 0
    for pool in assistant.specs:
        own = [
            key
            for key, sec in assistant.corpus.sections.items()
            if sec.pool == pool and "Udgifter til aktiviteterne skal anføres" in " ".join(sec.paragraphs)
        ]
        if not own:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and "aktivitet" in first.group(1), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Vi har 55.000 kr. tilbage ved årets udgang – hvad gør vi?",
        "Der er 40.000 kr. uforbrugt i år. Hvad skal vi gøre?",
        "We have DKK 30,000 left over at the end of the year. What should we do?",
    ],
)
def test_what_to_do_with_money_left_gives_the_carry_over_rule_without_taking_it_for_the_grant(assistant, question):
    """What to do with what is left is the carry-over rule; the one amount told is what is left, not the year's
    grant, so no limit is reckoned from it ("Med et tilskud på 55.000 kr. …" would be a wrong number)."""
    told = re.search(r"\d+[.,]\d{3}", question).group(0).replace(",", ".")
    for pool in _pool_with_fact(assistant, "overfoersel_procent"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert any(f.key == "overfoersel_procent" for f in answer.facts), (pool, answer.answer)
        assert not re.search(rf"tilskud på {re.escape(told)}|grant of DKK {told.replace('.', ',')}", answer.answer), (
            pool,
            answer.answer,
        )


@pytest.mark.parametrize(
    "question",
    [
        "Må vi købe et skrivebord til projektet?",
        "Kan en kontorstol dækkes af tilskuddet?",
        "og hvad med en reol",
        "Må vi købe 2 telefoner til de frivillige?",
        "kan viceværten få en ny mobil betalt",
        "Can we buy smartphones for the staff?",
    ],
)
def test_office_furniture_is_equipment(question):
    """A desk, an office chair, a shelf are equipment ("materiel"), as a computer or a phone is."""
    from assistant.glossary import document_terms

    assert "materiel" in document_terms(question), document_terms(question)


def test_an_faq_answer_that_opens_with_its_own_yes_or_no_is_not_shown_beside_another(assistant):
    """ "Ja, hvis disse er meningsgivende …" answers its own FAQ question; shown beside the quote that answers
    this one ("Det kan ikke tildeles virksomheder."), it reads as a yes to it."""
    checked = 0
    for pool in assistant.specs:
        for question in [
            "kan en lokal virksomhed der er med i partnerskabet også få det, og hvem er det der betaler det ud?",
            "Får den lokale købmand i partnerskabet det også, og hvem betaler det ud?",
            "kan et lokalt firma i partnerskabet også få det?",
        ]:
            history = []
            for turn in ["Hvad er en sign on fee?", "hvor meget kan en forening få?"]:
                said = assistant.ask(turn, pool=pool, history=history or None, now=NOW)
                history += [{"role": "user", "content": turn}, {"role": "assistant", "content": said.answer}]
            answer = assistant.ask(question, pool=pool, history=history, now=NOW)
            shown = re.findall(r"«([^»]*)»", answer.answer)
            for quote in shown[1:]:
                cited = next((c for c in answer.citations if c.quote == quote), None)
                if cited and assistant.corpus.by_id[cited.doc_id].meta.kind == "faq":
                    assert not re.match(r"(?:Ja|Nej)\b", quote), (pool, question, answer.answer)
                    checked += 1
    assert checked


@pytest.mark.parametrize(
    ("danish", "english"),
    [
        (
            "Kan vores kommune bare maile ansøgningen i stedet for at bruge portalen?",
            "Can our municipality just email the application instead of using the portal?",
        ),
        (
            "Må vi sende ansøgningen med posten i stedet for at bruge portalen?",
            "Can we send the application by post instead of using the portal?",
        ),
        (
            "Kan vi indsende ansøgningen på papir frem for digitalt via portalen?",
            "Can we hand in the application on paper rather than through the portal?",
        ),
    ],
)
def test_an_english_instead_of_question_gets_the_no_the_danish_one_gets(assistant, danish, english):
    """ "X instead of Y?" is a no where Y must be done and nothing allows X. Asked in English, the question's
    words reach the Danish sentences through the document terms they stand for: the English answer says "No" for
    some pool, and never where the Danish one says "Ja" (a sentence allowing X)."""
    said_no = []
    for pool in assistant.specs:
        da = assistant.ask(danish, pool=pool, now=NOW).answer
        en = assistant.ask(english, pool=pool, now=NOW).answer
        assert not (en.startswith("No –") and da.startswith("Ja –")), (pool, english, en)
        said_no.append(en.startswith("No –"))
    assert any(said_no), english


@pytest.mark.parametrize(
    ("question", "reckoned", "wrong"),
    [
        (
            "En medarbejder får 35.000 kr. om måneden, og vi har et tilskud på 900.000 kr. Hvad bliver timesatsen?",
            "35.000 kr.",
            "900.000 kr. er",
        ),
        ("Vi har fået 300.000 kr. i tilskud. Må vi købe materiel for 45.000 kr.?", "45.000 kr.", "300.000 kr. er"),
        (
            "Revisoren skal have 8.000 kr., og vores tilskud er på 95.000 kr. Skal regnskabet revideres?",
            "95.000 kr.",
            "8.000 kr. er",
        ),
    ],
)
def test_the_grant_the_asker_tells_is_not_taken_for_a_salary_a_purchase_or_a_fee(assistant, question, reckoned, wrong):
    """A message with two amounts, one of them the grant ("et tilskud på 900.000 kr."): a salary or a purchase is
    reckoned from the other one, the audit from the grant — taking one for the other is a wrong number."""
    checked = 0
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if not answer.facts:
            continue
        reckoning = [line for line in answer.answer.split("\n\n") if not line.startswith("«")]
        assert any(reckoned in line for line in reckoning[1:]), (pool, answer.answer)
        assert not any(wrong in line for line in reckoning), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("question", "left"),
    [
        (
            "Vi har et tilskud på 500.000 kr. og har brugt 470.000 kr. Kan resten overføres uden godkendelse?",
            "30.000 kr.",
        ),
        ("Af årets 800.000 kr. har vi forbrugt 690.000 kr. Må vi tage resten med til næste år?", "110.000 kr."),
        ("Our grant is DKK 400.000 and we have spent 385.000 kr. Can the rest be carried over?", "15.000 kr."),
    ],
)
def test_an_amount_told_as_spent_leaves_the_rest_of_the_grant(assistant, question, left):
    """ "Har brugt 470.000 kr." of 500.000 kr. leaves 30.000 kr.: that is the unspent amount judged against the
    carry-over limit, not the 470.000 kr. spent (a wrong number, and a wrong no)."""
    for pool in _pool_with_fact(assistant, "overfoersel_procent"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert left in answer.answer.split("\n\n")[0], (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "moved", "post"),
    [
        (
            "Aktivitetsposten er på 40.000 kr. i 2026. Vi vil flytte 6.000 kr. over til transport. Skal det godkendes?",
            "6.000 kr.",
            "40.000 kr.",
        ),
        (
            "Lønposten er 300.000 kr., og vi vil flytte 25.000 kr. over til materiel. Må vi det uden at spørge?",
            "25.000 kr.",
            "300.000 kr.",
        ),
        ("Må vi flytte 12.000 kr. fra en budgetpost på 90.000 kr. til aktiviteter i 2027?", "12.000 kr.", "90.000 kr."),
    ],
)
def test_money_moved_between_budget_lines_is_judged_against_the_line(assistant, question, moved, post):
    """ "Flytte 25.000 kr. over til materiel" is a budget change, however the amount stands between its words, and
    the post it goes to ("materiel") is no purchase; a year in the message ("i 2026") is no amount."""
    for pool in _pool_with_fact(assistant, "budgetaendring_tolerance"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        first = answer.answer.split("\n\n")[0]
        assert f"ændring på {moved} af en budgetpost på {post}" in first, (pool, answer.answer)
        assert "materielkøb" not in answer.answer and "2.02" not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "needs_approval"),
    [
        ("Vi vil gerne flytte ca. 30 % af lønposten over til aktiviteter. Må vi bare gøre det?", True),
        ("Må vi flytte 5 procent af aktivitetsposten til transport?", False),
        ("Kan vi omfordele 12 pct. af budgetposten til løn uden at spørge?", True),
    ],
)
def test_a_change_told_as_a_share_of_the_budget_line_is_judged_against_the_tolerance(
    assistant, question, needs_approval
):
    """ "30 % af lønposten" tells the share itself: over the tolerance it needs approval, within it not. A count of
    budget lines ("3 af budgetposterne") is no share."""
    for pool in _pool_with_fact(assistant, "budgetaendring_tolerance"):
        first = assistant.ask(question, pool=pool, now=NOW).answer.split("\n\n")[0]
        assert ("kræver forudgående godkendelse" in first) == needs_approval, (pool, first)
        assert "af en budgetpost" in first, (pool, first)
        counted = assistant.ask("Må vi flytte penge fra 3 af budgetposterne?", pool=pool, now=NOW).answer
        assert "3 pct." not in counted, (pool, counted)


@pytest.mark.parametrize(
    ("question", "day", "month"),
    [
        ("Vi regner med at sende ansøgningen den 8. august. Er det for sent?", 8, 8),
        ("Vi sender den 6. august om aftenen – når vi fristen?", 6, 8),
        ("Vi har tænkt os at søge d. 20. juni, er fristen overskredet da?", 20, 6),
        # in figures, and asked as "do we make it" (today's date, told too, is no day they propose)
        ("Det er i dag d. 16. juni, og vi kan tidligst sende den 25/6. Når vi det?", 25, 6),
        ("Vi sender den 30/6 – klarer vi den?", 30, 6),
        ("We can only submit on 5/8 – will we make it in time?", 5, 8),
        # English dates, with the month's English name
        ("We plan to submit on 8 August – is that too late?", 8, 8),
        ("Can we still send it on August 10?", 10, 8),
        ("Can we still hand in the application on the 1st of August?", 1, 8),
    ],
)
def test_the_askers_own_date_is_judged_against_the_deadline(assistant, question, day, month):
    """ "Vi sender den 8. august – er det for sent?": the answer to their case leads (after, on the day of, or
    before the deadline), not only how many days are left from today."""
    from datetime import date as day_of

    checked = 0
    for pool in _pool_with_fact(assistant, "ansoegningsfrist"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        deadline = next((f.value for f in answer.facts if f.key == "ansoegningsfrist"), None)
        if not hasattr(deadline, "year"):
            continue
        last = deadline.date() if hasattr(deadline, "hour") else deadline
        if last < datetime.fromisoformat(NOW).date():
            continue  # a passed round's deadline is said to have passed; no day is judged against it
        asked = day_of(last.year, month, day)
        verdict = (
            ("after the deadline", "efter fristen")
            if asked > last
            else ("day of the deadline", "sidste dag")
            if asked == last
            else ("before the deadline", "før")
        )
        assert any(v in answer.answer.split("\n\n")[0] for v in verdict), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize("template", ["og for {t}?", "Hvad med {t}?", "Gælder det samme for {t}?"])
def test_a_follow_up_naming_another_pool_by_its_own_word_switches_and_the_next_turn_stays(assistant, template):
    """ "Og for viceværterne?" after a question about another pool: a word of one pool's name that no other
    pool's documents use names that pool as its full name would, and the turn after it ("hvor mange penge er der
    i den?") is about it too — the answer that named it in full is the conversation's latest pool."""
    checked = 0
    for pool, tokens in assistant.pipeline.name_tokens.items():
        words = sorted(t for t in tokens if len(t) >= 8 and t.isalpha())
        other = next((p for p in assistant.specs if p != pool and _pool_with_fact(assistant, "ansoegningsfrist")), None)
        if not words or other is None or pool not in _pool_with_fact(assistant, "ansoegningsfrist"):
            continue
        history = []
        for turn in [f"Hvornår er fristen for {assistant.specs[other].short_name}?", template.format(t=words[0])]:
            said = assistant.ask(turn, history=history or None, now=NOW)
            history += [{"role": "user", "content": turn}, {"role": "assistant", "content": said.answer}]
        assert {f.doc_id for f in said.facts} <= set(assistant.pipeline.lookup.documents_of(pool)), (pool, said.answer)
        assert said.facts, (pool, said.answer)
        then = assistant.ask("hvor mange penge er der i den?", history=history, now=NOW)
        docs = {f.doc_id for f in then.facts} | {c.doc_id for c in then.citations}
        assert docs and docs <= set(assistant.pipeline.lookup.documents_of(pool)), (pool, then.answer)
        checked += 1
    assert checked


# -- session 5: kinds of fact asked, verbs written apart, typing slips, English readings ---------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Er der et minimumsbeløb man kan søge?",
        "Findes der et mindste beløb, man kan søge om?",
        "Is there a minimum amount we can apply for?",
    ],
)
def test_a_fact_named_by_its_own_word_goes_before_one_named_by_a_shared_action(assistant, question):
    """ "Er der et minimumsbeløb, man kan søge?": "man kan søge" is an action several facts share, the least grant
    is what is asked. Where no pool states one, that is said — never the list of who may apply in its place."""
    checked = 0
    for pool in _pool_without_fact(assistant, "tilskud_min"):
        if pool not in _pool_with_fact(assistant, "ansoegerkreds"):
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "ansoegerkreds" not in {f.key for f in answer.facts}, (pool, answer.answer)
        assert "oplyser ikke" in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What is the maximum amount we can apply for?", "tilskudsstoerrelse"),
        ("Is there a largest amount per project?", "tilskudsstoerrelse"),
        ("What's the highest amount one can get?", "tilskudsstoerrelse"),
        ("What is the minimum amount we can apply for?", "mindste_tilskud"),
        ("Is there a smallest amount we may ask for?", "mindste_tilskud"),
        ("What's the lowest amount the pool gives?", "mindste_tilskud"),
    ],
)
def test_english_amount_words_name_the_grant_size(assistant, question, intent):
    query = _understood(assistant.pipeline, question)
    assert intent in [i.name for i in query.intents], [i.name for i in query.intents]


@pytest.mark.parametrize(
    "question",
    [
        "What happens if we don't spend all the money?",
        "Hvad sker der, hvis vi ikke bruger alle pengene?",
        "Vi bruger ikke hele tilskuddet i år – hvad så?",
    ],
)
def test_money_not_spent_is_the_unspent_grant_not_the_project_period(assistant, question):
    """Spending the money names the project period only when asked when ("hvornår skal pengene være brugt?");
    money not spent is the unspent grant carried over."""
    checked = 0
    for pool in _pool_with_fact(assistant, "overfoersel_procent"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "projektperiode" not in {f.key for f in answer.facts}, (pool, answer.answer)
        assert re.search(r"uforbrugt", answer.answer), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["By when must we spend the grant?", "Hvornår skal pengene så bruges?", "When do we have to use the money by?"],
)
def test_spending_the_money_asked_when_is_the_project_period(assistant, question):
    _each_pool_with_fact_answers_with_it(assistant, "projektperiode", question)


def _each_pool_with_fact_answers_with_it(assistant, key: str, question: str) -> None:
    """Every pool that states the fact answers the question with it."""
    for pool in _pool_with_fact(assistant, key):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert key in {f.key for f in answer.facts}, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "What happens when the project ends and we still have money left?",
        "We have some money left at the end of the year – can we keep it?",
        "If there are funds left after year one, what then?",
    ],
)
def test_money_left_is_the_unspent_grant(assistant, question):
    _each_pool_with_fact_answers_with_it(assistant, "overfoersel_procent", question)


@pytest.mark.parametrize(
    "question",
    [
        "Skal vi betale de penge tilbage, når projektet er slut?",
        "Skal vi betale tilskuddet til materiel tilbage, når projektet slutter?",
        "Do we have to repay the grant for equipment at the end?",
        *(
            pytest.param(
                question,
                marks=pytest.mark.xfail(
                    strict=True,
                    reason="the item's sentence naming the thing (its glossary terms counted one by one) outscores "
                    "its sentence on repaying in one pool (known gap)",
                ),
            )
            for question in (
                "Skal tilskuddet til computeren tilbagebetales?",
                "Do we have to pay back the money for the laptop?",
            )
        ),
    ],
)
def test_paying_money_back_is_repaying_not_money_left_over(assistant, question):
    """ "betale de penge tilbage" repays a grant (equipment's is as a rule paid back); "penge tilbage" in it is no
    money left over, and the carry-over limits are no answer."""
    checked = 0
    for pool in _pool_with_fact(assistant, "overfoersel_procent"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not {f.key for f in answer.facts} & {"overfoersel_procent", "overfoersel_maks"}, (pool, answer.answer)
        assert "tilbagebetal" in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("question", "asks_when"),
    [
        ("Do we have to pay back the money for the laptop when the project ends?", False),
        ("Is the report due when the project is over?", False),
        ("What happens when the project ends?", False),
        ("When is the deadline?", True),
        ("And when do we get the money?", True),
        ("We are a club. When can we apply?", True),
    ],
)
def test_english_when_inside_a_clause_asks_no_time(assistant, question, asks_when):
    query = _understood(assistant.pipeline, question)
    assert ("when" in query.types) == asks_when, query.types


@pytest.mark.parametrize(
    "question",
    [
        "Is the sign on fee paid every year?",
        "Is the sign-on fee an annual amount?",
        "Do the associations get the sign on fee each year, or once?",
    ],
)
def test_an_english_quote_of_a_facts_sentence_leads_with_the_facts_english_reading(assistant, question):
    """The quote is Danish; where it is a curated fact's own sentence, the fact said in English — with its note in
    English — answers first ("… DKK 30,000. Note: a one-off sum for the whole project period …")."""
    checked = 0
    for pool in _pool_with_fact(assistant, "sign_on_fee_loft"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        lead = answer.answer.split("\n\n")[0]
        (fact,) = answer.facts
        entry = next(e for e in assistant.pool_facts[pool].facts if (e.key, e.quote) == (fact.key, fact.quote))
        assert "DKK" in lead and entry.note_en in lead, answer.answer
        assert "(in Danish)" not in lead
        checked += 1
    assert checked


def test_every_note_of_a_fact_is_said_in_english_too(assistant):
    """An English reader gets a fact's condition in English, not "Note (in Danish): …"."""
    missing = [(pool, e.key) for pool, f in assistant.pool_facts.items() for e in f.facts if e.note and not e.note_en]
    assert not missing


def test_an_english_note_with_a_number_the_quote_lacks_is_refused(assistant):
    from assistant.rules.facts import check_entry

    corpus = assistant.pipeline.corpus
    for pool, facts in assistant.pool_facts.items():
        for entry in (e for e in facts.facts if e.note_en):
            assert not [p for p in check_entry(corpus, pool, entry) if "note_en" in p], entry.key
            wrong = entry.model_copy(update={"note_en": entry.note_en + " (at most DKK 987,654)"})
            assert [p for p in check_entry(corpus, pool, wrong) if "note_en" in p], entry.key


@pytest.mark.parametrize(
    "question",
    [
        "Hvor stor en procentdel af tilskuddet skal vi give videre til foreningerne?",
        "What percentage of the grant goes to the associations?",
        "Hvor mange procent af budgettet må gå til sign on fee?",
    ],
)
def test_a_percentage_asked_is_not_answered_with_an_amount_in_kroner(assistant, question):
    """A share in per cent is answered by a percentage only: the 30.000 kr. beside it is no answer, and where no
    percentage is stated, that is said."""
    checked = 0
    for pool in _pool_with_fact(assistant, "sign_on_fee_loft"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke" in answer.answer, answer.answer
        assert not re.search(r"30[.,]000", answer.answer), answer.answer
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    ["What percent can we move between budget lines?", "Hvor mange procent må vi flytte mellem budgetposterne?"],
)
def test_a_percentage_asked_is_answered_by_a_percentage_fact(assistant, question):
    _each_pool_with_fact_answers_with_it(assistant, "budgetaendring_tolerance", question)


@pytest.mark.parametrize(
    "question",
    ["Kan vi bare sende den på mial?", "Kan vi sende ansøgningen på mial?", "Må vi sende ansøgninegn på mail?"],
)
def test_two_letters_swapped_are_one_typing_slip(assistant, question):
    """ "mial" is "mail" with two letters swapped: one slip, put right like a letter left out — where it is one of
    two words a slip away ("maal", "mail"), the one with the same letters."""
    from assistant.retrieval import within_one_edit

    assert within_one_edit("mial", "mail") and not within_one_edit("abcd", "badc")
    checked = 0
    for pool, text in assistant.pipeline.pool_texts.items():
        if "eller via mail" not in text:
            continue  # the pools whose guideline says an application may be sent by mail
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.abstained, answer.answer
        assert "mail" in " ".join(c.quote for c in answer.citations), answer.answer
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få dækket udgifter til at bygge lokalet lidt om?",
        "Må vi bruge tilskuddet til at bygge køkkenet om?",
        "Kan puljen betale for at bygge vores lokaler om?",
    ],
)
def test_a_verb_written_apart_finds_the_excluded_item_and_its_no(assistant, question):
    """ "bygge lokalet om" is the documents' "ombygning", which a list of costs not covered names: a plain no."""
    checked = 0
    for pool in assistant.specs:
        text = assistant.pipeline.pool_texts.get(pool, "")
        if "ombygning" not in text:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("Nej"), (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    ("question", "not_term"),
    [
        ("What should we take into account when the groups are for children?", "NemKonto"),
        ("What do we need to account for in the final report?", "NemKonto"),
        ("Can the project be delayed on account of illness?", "NemKonto"),
        ("What does the guideline state about reporting?", "statsstøtte"),
        ("Does the FAQ state when the money comes?", "statsstøtte"),
        ("The page states that we must report – when?", "statsstøtte"),
        ("Is there a down payment before the project starts?", "driftsforstyrrelser"),
        ("Do they pay a down payment?", "driftsforstyrrelser"),
        ("Is a down payment possible?", "driftsforstyrrelser"),
    ],
)
def test_an_english_word_in_a_phrase_of_another_sense_is_not_the_document_term(question, not_term):
    """ "take into account" is no bank account, "the guideline states" no state aid, a "down payment" no portal
    that is down; the word in its own sense still is ("Which account is it paid to?", "state aid")."""
    from assistant.glossary import document_terms

    assert not_term not in document_terms(question)
    assert "NemKonto" in document_terms("Which account is the money paid to?")
    assert "statsstøtte" in document_terms("Does the state aid rule apply to us?")
    assert "driftsforstyrrelser" in document_terms("The portal is down, what do we do?")


# Session 6.


def _pools_with_sentence(assistant, pattern: str) -> list[str]:
    """The pools one of whose documents has a sentence matching the pattern (folded text)."""
    found = re.compile(pattern)
    return [
        pool
        for pool in assistant.specs
        if any(found.search(fold(sentence)) for sentence in re.split(r"(?<=[.!?])\s", _pool_text(assistant, pool)))
    ]


# A sentence that denies support on a condition about the project's main purpose.
_DENIED_ON_MAIN_PURPOSE = r"\bikke\b.*\bhvis primaere formaal\b.*\bbeskaeftigelse\b.*\bsundhed\b"


@pytest.mark.parametrize(
    "question",
    [
        "Vores projekt skal primært hjælpe unge i job. Kan vi få støtte til det?",
        "Vores forening arbejder primært med integration. Kan det kvalificere til støtte?",
        "Our main goal is integration of refugees. Could we get a grant for that?",
        "We mainly do health work with young people. Would it qualify?",
        "Our project is primarily about getting young people into employment. Would that qualify?",
        # the asking sentence shares no word with the denial: the condition's words told are what it is about
        "Our project mainly helps young adults with ADHD get into a job. Can we get funding?",
    ],
)
def test_a_denial_whose_condition_the_asker_tells_is_a_plain_no(assistant, question):
    """ "Der tildeles ikke støtte til projekter, hvis primære formål … er integration, uddannelse, beskæftigelse
    eller sundhed": the asker who tells that their project's main aim is one of them meets the condition, so the
    sentence is a plain no for them (in English for an English question), though "hvis" limits it for others."""
    pools = _pools_with_sentence(assistant, _DENIED_ON_MAIN_PURPOSE)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("No –" if question.isascii() else "Nej –"), (pool, answer.answer)
        assert "hvis primære formål" in answer.citations[0].quote, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "May the grant pay to refurbish the flats the residents move into?",
        "Kan vi forlænge projektet og få et tillæg til tilskuddet samtidig?",
        "Må vi købe en computer, hvis den kun bruges i projektet?",
    ],
)
def test_a_told_condition_makes_no_plain_yes(assistant, question):
    """A word of the asker's in a yes-sentence's condition ("…, hvis den sociale vicevært støtter op om …
    aktiviteter mellem beboerne") is not all the condition asks: no "Ja"/"Yes" rests on it."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Ja –", "Yes –")), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Would that qualify for the pool?",
        "Could we get a grant for rent?",
        "Will the money be paid out?",
        "Vil det tælle med i budgettet?",
        "Kunne vi søge begge puljer?",
    ],
)
def test_conditional_and_future_modals_open_yes_no_questions(assistant, question):
    query = _understood(assistant.pipeline, question)
    assert set(query.types) & {"yesno", "may"}, query.types


@pytest.mark.parametrize(
    ("question", "change", "line"),
    [
        # a line told with what it is to be: the change is the difference, of the line as it was
        (
            "Vores budgetpost til aktiviteter er paa 80.000 kr men vi regner nu med at bruge 92.000 kr. Skal det "
            "godkendes?",
            12_000,
            80_000,
        ),
        ("Kan vi hæve budgetposten til aktiviteter fra 50.000 kr. til 54.000 kr. uden godkendelse?", 4_000, 50_000),
        ("Budgetposten til husleje er 40.000 kr., men den bliver 43.000 kr. Er det ok?", 3_000, 40_000),
        (
            "Our activities budget line is DKK 100,000. We now expect to spend DKK 125,000. Do we need approval?",
            25_000,
            100_000,
        ),
        ("Kan vi sætte budgetposten ned fra 60.000 kr. til 52.000 kr.?", 8_000, 60_000),
        # a sum moved out of a line is the change itself, of the larger amount (the line)
        ("Vi vil flytte 30.000 kr. fra lønposten på 300.000 kr. Skal det godkendes?", 30_000, 300_000),
        (
            "Vi vil flytte 20.000 kr. fra løn til aktivitetsposten, som er på 100.000 kr. Skal det godkendes?",
            20_000,
            100_000,
        ),
        ("Can we move DKK 5,000 from the rent budget line of DKK 40,000 to activities?", 5_000, 40_000),
        # a line named by what it is for, and what it is to be with no word for "new total": the larger amount
        ("Transportposten er på 40.000 kr., men vi får brug for 45.000 kr. Kræver det godkendelse?", 5_000, 40_000),
        ("Aktivitetsposten er 80.000 kr. Vi har brug for 86.000 kr. Skal vi spørge jer først?", 6_000, 80_000),
        (
            "Lønposten i budgettet er 200.000 kr., men den ender nok på 215.000 kr. Skal det godkendes først?",
            15_000,
            200_000,
        ),
        # what it ends at, told with a word for ending up
        (
            "Budgetposten til kørsel er 30.000 kr. i år, og det ser ud til, at vi ender på 34.000 kr. Er det ok?",
            4_000,
            30_000,
        ),
        ("Budgetposten til husleje er 50.000 kr. Det lander nok på 53.000 kr. Skal det godkendes?", 3_000, 50_000),
        (
            "Our rent budget line is DKK 60,000 and it looks like it will end up at DKK 70,000. Do we need approval?",
            10_000,
            60_000,
        ),
        # a sum told as added is the change itself, however large
        ("Budgetposten til husleje er 40.000 kr. Kan vi øge den med 50.000 kr. uden godkendelse?", 50_000, 40_000),
    ],
)
def test_a_budget_change_is_the_sum_moved_or_the_difference_to_a_new_total(assistant, question, change, line):
    """ "… nu med at bruge 92.000 kr.", "fra 50.000 kr. til 54.000 kr.": a new total is no change of itself; 92.000
    kr. is no change of 80.000 kr. out of 92.000 kr. "Flytte 30.000 kr. fra lønposten på 300.000 kr." moves 30.000.
    "Budgetposten … er 40.000 kr. … vi ender på 45.000 kr.": the line told as it stands, and the larger amount no
    word tells as a sum moved is what it becomes — not a change of 40.000 kr. on a 45.000 kr. line."""
    for pool in _pool_with_fact(assistant, "budgetaendring_tolerance"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        told = f"En ændring på {format_number(change)} kr. af en budgetpost på {format_number(line)} kr."
        assert told in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Can we apply to the Youth Fund, and when is the deadline?",
        "What is the deadline for the Green Transition Pool?",
        "Does the Velux Foundation cover rent for our rooms?",
    ],
)
def test_an_english_name_of_a_fund_we_do_not_have_is_said_to_be_not_covered(assistant, question):
    """ "the Youth Fund": capitalised words before Fund/Pool/Foundation name a scheme of its own; no pool of ours
    answers for it, with facts or quotes."""
    answer = assistant.ask(question, now=NOW)
    assert answer.abstained and not answer.facts and not answer.citations, answer.answer
    assert answer.answer.startswith("I do not have the guidelines for that pool"), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Which Fund should we apply to?",
        "When is the deadline for the Social Caretaker Pool?",
        "How much money is in the Local Partnerships Pool?",
    ],
)
def test_a_capitalised_question_word_or_our_own_pool_is_no_fund_we_lack(assistant, question):
    answer = assistant.ask(question, now=NOW)
    assert not answer.answer.startswith("I do not have the guidelines"), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi søge §115-støtte gennem jer, og hvornår er fristen?",
        "Kan vi søge Ældrepuljen, og hvor mange penge er der i den?",
        "Can we apply to the Youth Fund, and when is the deadline?",
    ],
)
def test_a_later_part_about_a_pool_we_do_not_have_gets_no_other_pools_facts(assistant, question):
    """The later part asks of the pool the earlier part named, which we do not have: no pool's deadline or
    amount answers it."""
    answer = assistant.ask(question, now=NOW)
    assert not answer.facts and not answer.citations and answer.abstained, answer.answer
    assert not re.search(MONTH_PATTERN, answer.answer), answer.answer


def test_a_later_part_naming_a_pool_of_ours_is_answered_beside_one_we_do_not_have(assistant):
    pool = _pool_with_fact(assistant, "ansoegningsfrist")[0]
    name = assistant.pipeline.names.of(pool)
    answer = assistant.ask(f"Kan vi søge Ældrepuljen, og hvornår er fristen for {name}?", now=NOW)
    assert "Ældrepuljen" in answer.answer and "ansoegningsfrist" in {f.key for f in answer.facts}, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvornår er ansøgningsfristen i 2031, og hvor mange penge er der i puljen?",
        "Hvad er fristen for runden i 2031? Og hvor stort er puljebeløbet?",
        "What is the deadline for 2031, and how much money is in the pool?",
    ],
)
def test_a_year_an_earlier_part_asks_of_holds_for_a_later_part(assistant, question):
    """A year said once in a message qualifies its later parts: the pool's amount of another round is no answer
    to "… i 2031, og hvor mange penge er der i puljen?"."""
    for pool in _pool_with_fact(assistant, "puljebeloeb"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "puljebeloeb" not in {f.key for f in answer.facts}, (pool, answer.answer)
        assert re.search(r"oplyser ikke|does not state", answer.answer), (pool, answer.answer)


def test_a_later_part_without_a_year_in_a_message_without_one_gets_the_amount(assistant):
    for pool in _pool_with_fact(assistant, "puljebeloeb"):
        answer = assistant.ask("Hvornår er fristen, og hvor mange penge er der i puljen?", pool=pool, now=NOW)
        assert "puljebeloeb" in {f.key for f in answer.facts}, (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Vi køber bærbare computere for {name}-midlerne. Skal vi betale pengene for dem tilbage, når projektet slutter?",
        "Vi har fået tilskud fra {name} til en printer. Skal tilskuddet tilbagebetales bagefter?",
        "We bought laptops with the {name} grant. Do we have to pay the money back at the end?",
    ],
)
def test_a_pools_name_or_a_common_word_tells_no_condition(assistant, template):
    """ "…, hvis særlige betingelser er opfyldte": the pool's name ("SærligSoc") starts like "særlige", and
    "særlige" is said of many things; neither tells the asker meets the condition, so the sentence stays limited
    and gives no "Nej" to whether an equipment grant is paid back (it is, as a rule)."""
    for pool in _pool_with_fact(assistant, "overfoersel_procent"):
        name = assistant.pipeline.names.of(pool)
        answer = assistant.ask(template.format(name=name), pool=pool, now=NOW)
        assert not answer.answer.startswith(("Nej –", "No –")), (pool, answer.answer)


# A cost allowed on the condition that the applicant is not covered by a VAT compensation scheme.
_ALLOWED_UNLESS_COMPENSATED = (
    r"\bmoms er en tilskudsberettiget\b.*\bhvis ansoeger ikke er omfattet af\b.*momskompensation"
)


@pytest.mark.parametrize(
    "question",
    [
        "Vi er omfattet af momskompensationsordningen. Kan vi få tilskud til moms?",
        "Vores forening får momskompensation. Må vi tage moms med i budgettet?",
        "We're a national association covered by the VAT compensation scheme (momskompensation). Can we include VAT "
        "in the budget?",
    ],
)
def test_an_allowance_whose_not_condition_the_asker_meets_is_a_no(assistant, question):
    """ "Moms er en tilskudsberettiget omkostning, hvis ansøger ikke er omfattet af en momskompensationsordning":
    to an asker who tells they are covered, it is a no."""
    pools = _pools_with_sentence(assistant, _ALLOWED_UNLESS_COMPENSATED)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("No –" if question.isascii() else "Nej –"), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få tilskud til moms?",
        "Vi er ikke omfattet af momskompensation. Kan vi få dækket moms?",
        "Findes der eksempler på projekter, som kan få støtte?",
    ],
)
def test_an_asker_who_does_not_tell_a_not_condition_gets_no_no_from_it(assistant, question):
    """Without the condition told ("Kan vi få tilskud til moms?"), told as not met ("Vi er ikke omfattet …"), or
    only sharing a short start with one of its words ("projekter" / "projektperioden"), the rule stays limited.
    (Where only municipalities may apply, the no drawn from who may apply stands: it is not this sentence's.)"""
    for pool in _pools_with_sentence(assistant, _ALLOWED_UNLESS_COMPENSATED):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Nej – sådan står det", "No – the guideline says")), (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "rent", "consumption"),
    [
        (
            "Huslejen i en af vores almene familieboliger er 5.400 kr om måneden, hvoraf 600 kr er aconto varme og vand. "
            "Tæller den med som egnet bolig?",
            5400,
            600,
        ),
        ("Huslejen er 5.600 kr. inkl. 400 kr. til forbrug. Er boligen egnet?", 5600, 400),
        ("Tæller en bolig med en husleje på 4.900 kr. som egnet?", 4900, None),
        ("Huslejen er 5.300 kr. Er det en egnet bolig?", 5300, None),
        # consumption on top of the rent told: the rent told is already without it
        ("Huslejen er 4.700 kr. pr. måned plus 500 kr. til varme. Er boligen egnet?", 4700, None),
        ("The rent is DKK 5,300 including DKK 500 for utilities. Is the flat suitable?", 5300, 500),
        ("Huslejen er 5.400 kr. om måneden, hvor de 600 kr. er aconto for varme og vand. Er boligen egnet?", 5400, 600),
    ],
)
def test_a_rent_told_is_judged_against_the_cap_less_consumption(assistant, question, rent, consumption):
    """The cap on a suitable dwelling's rent is set excluding consumption: the part the asker tells as consumption
    ("aconto varme og vand", "til forbrug") is taken off before comparing; a figure is said at most twice."""
    key = "egnet_bolig_husleje_maks"
    for pool in _pool_with_fact(assistant, key):
        cap = next(e for e in assistant.pool_facts[pool].facts if e.key == key)
        answer = assistant.ask(question, pool=pool, now=NOW)
        net = rent - (consumption or 0)
        assert answer.answer.startswith(f"En husleje på {format_number(rent)} kr. pr. måned"), (pool, answer.answer)
        if consumption:
            assert f"er {format_number(net)} kr. ekskl. forbrug" in answer.answer, (pool, answer.answer)
        side = "inden for" if net <= cap.value else "over"
        assert f"{side} loftet på {cap.display}" in answer.answer, (pool, answer.answer)
        assert answer.answer.count(format_number(cap.value)) <= 2, (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Vi er en psykiatrisk afdeling i en region. Kan vi søge puljen?", "Vi er en region. Kan vi søge puljen?"),
        ("Vi er socialforvaltningen i en kommune. Kan vi søge?", "Vi er en kommune. Kan vi søge?"),
        (
            "We're a psychiatric department in one of the Danish Regions. Could we apply as the lead applicant?",
            "We are a region. Could we apply as the lead applicant?",
        ),
    ],
)
def test_a_part_of_a_body_asks_as_that_body(assistant, question, plain):
    """ "Vi er en afdeling i en region" says what the asker is as "Vi er en region" does: the same yes or no to
    whether they may apply, in every pool."""
    for pool in assistant.specs:
        lead = assistant.ask(question, pool=pool, now=NOW).answer.split("\n")[0]
        expected = assistant.ask(plain, pool=pool, now=NOW).answer.split("\n")[0]
        assert lead[:4] == expected[:4], (pool, lead, expected)
        if expected.startswith(("Nej", "No –")):
            assert lead == expected, (pool, lead, expected)


@pytest.mark.parametrize(
    "question",
    [
        "Vores afdeling samarbejder med en kommune. Kan vi søge?",
        "We work closely with the municipality. Can we apply?",
        "We are a volunteer association working closely with volunteer centres and the municipality. Can we apply?",
    ],
)
def test_a_body_worked_beside_is_not_the_asker(assistant, question):
    """ "samarbejder med en kommune", "working closely with …": the body is a partner, not what the asker is."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.search(r"som kommune kan I|as a municipality|as a volunteer cent", answer.answer), (
            pool,
            answer.answer,
        )


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        (
            "How many municipalities are expected to get money from the pool?",
            "Hvor mange kommuner forventes at få penge?",
        ),
        ("How many participants should a group have?", "Hvor mange deltagere skal en gruppe have?"),
        ("How many volunteers must the project have?", "Hvor mange frivillige skal projektet have?"),
    ],
)
def test_an_english_count_is_read_as_the_danish_count_of_the_documents_word(assistant, english, danish):
    """ "How many municipalities …?" counts "kommuner", as "Hvor mange kommuner …?" does: where the Danish question
    gets "oplyser ikke et antal …", so does the English one (and not the nearest passage as its answer)."""
    for pool in assistant.specs:
        da = assistant.ask(danish, pool=pool, now=NOW)
        en = assistant.ask(english, pool=pool, now=NOW)
        assert ("oplyser ikke et antal" in da.answer) == ("oplyser ikke et antal" in en.answer), (pool, en.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Huslejen er 5.400 kr. og aconto varme er 600 kr. Er boligen egnet?",
        "Boligens husleje er 5.300 kr., og forbruget er 500 kr. Tæller den som egnet?",
        "The rent is DKK 5,200 and utilities are DKK 400. Is the flat suitable?",
    ],
)
def test_a_rent_whose_consumption_may_or_may_not_be_in_it_is_answered_both_ways(assistant, question):
    """Where the asker tells a rent and a consumption amount without saying whether the one holds the other, and
    that decides which side of the cap it falls on, both readings are said; no single over/under is claimed."""
    key = "egnet_bolig_husleje_maks"
    rent, consumption = sorted((a for _, _, found in money_spans(question) for a in found), reverse=True)
    for pool in _pool_with_fact(assistant, key):
        cap = next(e for e in assistant.pool_facts[pool].facts if e.key == key)
        assert rent - consumption <= cap.value < rent  # the two readings fall on either side
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith(f"Er de {format_number(consumption)} kr. til forbrug en del af huslejen"), (
            pool,
            answer.answer,
        )
        assert "inden for loftet" in answer.answer and "over loftet" in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi er i dialog med to boligselskaber om en udlejningsaftale, men den er ikke underskrevet endnu. Kan vi søge "
        "alligevel, hvis vi vedlægger en hensigtserklæring?",
        "Vi mangler underskriften på udlejningsaftalen. Må vi alligevel indsende ansøgningen med en hensigtserklæring?",
        "Boligorganisationen har ikke skrevet under på udlejningsaftalen endnu. Kan vi indsende ansøgningen "
        "alligevel med en hensigtserklæring?",
    ],
)
def test_an_asking_sentence_that_leans_on_the_setting_is_quoted_from_it(assistant, question):
    """ "… Kan vi søge alligevel, hvis …?": "alligevel" asks of what the message told before (the agreement not yet
    signed); the sentence that answers is the one on that, not one on the pool at large or the form."""
    pools = _pools_with_sentence(assistant, r"\bansoeger skal have indgaaet\b.*\budlejningsaftaler\b")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        # (The first sentence: a row number such as "5." in a table row is no sentence end.)
        first = re.split(r"(?<=[^\W\d]\.) ", answer.citations[0].quote)[0]
        assert "udlejningsaftale" in first, (pool, answer.answer)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        # "samt" joins questions as "og" does
        ("Hvornår er fristen og hvor mange penge er der i puljen samt hvornår skal projektet ligge", 3),
        ("Hvad er loftet for materiel samt hvordan regnes timesatsen?", 2),
        ("Hvem kan søge samt hvornår er fristen?", 2),
        # a verb before its subject after "og": a pronoun, a possessive and a noun, or a definite noun
        ("Hvem kan søge, hvem er målgruppen og er vi forpligtet til at være med i en evaluering?", 3),
        ("Hvilken årsnorm skal vi bruge og kan hendes pension komme med i budgettet?", 2),
        ("Hvor mange foreninger skal være med og skal samarbejdsaftalen være underskrevet, når vi søger?", 2),
        # told, not asked: no second question
        ("Vi har fået tilskud og skal nu ansætte en projektleder. Hvad må lønnen være?", 1),
        ("Løn og pension samt feriepenge – hvordan regnes timesatsen?", 1),
        ("Vi er en forening og har lokalafdelinger i to regioner. Kan vi søge?", 1),
    ],
)
def test_questions_joined_by_og_or_samt_are_each_a_part(assistant, message, parts):
    """ "… og hvor mange penge er der i puljen samt hvornår skal projektet ligge": each question joined by "og" or
    "samt" is answered; a verb before its subject ("og er vi", "og kan hendes pension", "og skal
    samarbejdsaftalen") starts a question, where a told sentence ("og skal nu ansætte") does not."""
    assert len(split_parts(message, assistant.pipeline.lexicon)) == parts


@pytest.mark.parametrize(
    "template",
    [
        "Hvilken årsnorm skal vi bruge til timelønnen, og kan hendes pension komme med i budgettet til {name}?",
        "Hvad er årsnormen? Og må pensionen regnes med i lønnen i {name}?",
        "Hvor mange timer er årsnormen, og gælder det også for deltidsansatte i {name}?",
    ],
)
def test_a_pool_named_in_a_later_part_is_the_pool_of_the_earlier_parts(assistant, template):
    """The one pool a message names, in a later part only, is what its earlier parts ask of too: they are not
    answered for every pool."""
    for pool in _pool_with_fact(assistant, "aarsnorm_timer"):
        name = assistant.pipeline.names.of(pool)
        answer = assistant.ask(template.format(name=name), now=NOW)
        pools_of = {assistant.corpus.document(f.doc_id).meta.pool for f in answer.facts}
        assert pools_of == {pool}, (pool, answer.answer)
        assert not answer.clarification, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    ["Hvornår skal projektet ligge?", "Hvornår må projektet foregå?", "When does the project have to take place?"],
)
def test_when_the_project_is_to_take_place_is_the_project_period(assistant, question):
    _each_pool_with_fact_answers_with_it(assistant, "projektperiode", question)


@pytest.mark.parametrize(
    "question",
    [
        "Is it ok to add a 7% admin fee and a small buffer for unforeseen costs to our budget?",
        "Is it okay to charge an administration fee in the budget?",
        "Er det ok at lægge et administrationsbidrag ind i budgettet?",
    ],
)
def test_is_it_ok_asks_whether_it_may_be_and_the_list_of_what_is_not_covered_answers(assistant, question):
    """ "Is it ok to …?" asks whether it may be done: where the pool's list of costs not covered names it
    ("Overhead, administrationsbidrag og uforudsete udgifter"), the answer is a plain no (in English to English)."""
    pools = _pools_with_sentence(assistant, r"\boverhead administrationsbidrag og uforudsete udgifter\b")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("No –" if question.isascii() else "Nej –"), (pool, answer.answer)


# -- several things asked of in one yes/no question ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "items"),
    [
        ("Må vi købe gavekort og tegneblokke til deltagerne?", ["gavekort", "tegneblokke"]),
        ("og kan hendes pension samt en bonus komme med i budgettet?", ["hendes pension", "en bonus"]),
        ("Kan vi få dækket computere, møbler og husleje?", ["computere", "møbler", "husleje"]),
        ("Er løn eller honorar tilskudsberettiget?", ["løn", "honorar"]),
        # verbs joined, not things
        ("Må vi købe og leje udstyr?", []),
        ("Er det muligt at søge og få tilskud to gange?", []),
    ],
)
def test_things_joined_in_a_yes_no_question_are_each_asked_of(question, items):
    """ "Må vi købe gavekort og tegneblokke …?" asks of each thing: each is put in the question alone."""
    from assistant.pipeline.understand import items_asked
    from assistant.retrieval import STOPWORDS

    asked = items_asked(question, lambda w: w not in STOPWORDS)
    assert [a.item for a in asked] == items
    for a in asked:
        others = [i for i in items if i != a.item]
        assert a.item in a.question and not any(o in a.question for o in others), a.question


_NO_GIFTS = r"\bikke ydes tilskud til daekning af udgifter til vouchers gavekort\b"
# (Where the sentence names examples of such small things, as the glossary's words for drawing pads and paint do.)
_SMALL_MATERIALS = r"\bmindre materialeanskaffelse\b.*\bpensler\b"


@pytest.mark.parametrize(
    "question",
    [
        "Må vi købe gavekort og tegneblokke til deltagerne?",
        "Kan vi få dækket gavekort samt pensler og farver til vores aktiviteter?",
        "Kan tilskuddet dække gavekort eller tegnepapir til gruppen?",
    ],
)
def test_each_thing_of_a_yes_no_question_gets_the_sentence_that_decides_it(assistant, question):
    """One thing's no ("Der kan ikke ydes tilskud til … gavekort") is not the other's: where different sentences
    decide the things asked about, each is answered under its own name with its own quote."""
    pools = sorted(
        set(_pools_with_sentence(assistant, _NO_GIFTS)) & set(_pools_with_sentence(assistant, _SMALL_MATERIALS))
    )
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        paragraphs = answer.answer.split("\n\n")
        gifts = next(n for n, p in enumerate(paragraphs) if re.search(_NO_GIFTS, fold(p)))
        materials = next(n for n, p in enumerate(paragraphs) if re.search(_SMALL_MATERIALS, fold(p)))
        assert gifts != materials, (pool, answer.answer)
        assert paragraphs[0].startswith("Om gavekort"), (pool, answer.answer)
        labels = [n for n, p in enumerate(paragraphs) if p.startswith("Om ")]
        assert len(labels) == 2 and labels[1] < materials, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få dækket pension og bonus til projektlederen?",
        # Known gap: "lønnen til vores projektleder" pulls the sentence on pay for project leadership over the one
        # on the payslip (pension is too everyday a word to tell the sentences apart).
        pytest.param(
            "Kan lønnen til vores projektleder omfatte pension samt resultatløn?",
            marks=pytest.mark.xfail(strict=True, reason="the project leader's pay outweighs pension in the sentence"),
        ),
        "Kan pension og præstationsløn til medarbejderne indgå i lønudgifterne?",
    ],
)
def test_pay_on_results_is_not_the_salary_and_pension_is(assistant, question):
    """A bonus (resultatløn, præstationsløn) is pay based on results achieved, which the guideline says is no part
    of the salary covered; pension stands on the payslip, which is: both sentences answer, each under its name —
    and whom it is for ("til projektlederen") does not pull the section that mentions the project leader."""
    results = r"\bvederlag som baserer sig paa eksempelvis opnaaede resultater\b"
    payslip = r"\bfremgaar af loensedlen kan indgaa\b.*\bpension\b"
    pools = sorted(set(_pools_with_sentence(assistant, results)) & set(_pools_with_sentence(assistant, payslip)))
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        folded = fold(answer.answer)
        assert re.search(results, folded) and re.search(payslip, folded), (pool, answer.answer)
        assert answer.answer.startswith("Om pension"), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "May we buy crayons for the participants?",
        "Can we pay for activities for the residents?",
        "Can the grant cover outings for the tenants?",
    ],
)
def test_people_in_the_plural_are_whom_an_activity_is_for_not_a_persons_upkeep(question):
    """ "for the participants" is whom the thing is for; only "the participant's" (their own cost) is a person's
    upkeep, which the lists of costs not covered name."""
    from assistant.glossary import expand

    assert "enkeltpersoners underhold" not in expand(question)
    assert "enkeltpersoners underhold" in expand(question.replace("the ", "a ", 1).replace("s?", "'s rent?"))


@pytest.mark.parametrize(
    ("asked", "whom"),
    [
        ("kan vi faa daekket pension til projektlederen", ("projektlederen",)),
        ("maa vi betale kurser for de frivillige", ("frivillige",)),
        ("kan tilskuddet daekke transport til vores medarbejdere", ("medarbejdere",)),
        # a compound a person word starts names a place or a thing, not whom it is for
        ("kan vi faa penge til vores frivilligcafe", ()),
        # the people the project is for are what the rules on covered costs name ("målrettet borgere …")
        ("kan vi holde sommerfest for beboerne", ()),
    ],
)
def test_whom_a_cost_is_for_is_read_from_til_or_for_and_a_person_word(asked, whom):
    from assistant.pipeline.understand import for_whom

    assert for_whom(asked, load_lexicon()) == whom


# A sentence saying a municipality's budget is without VAT.
_BUDGET_WITHOUT_VAT = r"\budgifter i budgettet derfor vaere eksklusive moms\b"


@pytest.mark.parametrize(
    "question",
    [
        "Skal beløbene i budgettet stå inkl. moms?",
        "Må beløbene i budgettet være inklusive moms?",
        "og skal beløbene stå inkl moms?",
    ],
)
def test_amounts_named_in_a_yes_no_question_are_no_amount_asked_for(assistant, question):
    """ "Skal beløbene stå inkl. moms?" asks yes or no about VAT: the amounts it names ask for no amount, so "oplyser
    ikke et beløb" is no answer; the sentence on VAT in the budget is."""
    pools = _pools_with_sentence(assistant, _BUDGET_WITHOUT_VAT)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "oplyser ikke et beløb" not in answer.answer, (pool, answer.answer)
        assert re.search(_BUDGET_WITHOUT_VAT, fold(answer.answer)), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi købe en computer til projektet? Og skal beløbene i budgettet være inkl. moms?",
        "Må vi få en tablet med i budgettet, og skal beløbene stå med moms?",
        "Kan vi få en mobiltelefon dækket? og skal beløbet være inklusive moms?",
    ],
)
def test_a_later_part_is_quoted_for_what_it_asks_not_for_the_earlier_parts_things(assistant, question):
    """A later part is searched with the part before it; the sentence quoted for it is the one on what it asks (VAT),
    not one on the earlier part's thing (equipment), which the earlier part's answer has already quoted."""
    equipment = r"\bnoedvendige materielanskaffelser\b.*\budstyr computer tablet og mobiltelefon\b"
    pools = sorted(
        set(_pools_with_sentence(assistant, _BUDGET_WITHOUT_VAT)) & set(_pools_with_sentence(assistant, equipment))
    )
    assert pools
    for pool in pools:
        folded = fold(assistant.ask(question, pool=pool, now=NOW).answer)
        assert re.search(equipment, folded) and re.search(_BUDGET_WITHOUT_VAT, folded), (pool, folded)


@pytest.mark.parametrize(
    ("message", "asking"),
    [
        ("Og skal beløbene i budgettet være inkl. moms?", "Og skal beløbene i budgettet være inkl. moms?"),
        ("Kan vi søge f.eks. to gange om året?", "Kan vi søge f.eks. to gange om året?"),
        ("Vi har 30.000 kr. Kan vi flytte dem til aktiviteter?", "Kan vi flytte dem til aktiviteter?"),
    ],
)
def test_an_abbreviations_period_before_a_small_letter_ends_no_sentence(message, asking):
    from assistant.pipeline.understand import question_sentences

    assert question_sentences(message) == asking


@pytest.mark.parametrize(
    "question",
    [
        # the asking sentence names nothing the search could find the rule by
        "Vi vil lave gruppeforløb for ledige unge, hvor hovedmålet er, at de kommer i job. Passer det ind i puljen?",
        "Vores projekt skal først og fremmest hjælpe ledige i arbejde. Kan vi søge?",
        "Det vigtigste mål med vores gruppeforløb er integration af nyankomne. Kan vi få støtte?",
        "Our main goal is to get young unemployed people into jobs through peer groups. Does that fit the pool?",
    ],
)
def test_a_rule_denying_the_case_the_asker_tells_decides_however_little_the_question_names(assistant, question):
    """The pool's rule that denies support on a condition the message tells ("Der tildeles ikke støtte til projekter,
    hvis primære formål … er … beskæftigelse") leads with a plain no, wherever the search for the question went
    ("Passer det ind i puljen?" names nothing; "… inden projektet slutter" is no question about the period)."""
    pools = _pools_with_sentence(assistant, _DENIED_ON_MAIN_PURPOSE)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("No –" if question.isascii() else "Nej –"), (pool, answer.answer)
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and re.search(_DENIED_ON_MAIN_PURPOSE, fold(first.group(1))), (pool, answer.answer)
        assert not answer.facts, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi laver gruppeforløb for unge under uddannelse, der har mistet en forælder. Kan vi søge?",
        "Vores frivillige hjælper ensomme ældre med sundhed og trivsel i hverdagen. Kan vi få støtte?",
        "Our volunteers run groups for young people in education who have lost a parent. Can we apply?",
    ],
)
def test_a_project_that_only_touches_an_excluded_aim_gets_no_denial(assistant, question):
    """Naming an aim the rule lists ("uddannelse", "sundhed") in passing tells nothing of the project's main aim: no
    plain no is drawn from the rule."""
    for pool in _pools_with_sentence(assistant, _DENIED_ON_MAIN_PURPOSE):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Nej", "No")), (pool, answer.answer)


# Requirements on the applicant: letting agreements, and taking part in the evaluation.
_MUST_HAVE_LETTING_AGREEMENTS = r"\bansoeger skal have indgaaet en eller flere udlejningsaftaler\b"
_MUST_TAKE_PART_IN_EVALUATION = (
    r"\bansoeger skal samarbejde med social og boligstyrelsen om (?:evaluering|erfaringsopsamling)\b"
)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        (
            "Vi har kun en mundtlig aftale med boligselskabet – ikke en egentlig udlejningsaftale. Kan vi søge alligevel?",
            _MUST_HAVE_LETTING_AGREEMENTS,
        ),
        (
            "Vi mangler stadig udlejningsaftaler med boligorganisationerne. Er det et problem?",
            _MUST_HAVE_LETTING_AGREEMENTS,
        ),
        ("We don't have any letting agreements yet. Can we still apply?", _MUST_HAVE_LETTING_AGREEMENTS),
        ("Kan vi søge uden at være med i evalueringen?", _MUST_TAKE_PART_IN_EVALUATION),
    ],
)
def test_lacking_what_the_pool_requires_of_applicants_is_a_plain_no(assistant, question, rule):
    """The message tells the asker lacks what the pool requires of every applicant ("Ansøger skal have indgået én
    eller flere udlejningsaftaler"): that is the answer, a plain no with the requirement, wherever the search went."""
    pools = _pools_with_sentence(assistant, rule)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        english = question.startswith("We ")
        assert answer.answer.startswith("No – it is a requirement" if english else "Nej – det er et krav"), (
            answer.answer
        )
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and re.search(rule, fold(first.group(1))), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        # required, but not at the time of applying: the FAQ says so
        "Vi har ikke en samarbejdsaftale med kommunen endnu. Kan vi søge alligevel?",
        # required for one route only ("for at kunne kategoriseres som landsdækkende"): another may do
        "Vi har ingen lokalafdelinger, men vores grupper har haft deltagere fra tre regioner. Kan vi søge?",
        "We have no local branches, but our groups have had participants from three regions. Can we apply?",
    ],
)
def test_lacking_what_one_route_or_a_later_step_needs_is_no_requirement_no(assistant, question):
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Nej – det er et krav", "No – it is a requirement")), (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("Skal vi have udlejningsaftaler på plads, før vi søger?", _MUST_HAVE_LETTING_AGREEMENTS),
        ("Must we have letting agreements in place when we apply?", _MUST_HAVE_LETTING_AGREEMENTS),
        ("Skal kommunen deltage i evalueringen?", _MUST_TAKE_PART_IN_EVALUATION),
    ],
)
def test_a_must_question_about_what_the_pool_requires_of_applicants_is_a_plain_yes(assistant, question, rule):
    """ "Do we need letting agreements before we apply?": the pool's plain requirement on the applicant that names
    the thing is the yes, quoted, whichever passage the search found first (the pool's total amount, the background)."""
    pools = _pools_with_sentence(assistant, rule)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("Yes –" if question.startswith("Must ") else "Ja –"), (pool, answer.answer)
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and re.search(rule, fold(first.group(1))), (pool, answer.answer)
        assert not answer.facts, (pool, answer.answer)  # no fact line of another reading ("6,6 mio. kr.")


@pytest.mark.parametrize(
    "question",
    [
        "Skal samarbejdsaftalen med kommunen være underskrevet, når vi søger?",
        "Is it a requirement that the cooperation agreement is signed when we apply?",
        "Er det et krav, at aftalen med kommunen er på plads ved ansøgningen?",
    ],
)
def test_a_thing_a_section_says_is_not_required_yet_gets_no_requirement_yes(assistant, question):
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Ja – det er et krav", "Yes – it is a requirement")), (pool, answer.answer)


@pytest.mark.parametrize("later", ["og hvem skal skrive under?", "Hvad skal der stå i den?", "and who signs it?"])
def test_a_later_part_the_sources_are_silent_on_is_said_beyond_what_is_quoted_above(later):
    """After a part that quoted the rules, "oplyser ikke noget om det, du spørger om" for a later part would read as
    denying the quotes above: what is said is that the sources say no more than that about the later question,
    named in the asker's words (without «», which promise the sources' text)."""
    from assistant.models import Answer

    first = Answer(
        question="Skal aftalen være underskrevet?",
        pool=None,
        answer="Nej – sådan står det:\n\n«Det er ikke et krav.» (X)",
    )
    silent = Answer(
        question=later,
        pool=None,
        answer="Materialet om X oplyser ikke noget om det, du spørger om. Kontakt Social- og Boligstyrelsen.",
        abstained=True,
    )
    merged = compose.merge_answers(f"Skal aftalen være underskrevet? {later}", [first, silent]).answer
    asked = later.removeprefix("og ").removeprefix("and ").rstrip("?")
    assert "det, du spørger om" not in merged
    assert f"oplyser ikke mere end det ovenstående om dit spørgsmål: {asked}." in merged, merged
    assert f"«{asked}" not in merged


# Session 7.


def _quoted_paragraphs(answer) -> list[str]:
    """The answer's quote paragraphs («…» (source)), in order."""
    return [p for p in answer.answer.split("\n\n") if p.startswith("«")]


def _each_pool_quotes(assistant, question: str, pattern: str, first: bool = False) -> None:
    """Asked of each pool one of whose documents has a sentence matching the pattern, the answer quotes it (as
    its first quote, with `first`)."""
    pools = _pools_with_sentence(assistant, pattern)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        quoted = _quoted_paragraphs(answer)[: 1 if first else None]
        assert any(re.search(pattern, fold(q)) for q in quoted), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Må vi flytte rundt på budgettet, hvis planerne ændrer sig?",
        "Er det tilladt at skubbe lidt rundt i budgettet?",
        "Kan vi omrokere pengene mellem posterne?",
        "Kan vi rykke lidt rundt med pengene i budgettet?",
    ],
)
def test_moving_money_around_in_the_budget_is_a_budget_change(assistant, question):
    """ "flytte/skubbe/rykke rundt i budgettet", "omrokere": the glossary's phrase for a budget change. The phrase
    counts for relevance as its document term does (no "oplyser ikke"), and the section on budget changes answers."""
    pools = _pool_with_fact(assistant, "budgetaendring_tolerance")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.abstained, (pool, answer.answer)
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and "budget" in fold(first.group(1)), (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    [
        "Hvor mange penge kan vi bruge på husleje i {name}?",
        "Hvor meget må vi bruge på transport i {name}?",
        "Hvor mange penge må vi bruge til forplejning i {name}?",
        "How much money can we spend on rent in {name}?",
    ],
)
def test_how_much_of_the_grant_a_cost_may_take_is_no_total_largest_grant_or_dwelling_rent(assistant, template):
    """ "Hvor mange penge kan vi bruge på husleje i X?" asks what a cost may take of the grant: not the pool's total
    ("mange penge", "i puljen"), the largest grant ("hvor mange penge kan vi") or the rent cap of a dwelling."""
    for pool, spec in assistant.specs.items():
        answer = assistant.ask(template.format(name=spec.short_name), now=NOW)
        keys = {f.key for f in answer.facts}
        assert not keys & {"puljebeloeb", "tilskud_maks", "egnet_bolig_husleje_maks"}, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Må vi give biografgavekort til de frivillige?",
        "Kan vi købe julegavekortene for tilskuddet?",
        "Kan vi købe supermarkedsgavekort til deltagerne?",
    ],
)
def test_a_compound_the_documents_never_use_gets_the_rule_on_its_last_part(assistant, question):
    """A Danish compound names a kind of its last part: "biografgavekort" is a "gavekort", and the item that
    excludes gift cards is the plain no, however the documents never write the compound."""
    pools = _pools_with_sentence(assistant, _NO_GIFTS)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("Nej –"), (pool, answer.answer)
        quoted = _quoted_paragraphs(answer)
        assert quoted and re.search(_NO_GIFTS, fold(quoted[0])), (pool, answer.answer)


def test_a_compound_of_an_uncommon_document_word_has_that_word_as_its_head(assistant):
    """Any modifier before an uncommon word of the documents makes a compound whose head is that word; a compound
    of an everyday last part ("nabokommuner") names no thing whose rule would answer, and counts for nothing."""
    from assistant.pipeline.retrieve import thing_heads

    retriever = assistant.retriever
    words = sorted(w for w in retriever._vocabulary if len(w) >= 8 and w.isalpha())[:400]
    assert words
    for word in words:
        head = retriever.compound_head(f"biograf{word}")
        assert head is not None and word.startswith(head), (word, head)
    for word in words:
        assert retriever.compound_head(word) is None  # a word the documents use is no unknown compound
    assert retriever.compound_head("nabokommuner")  # a compound of theirs, but of an everyday word
    assert not thing_heads(_understood(assistant.pipeline, "Kan to nabokommuner søge sammen?"), retriever)
    assert thing_heads(_understood(assistant.pipeline, "Må vi give biografgavekort?"), retriever)


@pytest.mark.parametrize(
    "follow_up",
    [
        "Gælder den samme regel for {name}?",
        "Er det det samme i {name}?",
        "Gælder samme regler i {name}?",
        "Is the same rule true for {name}?",
        # "also so/the case", with words of its own for the rule
        "Er det også sådan i {name}, altså at man kan flytte lidt rundt?",
        "Er det også tilfældet i {name}, at vi må ændre budgetposterne lidt?",
        "Is that also the case for {name}, that we can shift some money between lines?",
    ],
)
def test_the_same_rule_asked_of_another_pool_asks_the_previous_question_again(assistant, follow_up):
    """ "Gælder den samme regel for X?" after a question on one pool's rule asks that question of X, whatever words
    the turn has of its own — not the pool's total or any other fact its words name."""
    pools = _pool_with_fact(assistant, "budgetaendring_tolerance")
    assert len(pools) >= 2
    first = f"Hvor meget må vi ændre i budgettet uden at spørge først i {assistant.specs[pools[0]].short_name}?"
    before = assistant.ask(first, now=NOW)
    turns = [{"role": "user", "content": first}, {"role": "assistant", "content": before.answer}]
    for pool in pools[1:]:
        answer = assistant.ask(follow_up.format(name=assistant.specs[pool].short_name), history=turns, now=NOW)
        assert [f.key for f in answer.facts] == ["budgetaendring_tolerance"], (pool, answer.answer)
        assert {c.doc_id for c in answer.citations} <= set(assistant.pipeline.lookup.documents_of(pool))


@pytest.mark.parametrize(
    "question",
    [
        "Kan personer, der har skaffet bolig på egen hånd, være en del af målgruppen?",
        "Kan borgere, der selv har fundet en lejlighed, være i målgruppen?",
        "Kan familier, der bor til leje privat, være med i målgruppen?",
    ],
)
def test_whom_a_sentence_serves_after_its_modal_is_no_list_of_who_may_apply(assistant, question):
    """ "… kan sociale viceværter understøtte samarbejdet mellem kommune og boligorganisation": the kinds named after
    the modal are whom something else serves, not whom the sentence says may apply; a question about the target
    group gets no yes or no about the applicants."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "ansøgerkredsen for" not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "must"),
    [
        (
            "hoerer vi under ansoegerkredsen, eller skal man vaere en landsorganisation",
            "skal man vaere en landsorganisation",
        ),
        ("skal vi have en aftale nu eller kan den komme bagefter", "skal vi have en aftale nu"),
        ("do we belong to the applicants, or must we be a national body", "must we be a national body"),
    ],
)
def test_of_alternatives_the_one_that_asks_must_is_the_thing_required(question, must):
    parts = compose._ALTERNATIVES.split(question)
    assert [p for p in parts if any(compose._ASKS_MUST.match(w) for w in p.split())] == [must]


@pytest.mark.parametrize(
    "question",
    [
        "Hører vi under ansøgerkredsen, eller skal man være en landsorganisation?",
        "Falder vi ind under ansøgerkredsen, eller skal man være en landsorganisation?",
        "Passer vi ind i ansøgerkredsen, eller skal vi være landsdækkende?",
    ],
)
def test_a_requirement_naming_the_other_alternative_is_no_yes_to_the_must(assistant, question):
    """ "Hører vi under ansøgerkredsen, eller skal man være en landsorganisation?": "Ansøger skal … uddybe, hvordan
    organisationen … hører inden for ansøgerkredsen" requires something of the first alternative; it is no "Ja – det er
    et krav" to being a national organisation."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith("Ja – det er et krav"), (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi er en kommune. Er det et krav, at vi har frivillige med?",
        "Vi er en kommune, og vi har kun 15 foreninger med. Er det et krav at have 30 foreninger med?",
        "Som kommune vil vi gerne vide: skal der være en styregruppe?",
        "We are a municipality. Is it a requirement that volunteers take part?",
    ],
)
def test_an_asker_outside_the_applicants_asking_yes_or_no_of_something_else_gets_it_as_a_note(assistant, question):
    """ "Vi er en kommune … Er det et krav, at …?": "Nej – … så som kommune kan I ikke søge" before the answer would
    read as the answer to the requirement asked about. The question is answered; that the asker cannot apply
    follows as a note."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    checked = 0
    for pool, quote in _applicant_lists(assistant):
        groups = {kinds[k].group for k, spec in kinds.items() if term_pattern(spec.terms).search(quote)}
        if not groups or "public" in groups:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not re.match(r"(?:Nej|No) – (?:ansøgerkredsen|as a)", answer.answer), (pool, answer.answer)
        note = "Note: as a municipality" if question.startswith("We ") else "Bemærk: ansøgerkredsen for"
        assert answer.answer.count(note) == 1, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Vi er i dialog med et boligselskab om en udlejningsaftale, men den er ikke skrevet under endnu. Kan vi søge nu?",
        "Udlejningsaftalen med boligselskabet er ikke underskrevet endnu. Kan vi søge alligevel?",
        "We are negotiating a letting agreement, but it isn't signed yet. Can we apply?",
    ],
)
def test_a_required_thing_told_not_done_yet_is_lacked(assistant, question):
    """ "… en udlejningsaftale, men den er ikke skrevet under endnu": the thing not done yet stands before the
    negation (or in the clause before, where a pronoun stands for it); lacking what the pool requires of every
    applicant is a plain no with the requirement."""
    pools = _pools_with_sentence(assistant, _MUST_HAVE_LETTING_AGREEMENTS)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        english = question.startswith("We ")
        assert answer.answer.startswith("No – it is a requirement" if english else "Nej – det er et krav"), (
            pool,
            answer.answer,
        )


@pytest.mark.parametrize(
    "question",
    [
        "Vi har en udlejningsaftale, men den er ikke tidsbegrænset. Kan vi søge?",
        "Vi har udlejningsaftaler på plads, men ikke alle boliger er renoveret endnu. Kan vi søge?",
    ],
)
def test_a_thing_told_to_be_had_with_another_thing_not_done_is_not_lacked(assistant, question):
    for pool in _pools_with_sentence(assistant, _MUST_HAVE_LETTING_AGREEMENTS):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith("Nej – det er et krav"), (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "rent"),
    [
        ("Vores familieboliger har en husleje på ca. 5.500 kr. om måneden inkl. varme og vand. Er de egnede?", 5500),
        ("Huslejen er 5.300 kr. inklusive forbrug. Er boligen egnet?", 5300),
        ("The rent is DKK 5,400 a month including utilities. Is the flat suitable?", 5400),
    ],
)
def test_a_rent_over_the_cap_with_consumption_in_it_of_no_amount_may_be_within(assistant, question, rent):
    """The cap is on the rent without consumption; a rent told with consumption in it, of no amount, is over the cap
    only if the consumption is less than the difference: that is said, not a plain "over"."""
    checked = 0
    for pool in _pool_with_fact(assistant, "egnet_bolig_husleje_maks"):
        entry = next(e for e in assistant.pool_facts[pool].facts if e.key == "egnet_bolig_husleje_maks")
        cap = int(entry.value)
        if rent <= cap:
            continue
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "er over loftet" not in answer.answer, (pool, answer.answer)
        assert f"mindst {format_number(rent - cap)} kr." in answer.answer, (pool, answer.answer)
        checked += 1
    assert checked


@pytest.mark.parametrize(
    "question",
    [
        "Vi laver gruppeforløb for unge pårørende. Som tak vil vi give hver deltager et biografgavekort på 200 kr. "
        "Må det stå i budgettet under aktiviteter?",
        "Vi har et forløb for unge. Vi vil gerne give dem et supermarkedsgavekort som tak til sidst. Kan det være med "
        "i budgettet?",
        "Vores frivillige har knoklet hele året, og bestyrelsen vil give dem gavekort til jul. Kan vi tage det med i "
        "regnskabet?",
    ],
)
def test_a_thing_told_in_a_long_message_that_the_grant_does_not_cover_is_a_plain_no(assistant, question):
    """A long message's other words pull the search elsewhere; the thing it asks of ("det") stands in an item of
    what the grant does not cover, and that item decides — with nothing beside it that would read as qualifying."""
    pools = _pools_with_sentence(assistant, _NO_GIFTS)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("Nej –"), (pool, answer.answer)
        quoted = _quoted_paragraphs(answer)
        assert len(quoted) == 1 and re.search(_NO_GIFTS, fold(quoted[0])), (pool, answer.answer)


_NOT_REQUIRED_30 = r"\bikke krav om\b.*\bmobilisere 30 foreninger\b"


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "Vi er et frivilligcenter i en lille kommune. Der står, at partnerskaberne skal mobilisere 30 eller flere "
            "foreninger, men vi kan realistisk samle 15-20. Er vi så udelukket?",
            "Nej – det er ikke et krav",
        ),
        (
            "Vi er et frivilligcenter. Partnerskabet skal vist mobilisere 30 foreninger, men vi kan kun samle 12. "
            "Kan vi så søge alligevel?",
            "Ja – det er ikke et krav",
        ),
        (
            "We can only gather 15 associations, but the partnership should mobilise 30. Are we then excluded?",
            "No – it is not a requirement",
        ),
    ],
)
def test_an_asking_sentence_leaning_on_a_told_requirement_gets_the_sentence_that_it_is_none(assistant, question, lead):
    """ "… skal mobilisere 30 foreninger, men vi kan samle 15-20. Er vi så udelukket?": the asking sentence asks of
    what the message told ("så", "alligevel"); the sentence saying it is no requirement answers — a no to being
    excluded, a yes to applying anyway."""
    pools = _pools_with_sentence(assistant, _NOT_REQUIRED_30)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith(lead), (pool, answer.answer)
        first = re.search(r"«([^»]*)»", answer.answer)
        assert first and re.search(_NOT_REQUIRED_30, fold(first.group(1))), (pool, answer.answer)


_NOT_A_GROUND = r"\bprojektforlaengelse\b.*\bikke kunne vaere en begrundelse\b"


@pytest.mark.parametrize(
    "question",
    [
        "Vores gruppeforløb bliver ikke færdige inden projektperiodens udløb. Kan vi få projektforlængelse?",
        "Kan vi søge om forlængelse, hvis gruppeforløbet ikke er afviklet, når projektperioden slutter?",
        "Må vi forlænge projektet, fordi gruppeforløbene ikke er gennemført endnu?",
    ],
)
def test_an_exception_in_another_section_on_the_thing_asked_is_shown_beside_the_rule(assistant, question):
    """ "Kan vi få projektet forlænget, så forløbene bliver færdige?": the rule on extensions stands in one section,
    the exception that decides the asker's case ("… vil det derfor ikke kunne være en begrundelse, at gruppeforløbet
    ikke er blevet gennemført …") in another; both are shown."""
    _each_pool_quotes(assistant, question, _NOT_A_GROUND)


_NOT_TO_COMPANIES = r"\bdet kan ikke tildeles virksomheder\b"


@pytest.mark.parametrize(
    "question",
    [
        "Kan en virksomhed få sign on fee?",
        "En lokal virksomhed vil gerne være med i vores partnerskab. Kan de også få sign on fee ligesom foreningerne?",
        "A local company wants to join our partnership. Can we pay them the sign-on fee like the associations?",
    ],
)
def test_a_sentence_denying_a_thing_to_the_kind_of_body_asked_of_is_a_plain_no(assistant, question):
    """ "Det kan ikke tildeles virksomheder" (its "Det" the sentence before's "Sign-on fees") answers whether a
    company may get one: a plain no, though the sentence before allows it for associations — the kind the asker
    compares with ("ligesom foreningerne"), not the one asked of."""
    pools = _pools_with_sentence(assistant, _NOT_TO_COMPANIES)
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("No –" if question.startswith("A ") else "Nej –"), (pool, answer.answer)
        assert any(re.search(_NOT_TO_COMPANIES, fold(c.quote)) for c in answer.citations[:1]), (pool, answer.answer)
        # an association, which it may be given to, gets no such no
        other = assistant.ask("Kan en forening få sign on fee?", pool=pool, now=NOW)
        assert not other.answer.startswith("Nej –"), (pool, other.answer)


_NO_GENERAL_TRAINING = r"\bikke ydes tilskud til generelle uddannelse\b"


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi få dækket en uddannelse til viceværten?",
        "Kan tilskuddet betale en uddannelse i konflikthåndtering til vores medarbejder?",
        "Må vi bruge penge fra puljen på en uddannelse til den nye medarbejder?",
    ],
)
def test_an_everyday_word_asked_to_be_paid_for_that_only_an_excluded_item_names_is_a_plain_no(assistant, question):
    """ "Kan vi få dækket en uddannelse …?": "uddannelse" is an everyday word, but where the only place a pool's
    documents speak of it is an item of what the grant does not cover, that item is the no. A question that asks
    for no money ("Skal viceværten være uddannet …?") gets no such no."""
    # (Not where another section allows a kind of it: "specifikke … kursusaktiviteter" makes it partly.)
    partly = set(_pools_with_sentence(assistant, r"\bspecifikke uddannelses\b"))
    pools = [p for p in _pools_with_sentence(assistant, _NO_GENERAL_TRAINING) if p not in partly]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert answer.answer.startswith("Nej – det står under"), (pool, answer.answer)
        other = assistant.ask(
            "Skal medarbejderen være uddannet socialrådgiver, eller er erfaring nok?", pool=pool, now=NOW
        )
        assert not other.answer.startswith("Nej – det står under"), (pool, other.answer)


_SIGNATURE_IS_NO_IT_PROBLEM = r"\bder er ikke tale om it tekniske problemer hvis fx en digital signatur ikke virker\b"


@pytest.mark.parametrize(
    "question",
    [
        "Vi ville indsende i tilskudsportalen, men vores digitale signatur ville ikke virke, så den blev først sendt "
        "dagen efter. Bliver den stadig behandlet, når det var et it-problem?",
        "Vi forsøgte at indsende i tilskudsportalen, men den digitale signatur ville ikke virke, og den kom først ind "
        "om morgenen. Behandler I den stadig, når det var et it-problem?",
        "Vores digitale signatur ville ikke virke i tilskudsportalen, så ansøgningen blev først sendt dagen efter. "
        "Kommer den stadig i betragtning, når det var et it-problem?",
    ],
)
def test_an_asking_sentence_leaning_on_the_setting_searches_by_the_settings_rare_words(assistant, question):
    """ "… vores digitale signatur ville ikke virke … Bliver den stadig behandlet?": the asking sentence leans on the
    setting ("den", "stadig"), so the setting's rare words ("digitale signatur") pick the section, as they pick
    the quote: the sentence that decides the case is shown."""
    _each_pool_quotes(assistant, question, _SIGNATURE_IS_NO_IT_PROBLEM)


_ECONOMIC_INTEREST = r"\bdet skal oplyses hvis der er en oekonomisk interesse\b"


@pytest.mark.parametrize(
    "question",
    [
        "Vores projektleder har et enkeltmandsfirma. Må vi købe konsulenttimer hos hende?",
        "Må vi købe ydelser fra et firma, som vores koordinators mand ejer?",
        "Vi overvejer at bruge vores formands eget firma som leverandør. Er der noget, vi skal være opmærksomme på?",
    ],
)
def test_buying_from_a_firm_someone_of_the_project_owns_is_an_economic_interest(assistant, question):
    """The glossary's phrases for a firm the project's own people own ("enkeltmandsfirma", "et firma, som … ejer",
    "eget firma") stand for the documents' "økonomisk interesse … personsammenfald … leverandører": that section's
    rule is quoted."""
    _each_pool_quotes(assistant, question, _ECONOMIC_INTEREST, first=True)


@pytest.mark.parametrize(
    "question",
    [
        "Kan frivillige i partnerskabet få sign-on fee?",
        "Kan foreningen få hjælp til at finde frivillige?",
        "Må vi lave et partnerskab med en privat virksomhed?",
    ],
)
def test_no_yes_or_no_is_drawn_from_the_2005_pjece(assistant, question):
    """The 2005 pjece is background: a sentence of it ("… hvor man også kan finde partnerskabskontrakten") gives no
    yes or no to a question about a pool of today."""
    for pool in assistant.specs:
        answer = assistant.ask(question, pool=pool, now=NOW)
        if re.match(r"(?:Ja|Nej|Yes|No) – (?:sådan står det|the guideline says)", answer.answer):
            assert assistant.corpus.document(answer.citations[0].doc_id).meta.kind != "pjece", (pool, answer.answer)


# Session 10.


def test_a_term_written_as_a_compounds_end_matches_only_inside_a_compound():
    pattern = term_pattern(("-posten",), inside_words=True)
    for phrasing in ("Transportposten er for lille", "Må lønposten stige?", "Kan aktivitetsposten hæves?"):
        assert pattern.search(fold(phrasing)), phrasing
    for phrasing in ("Kan vi sende ansøgningen med posten?", "Posten kom i går", "Er posten sendt?"):
        assert not pattern.search(fold(phrasing)), phrasing


@pytest.mark.parametrize(
    "question",
    [
        "Skal udgiftsposterne angives i antal enheder?",
        "Hvordan skal aktivitetsposterne beskrives i budgettet?",
        "Må lønposten dække pension?",
    ],
)
def test_a_line_named_without_amounts_asks_no_budget_change(assistant, question):
    """A line named by what it is for counts as a change only with amounts told: without them the question asks
    how the budget is set up or what the line covers."""
    for pool in _pool_with_fact(assistant, "budgetaendring_tolerance"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "budgetaendring_tolerance" not in [f.key for f in answer.facts], (pool, answer.answer)


@pytest.mark.parametrize(
    "template",
    ["Hvad er fristen for {name} Puljen?", "Kan vi søge {name} Fonden?", "Hvor mange penge er der i {name} Puljen?"],
)
def test_our_own_pool_written_before_a_capitalised_puljen_is_no_fund_we_lack(assistant, template):
    for pool, spec in assistant.specs.items():
        question = template.format(name=spec.short_name.title())
        answer = assistant.ask(question, now=NOW)
        assert not answer.answer.startswith("Jeg har ikke vejledningen"), (pool, answer.answer)


def test_a_name_opened_by_its_verb_is_named_without_it(assistant):
    answer = assistant.ask("Støtter Augustinus Fonden lejrture?", now=NOW)
    assert "”Augustinus Fonden”" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange år skal vi levere data til evalueringen?",
        "Hvor længe skal vi være med i dataindsamlingen til evalueringen?",
        "Hvor mange interviews skal vi deltage i til evalueringen?",
    ],
)
def test_a_question_for_a_figure_with_skal_vi_gets_no_yes_or_no(assistant, question):
    """ "Hvor mange år skal vi …?" asks for a figure; "skal vi" in it makes it no yes/no question, so a requirement
    the message names is no "Ja – det er et krav" lead."""
    pools = _pools_with_sentence(assistant, r"\bansoeger skal samarbejde\b.*\bevaluering\b")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert not answer.answer.startswith(("Ja", "Nej")), (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "deadline"),
    [
        ("Vi overvejer at søge. Hvor mange år skal vi levere cpr-numre til evalueringen?", False),
        ("Vi har tænkt os at søge puljen. Hvornår udarbejdes erfaringsopsamlingen?", False),
        ("Vi er ved at søge. Hvornår skal kommunerne bidrage til dataindsamlingen?", False),
        # an asking sentence with no thing of its own, or only the application, leans on the setting's action
        ("Vi vil gerne søge puljen. Hvornår?", True),
        ("Vi overvejer at søge. Hvornår skal ansøgningen være inde?", True),
        ("Vi vil søge. Hvornår skal vi senest have sendt?", True),
    ],
)
def test_an_action_told_in_the_setting_is_not_what_an_asking_sentence_of_its_own_asks(assistant, question, deadline):
    """ "Vi overvejer at søge. Hvor mange år skal vi levere cpr-numre?": applying is what they are doing, the
    cpr-numre what they ask of; the deadline does not answer."""
    pools = [  # the pools whose documents speak of the thing asked (the data for the evaluation)
        p
        for p in _pool_with_fact(assistant, "ansoegningsfrist")
        if deadline or p in _pools_with_sentence(assistant, r"\bbidrager til dataindsamlingen\b")
    ]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert ("ansoegningsfrist" in [f.key for f in answer.facts]) == deadline, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Er der et mindste beløb man skal søge, eller et loft for hvor meget ét projekt kan få?",
        "Hvad er minimumsbeløbet, og hvad er det maksimale tilskud?",
        "Findes der et minimum for ansøgt beløb eller et max tilskud?",
    ],
)
def test_each_of_several_facts_asked_and_not_stated_is_said_not_to_be(assistant, question):
    """Asked for the least and the largest grant where the pool states neither, both are said not to be stated,
    not the first alone (which reads as if the other were)."""
    keys = load_keys()
    stated = set(_pool_with_fact(assistant, "tilskud_maks")) | set(_pool_with_fact(assistant, "tilskud_min"))
    pools = [p for p in assistant.specs if p not in stated]
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        for key in ("tilskud_maks", "tilskud_min"):
            assert "oplyser ikke" in answer.answer and keys[key].label in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Hvad er fristen for puljen til bekæmpelse af ensomhed i 2026?", "puljen til bekæmpelse af ensomhed"),
        ("Kan vi søge fonden til lokale kulturprojekter for 2026?", "fonden til lokale kulturprojekter"),
        ("Hvornår lukker puljen mod madspild i 2025?", "puljen mod madspild"),
    ],
)
def test_a_pool_we_do_not_have_is_named_without_the_year_asked_of(assistant, question, name):
    answer = assistant.ask(question, now=NOW)
    assert f"”{name}”" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What should the explanatory notes to the budget contain?",
        "What does the social caretaker do in the residents' homes?",
        "How will the partnerships be evaluated?",
    ],
)
def test_an_english_answer_opens_with_an_english_sentence_before_any_danish_quote(assistant, question):
    """Where no verdict or fact answers in English, the answer still opens in the reader's language, saying where
    the guideline says it, before the Danish quotes."""
    answer = assistant.ask(question, now=NOW)
    first = answer.answer.split("\n\n")[0]
    assert not first.startswith(("«", "(")), answer.answer
    assert "Danish" in answer.answer, answer.answer  # and says the sources are Danish
    if answer.citations and first.startswith("Here is what"):
        assert answer.citations[0].label in first, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Vi er en landsforening med lokalafdelinger i to regioner. Kan vi søge?",
        "Vi er en hovedorganisation med lokalafdelinger i fem regioner. Kan vi søge om tilskud?",
        "Vi er en landsorganisation og har afdelinger i tre regioner. Kan vi overhovedet søge?",
    ],
)
def test_a_national_body_with_branches_in_regions_is_no_part_of_a_region(assistant, question):
    """ "Vi er en landsforening med lokalafdelinger i to regioner": the branches are the association's, not a
    region's department; the association is a civil body, and the pools open to civil bodies answer, not only
    those open to public ones."""
    kinds = assistant.pipeline.lexicon.applicant_kinds
    civil = {k for k, spec in kinds.items() if spec.group == "civil"}
    open_to_civil = [
        pool
        for pool, quote in _applicant_lists(assistant)
        if any(term_pattern(kinds[k].terms).search(quote) for k in civil)
    ]
    assert open_to_civil
    answer = assistant.ask(question, now=NOW)
    for pool in open_to_civil:
        assert assistant.specs[pool].short_name.split()[0] in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi søge puljen om penge til depositum?",
        "Kan vi søge løn til vores koordinator gennem puljen?",
        "Kan vi søge puljen om tilskud til husleje til vores lokaler?",
    ],
)
def test_applying_for_money_for_a_thing_asks_what_the_grant_pays_not_who_may_apply(assistant, question):
    """ "Kan vi søge puljen om penge til depositum?": money for a thing is a cost the grant may or may not pay; the
    list of who may apply (though "søge puljen" names applying) answers it not."""
    for pool in _pool_with_fact(assistant, "ansoegerkreds"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "ansoegerkreds" not in [f.key for f in answer.facts], (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi laver gruppeforløb for unge med angst og vil give deltagerne et gavekort som tak. Må vi skrive det ind i "
        "budgettet?",
        "Vi er en landsforening og vil søge penge til gruppeforløb for forældre. Som tak vil vi give hver deltager et "
        "gavekort. Må vi skrive det ind under aktiviteter?",
        "Vores gruppeforløb for enlige fædre slutter med, at alle får et gavekort til biografen. Kan det stå i "
        "budgettet?",
    ],
)
def test_the_setting_names_the_pool_when_the_asking_sentence_leans_on_it(assistant, question):
    """ "Vi laver gruppeforløb … et gavekort … Må vi skrive det ind i budgettet?": no pool is named, and the asking
    sentence asks of the setting's thing; the setting's uncommon words ("gruppeforløb") are one pool's matter, and
    that pool's rule answers — not another pool's list of costs, and no "det afhænger af puljen"."""
    (pool,) = _pools_with_sentence(assistant, r"\bgruppeforloeb\b.*\bfrivillig")
    answer = assistant.ask(question, now=NOW)
    assert not answer.answer.startswith("Det afhænger af puljen"), answer.answer
    assert {assistant.corpus.document(c.doc_id).meta.pool for c in answer.citations} == {pool}, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Kan vi bruge tilskuddet til at sætte mødelokalet i stand?",
        "Må tilskuddet gå til istandsættelse af boligen?",
        "Kan vi få dækket maling og nyt gulv i lejligheden?",
    ],
)
def test_doing_up_a_room_is_renovation_which_the_grant_does_not_cover(assistant, question):
    """The glossary's phrases for doing up a home or room ("sætte … i stand", "istandsættelse", "maling og nyt
    gulv") stand for the documents' "ombygning og renovering"; that word, asked to be paid for, stands in an item of
    what the grant does not cover, and its no leads."""
    pools = _pools_with_sentence(assistant, r"\bikke ydes tilskud til udgifter til ombygning og renovering\b")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert re.match(r"(?:Om \w+: )?Nej –", answer.answer), (pool, answer.answer)
        assert "ombygning og renovering" in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Vi er en kommune. Kan vi få en ladcykel med i tilskuddet?",
        "Kommunen vil købe en projektor. Kan den komme med i tilskuddet?",
        "Som kommune vil vi gerne have en lejet bil med i tilskuddet. Kan det lade sig gøre?",
    ],
)
def test_a_rule_on_the_askers_kind_answers_only_what_it_is_about(assistant, question):
    """ "Kommuner … kan ikke få tilskud til dækning af moms" shares only "tilskud" — a word all over the pool's
    documents — with a question about a bike: it is no "Nej – ansøgerkredsen … og om dem står der" to it."""
    pools = _pools_with_sentence(assistant, r"\bkommuner og regioner kan ikke faa tilskud til daekning af moms\b")
    assert pools
    for pool in pools:
        answer = assistant.ask(question, pool=pool, now=NOW)
        assert "og om dem står der" not in answer.answer, (pool, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "Hvis vi får tilskud til vores gruppeforløb for unge i efterværn og bruger færre penge på transport men mere "
        "på aktiviteter, skal vi så spørge hver gang vi flytter penge mellem posterne?",
        "Når vores gruppeforløb for anbragte unge i efterværn bruger færre penge på forplejning end planlagt, skal vi "
        "så søge om lov til at flytte pengene mellem posterne?",
        "I vores gruppeforløb for unge i efterværn bruger vi færre penge på transport end planlagt. Skal vi søge om "
        "lov til at flytte pengene mellem posterne?",
    ],
)
def test_an_example_project_is_no_see_also_beside_a_fact(assistant, question):
    """A setting that echoes an example project ("gruppeforløb for unge i efterværn") pulls that example up; shown
    as "Se også" after a fact, it reads as a condition of the rule. No piece of such a quote is an example."""
    section_text = assistant.pipeline.lookup.section_text
    for pool in _pool_with_fact(assistant, "budgetaendring_tolerance"):
        answer = assistant.ask(question, pool=pool, now=NOW)
        for citation in answer.citations:
            if f"Se også: «{citation.quote}»" not in answer.answer:
                continue
            for piece in quote_pieces(citation.quote):
                one = citation.model_copy(update={"quote": piece})
                assert not compose.from_examples(one, section_text(citation.doc_id, citation.section)), answer.answer
