"""The evaluation sets parse and point at sections that exist in the real corpus."""

import importlib.util
import sys
from pathlib import Path

import pytest

from assistant.corpus import load_corpus
from assistant.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ROOT / "evals" / name for name in ("dev.jsonl", "dev_extra.jsonl", "dev_fresh.jsonl", "holdout.jsonl", "test.jsonl")
]


def _harness():
    # Loaded from its file: evals/ is not an installed package, and the tests must not depend on the cwd.
    spec = importlib.util.spec_from_file_location("evals_harness", ROOT / "evals" / "harness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def harness():
    return _harness()


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(get_settings().corpus_dir)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_set_parses_with_unique_ids_and_known_categories(harness, path):
    questions = harness.load_questions(path)  # raises on a bad line or a duplicate id
    assert questions
    assert len({q.id for q in questions}) == len(questions)
    unknown = {q.category for q in questions} - set(harness.KNOWN_CATEGORIES)
    assert not unknown, f"unknown categories: {unknown}"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_source_exists_and_is_citable_under_the_pool(harness, corpus, path):
    for q in harness.load_questions(path):
        if q.pool is not None:
            assert q.pool in corpus.pools, f"{q.id}: unknown pool {q.pool!r}"
        for doc_id, section in q.expect.sources:
            assert (doc_id, section) in corpus.sections, f"{q.id}: no section {doc_id}#{section}"
            # With a pool set, only that pool's documents and the general ones can be cited — unless a
            # follow-up names another pool, which the answer then switches to.
            doc_pool = corpus.by_id[doc_id].meta.pool
            assert q.pool is None or doc_pool in (q.pool, None) or q.category == "follow_up", \
                f"{q.id}: {doc_id} is outside {q.pool}"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_out_of_scope_questions_expect_abstention_and_no_sources(harness, path):
    for q in harness.load_questions(path):
        if q.category == "out_of_scope":
            # abstain unset: a short redirect with a reason is as right as a refusal ("the pools are for
            # organisations, not private persons").
            assert q.expect.abstain in (True, None) and not q.expect.sources, q.id
        elif q.category in ("retrieval", "paraphrase", "misspelled", "english"):
            assert q.expect.sources and q.expect.abstain is False, q.id


def test_dev_set_covers_every_document_pool_and_category(harness, corpus):
    questions = harness.load_questions(SETS[0])
    cited_docs = {doc for q in questions for doc, _ in q.expect.sources}
    assert cited_docs == set(corpus.by_id)
    assert {q.pool for q in questions} >= {*corpus.pools, None}
    counts = {c: sum(q.category == c for q in questions) for c in harness.KNOWN_CATEGORIES}
    assert counts["out_of_scope"] >= 15
    assert counts["english"] >= 10
    assert len(questions) - counts["out_of_scope"] >= 90


def test_metrics_on_a_toy_ranking(harness):
    assert harness.first_hit([("a", "1"), ("b", "2")], {("b", "2")}) == 2
    metrics = harness.ranking_metrics([1, 3, None, 5])
    assert metrics["recall@1"] == 0.25 and metrics["recall@3"] == 0.5 and metrics["recall@5"] == 0.75
    assert metrics["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 5) / 4)
    assert harness.percentile([10.0, 20.0, 30.0], 50) == 20.0


@pytest.mark.parametrize(("name", "shown"), [("test.jsonl", False), ("dev.jsonl", True)])
def test_the_scored_only_split_prints_no_failed_questions(harness, capsys, name, shown):
    """The test split is only scored: a run's printout counts its failures and never shows their questions, so
    nobody tuning reads them by accident; the dev sets show theirs."""
    question = "Et spørgsmål, der fejlede i evalueringen?"
    failed = {
        "id": "q1", "passed": False, "checks": {"top3": False}, "cited": [], "abstained": False,
        "expected_sources": [["doc", "1"]], "question": question,
    }
    latency = {"p50": 1.0, "p95": 1.0, "max": 1.0}
    pipeline = {
        "n_sources": 1, "recall@1": 0.0, "recall@3": 0.0, "recall@5": 0.0, "mrr": 0.0, "top1_citation": 0.0,
        "top3_citation": 0.0, "contains": 0.0, "n_contains": 0, "abstention": 0.0, "n_abstain": 0,
        "false_abstentions": 0, "false_answers": 0, "overall": 0.0, "wrong_pool": 0, "wrong_number": 0,
        "non_verbatim": 0, "quotes_checked": 0, "answer_chars_p50": 0.0, "false_not_stated": 0,
        "latency_ms": latency, "cpu_ms": latency, "load_seconds": 0.1, "errors": 0,
    }
    report = {
        "set": f"evals/{name}", "questions": 1, "pipeline": pipeline, "baselines": {},
        "machine": {"cpus": 2, "load_average": 0.0}, "categories": {}, "results": [failed], "targets": {},
        "report_path": "r.json",
    }
    harness.print_report(report)
    printed = capsys.readouterr().out
    assert (question[:40] in printed) is shown and "Failed" in printed
