"""Nothing names a pool: no test file and no module under assistant/ holds a pool id or document id found in
corpus/ (tests take their pools from tests/corpus_pools.py and the corpus; the fixtures are data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from tests.corpus_pools import PRIMARY, corpus_ids

def checked_files() -> list[Path]:
    tests = [p for p in (PROJECT_ROOT / "tests").rglob("*") if p.is_file()
             and "fixtures" not in p.relative_to(PROJECT_ROOT / "tests").parts and p.suffix != ".pyc"]
    code = list((PROJECT_ROOT / "assistant").rglob("*.py"))
    return sorted(p.relative_to(PROJECT_ROOT) for p in tests + code)


def ids_in(text: str) -> list[str]:
    """The corpus ids written in `text` as a whole id (not as part of a longer one, e.g. «groen-2026-x»)."""
    return sorted(i for i in corpus_ids() if re.search(rf"(?<![a-z0-9]){re.escape(i)}(?![a-z0-9])", text))


def test_the_check_finds_an_id_written_in_code():
    assert PRIMARY.id in corpus_ids() and PRIMARY.doc_id in corpus_ids()
    assert ids_in(f'POOL = "{PRIMARY.id}"') == [PRIMARY.id]
    assert PRIMARY.doc_id in ids_in(f"/sources/{PRIMARY.doc_id}/1")
    assert ids_in(f"{PRIMARY.id}x and x{PRIMARY.id}") == []


@pytest.mark.parametrize("path", checked_files(), ids=str)
def test_no_file_names_a_pool(path):
    found = ids_in((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    assert found == [], f"{path} names {found}: take the pool from tests/corpus_pools.py or say it generically"
