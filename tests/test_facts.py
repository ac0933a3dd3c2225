import re
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.corpus import load_corpus
from assistant.errors import FactDrift
from assistant.models import Fact
from assistant.rules.facts import FactEntry, Period, PoolFacts, load_facts
from assistant.settings import get_settings



@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    return get_settings().corpus_dir


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


@pytest.fixture(scope="module")
def facts(corpus, corpus_dir):
    return load_facts(corpus, corpus_dir)


# Each row read off the curated documents by hand (tests/fixtures/expected_facts.yaml): (key, round, display,
# value); the pool is whichever states it.
EXPECTED = [
    (key, round_, display, Period(**value) if isinstance(value, dict) else value)
    for key, round_, display, value in yaml.safe_load(
        (Path(__file__).parent / "fixtures" / "expected_facts.yaml").read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("key", "round_", "display", "value"), EXPECTED,
                         ids=[f"{k}:{r}:{d}" for k, r, d, _ in EXPECTED])
def test_expected_fact(facts, corpus, key, round_, display, value):
    entries = [(p, f.get(key, round_)) for p, f in facts.items() if f.get(key, round_) is not None]
    stating = [(p, e) for p, e in entries if e.display == display]
    assert stating, f"{key}/{round_} = {display!r} mangler (fundet: {[e.display for _, e in entries]})"
    for pool, entry in stating:
        assert entry.value == value, pool
        assert type(entry.value) is type(value), pool  # a date is not a datetime, "2028" is text
        assert corpus.text_contains(entry.doc_id, entry.section, entry.quote), pool
        assert corpus.document(entry.doc_id).meta.pool == pool


def _pools_with(facts, key: str) -> list[str]:
    """Pools that state `key` for no particular round."""
    return [p for p, f in facts.items() if f.get(key) is not None and f.get(key).round is None]


def _bump(text: str) -> str:
    """The first figure in `text` with its last digit changed: "1.649 timer" → "1.640 timer"."""
    match = re.search(r"\d+(?:[.,]\d+)*", text)
    assert match, text
    figure = match.group()
    changed = figure[:-1] + str((int(figure[-1]) + 1) % 10)
    return text[: match.start()] + changed + text[match.end() :]


def test_load_facts_passes_on_the_real_corpus(facts, corpus, corpus_dir):
    folders = {p.parent.name for p in corpus_dir.glob("*/facts.yaml")}
    assert set(facts) == set(corpus.pools) == folders and facts
    for pool, pool_facts in facts.items():
        assert isinstance(pool_facts, PoolFacts) and pool_facts.pool == pool and pool_facts.facts
        assert all(a == a.lower() for a in pool_facts.aliases)


def test_default_corpus_dir_is_the_settings_one(corpus, facts):
    assert load_facts(corpus) == facts


def test_only_the_amount_the_document_calls_provisional_is_provisional(facts):
    provisional = [(p, f.key) for p, pf in facts.items() for f in pf.facts if f.provisional]
    stated = [(p, f.key) for p, pf in facts.items() for f in pf.facts if f.key == "puljebeloeb" and "foreløbig" in f.quote]
    assert provisional and provisional == stated
    for pool, key in provisional:
        assert "Danske Spil" in facts[pool].get(key).note


def test_rounds_are_kept_apart(facts):
    with_rounds = [p for p, f in facts.items() if f.rounds]
    assert with_rounds, "the corpus needs a pool with rounds for this test"
    for pool, pool_facts in facts.items():
        rounds = pool_facts.rounds
        assert rounds == tuple(sorted({f.round for f in pool_facts.facts if f.round}))
        if not rounds:
            continue
        for key in pool_facts.keys:
            entries = pool_facts.all(key)
            stated = {f.round for f in entries}
            assert {f.round: f.display for f in entries} == {r: pool_facts.get(key, r).display for r in stated}
            if len(entries) > 1:
                assert pool_facts.get(key) is None, (pool, key)  # several rounds: no round picked silently
            elif None not in stated:
                (only,) = stated  # one round only: that round's entry, and none for the other rounds
                assert pool_facts.get(key).round == only, (pool, key)
                assert all(pool_facts.get(key, r) is None for r in rounds if r != only), (pool, key)
    pool_facts = facts[with_rounds[0]]
    assert any(len(pool_facts.all(k)) > 1 for k in pool_facts.keys), "no key stated for two rounds"


def _text(document) -> str:
    return "\n".join(section.text for section in document.sections).lower()


def test_numbers_not_stated_are_left_out(facts, corpus):
    # A pool whose documents never speak of an årsnorm states no hours, caps or audit threshold for it.
    silent = [p for p in facts if not any("årsnorm" in _text(d) for d in corpus.documents if d.meta.pool == p)]
    assert silent, "every pool mentions an årsnorm: pick another word for this test"
    for pool in silent:
        assert facts[pool].all("aarsnorm_timer") == (), pool
    # A project period without a stated maximum in months has no such fact.
    no_months = [p for p in _pools_with(facts, "projektperiode")
                 if not any("måneder" in _text(d) for d in corpus.documents if d.meta.pool == p)]
    assert no_months, "every pool with a project period states months: pick another case for this test"
    for pool in no_months:
        assert facts[pool].get("projektperiode_maks_maaneder") is None, pool


def test_to_fact(facts):
    pools = _pools_with(facts, "ansoegningsfrist")
    assert pools
    for pool in pools:
        entry = facts[pool].get("ansoegningsfrist")
        fact = entry.to_fact()
        assert isinstance(fact, Fact)
        assert (fact.key, fact.value, fact.display, fact.doc_id, fact.section, fact.quote) == (
            "ansoegningsfrist", entry.value, entry.display, entry.doc_id, entry.section, entry.quote)
    pools = _pools_with(facts, "projektperiode")
    assert pools and all(isinstance(facts[p].get("projektperiode").value, Period) for p in pools)
    for pool in pools:
        period = facts[pool].get("projektperiode")
        assert period.to_fact().value == {"start": period.value.start.isoformat(), "end": period.value.end.isoformat()}
    for pool_facts in facts.values():
        for entry in pool_facts.facts:
            entry.to_fact().model_dump_json()  # every value serialises


# ---------------------------------------------------------------------------------------------------
# Drift: a changed document or a changed facts.yaml is refused, naming the key


@pytest.fixture
def copy(tmp_path, corpus_dir) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _drift(corpus_dir: Path) -> str:
    with pytest.raises(FactDrift) as info:
        load_facts(load_corpus(corpus_dir), corpus_dir)
    message = str(info.value)
    assert "ret facts.yaml eller korpus" in message
    return message


def test_copy_of_corpus_loads(copy, corpus):
    assert set(load_facts(load_corpus(copy), copy)) == set(corpus.pools)


@pytest.mark.parametrize(("key", "round_"), [
    ("ansoegningsfrist", None), ("aarsnorm_timer", None), ("puljebeloeb", None), ("puljebeloeb", "2024"),
])
def test_changed_quote_in_markdown_is_drift(copy, facts, key, round_):
    pool = next(p for p, f in facts.items() if f.get(key, round_) is not None and f.get(key, round_).round == round_)
    entry = facts[pool].get(key, round_)
    _edit(copy / pool / f"{entry.doc_id}.md", entry.quote, _bump(entry.quote))
    message = _drift(copy)
    name = f"{key} (runde {round_})" if round_ else key
    assert f"/ {name}:" in message
    assert "citatet findes ikke ordret" in message


def test_changed_display_number_is_drift(copy, facts):
    pool = _pools_with(facts, "aarsnorm_timer")[0]
    display = facts[pool].get("aarsnorm_timer").display
    _edit(copy / pool / "facts.yaml", f'display: "{display}"', f'display: "{_bump(display)}"')
    message = _drift(copy)
    assert f"{pool} / aarsnorm_timer:" in message
    assert _bump(display).split()[0] in message


def test_value_not_matching_display_is_drift(copy, facts):
    pool = next(p for p in _pools_with(facts, "ansoegningsfrist") if facts[p].get("ansoegningsfrist").type == "datetime")
    value = facts[pool].get("ansoegningsfrist").value
    assert value.hour != 12
    _edit(copy / pool / "facts.yaml", f"value: {value.isoformat()}", f"value: {value.replace(hour=12).isoformat()}")
    assert f"{pool} / ansoegningsfrist: værdien" in _drift(copy)


def test_every_problem_is_listed_in_one_error(copy, facts):
    pool = _pools_with(facts, "puljebeloeb")[0]
    amount = facts[pool].get("puljebeloeb").value
    _edit(copy / pool / "facts.yaml", f"value: {amount}", f"value: {amount + 100000}")
    other, entry = next((p, f) for p, pf in facts.items() if p != pool for f in pf.facts if f.display.startswith("tre "))
    _edit(copy / other / "facts.yaml", f'display: "{entry.display}"', f'display: "fire{entry.display[3:]}"')
    message = _drift(copy)
    assert f"{pool} / puljebeloeb:" in message
    name = f"{entry.key} (runde {entry.round})" if entry.round else entry.key
    assert f"{other} / {name}:" in message


def test_duplicate_key_and_round_is_drift(copy, facts):
    pool = next(p for p, f in facts.items() if f.rounds)
    round_ = facts[pool].rounds[0]
    first, second = [f for f in facts[pool].facts if f.round == round_][:2]
    _edit(copy / pool / "facts.yaml", f'  - key: {second.key}\n    round: "{round_}"',
          f'  - key: {first.key}\n    round: "{round_}"')
    assert f"{pool} / {first.key} (runde {round_}): (pulje, key, round) findes flere gange" in _drift(copy)


def test_quote_from_another_pools_document_is_drift(copy, facts):
    # Two pools' documents state the årsnorm in the same sentence; the other pool's document is not this pool's.
    pools = _pools_with(facts, "aarsnorm_timer")
    own, other = (facts[p].get("aarsnorm_timer") for p in pools[:2])
    assert own.quote == other.quote and own.doc_id != other.doc_id
    path = copy / pools[0] / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    block = text.split("  - key: aarsnorm_timer")[1].split("\n\n")[0]
    _edit(path, block, block.replace(f'doc_id: {own.doc_id}\n    section: "{own.section}"',
                                     f'doc_id: {other.doc_id}\n    section: "{other.section}"'))
    assert f"{pools[0]} / aarsnorm_timer: dokumentet '{other.doc_id}' hører til puljen" in _drift(copy)


def test_missing_facts_file_is_drift(copy, corpus):
    for pool in corpus.pools:
        (copy / pool / "facts.yaml").rename(copy / pool / "facts.yaml.bak")
        assert f"{pool} (facts.yaml): filen" in _drift(copy)
        (copy / pool / "facts.yaml.bak").rename(copy / pool / "facts.yaml")


def test_number_word_in_display_must_stand_in_quote(copy, facts):
    # A count written as a word ("fem kommuner"): another word for it is drift as much as another figure.
    pool, entry, word = next(
        (p, f, w) for p, pf in facts.items() for f in pf.facts for w in ("fem", "tre", "to") if f.display.startswith(f"{w} ")
    )
    other = "seks" if word != "seks" else "syv"
    _edit(copy / pool / "facts.yaml", f'display: "{entry.display}"', f'display: "{other}{entry.display[len(word):]}"')
    message = _drift(copy)
    name = f"{entry.key} (runde {entry.round})" if entry.round else entry.key
    assert f"{pool} / {name}:" in message and other in message


def test_fact_entry_is_frozen(facts):
    entry: FactEntry = next(f for pool_facts in facts.values() for f in pool_facts.facts)
    with pytest.raises(Exception):
        entry.display = "1. januar 2030"  # type: ignore[misc]


def test_build_index_refuses_when_a_quote_drifts(tmp_path):
    """The drift guard at the edge: `assistant build-index` on a corpus whose quoted sentence changed."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from assistant.settings import get_settings

    corpus = tmp_path / "corpus"
    shutil.copytree(get_settings().corpus_dir, corpus)
    facts = load_facts(load_corpus(corpus), corpus)
    pool = _pools_with(facts, "aarsnorm_timer")[0]
    entry = facts[pool].get("aarsnorm_timer")
    doc = corpus / pool / f"{entry.doc_id}.md"
    text = doc.read_text(encoding="utf-8")
    assert entry.display in text
    doc.write_text(text.replace(entry.display, _bump(entry.display)), encoding="utf-8")
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "indexes")}
    result = subprocess.run([str(Path(sys.executable).parent / "assistant"), "build-index"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "aarsnorm_timer" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "indexes" / "manifest.json").exists()


def test_every_fact_display_reads_after_its_label_and_er(facts):
    """The direct answer says "<label> for <pool> er <display>": a display that opens with a verb in the passive
    ("udarbejdes i 2028") makes it "… er udarbejdes i 2028". Checked for every fact a pool states, also those of a
    vejledning added as data."""
    for pool, pool_facts in facts.items():
        for key in pool_facts.keys:
            for entry in pool_facts.all(key):
                first = entry.display.split()[0] if entry.display.split() else ""
                assert not re.fullmatch(r"[a-zæøå]{3,}es", first), (
                    pool,
                    key,
                    entry.display,
                )
