"""The staff page «Puljer» and its «Godkend»: a real app (TestClient, real index, real SQLite) on a temporary
copy of the corpus in which one pool's facts.yaml is what `pool add` drafts; the real corpus is never edited."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from assistant.corpus import load_corpus
from assistant.ingest.fact_review import FactReviewError, review_pools, set_verified, verify_fact
from assistant.ingest.facts_draft import draft_facts, facts_yaml
from assistant.ingest.pool_add import RESTART_NOTE
from assistant.rules.facts import load_facts
from assistant.settings import PROJECT_ROOT, Settings
from tests.conftest import web_staff_login

REAL_CORPUS = PROJECT_ROOT / "corpus"


def _drafted_pool(corpus_dir: Path) -> tuple[str, list]:
    """Rewrites the first pool whose documents yield drafts with the drafts `pool add` would write."""
    corpus = load_corpus(corpus_dir)
    for pool in corpus.pools:
        entries, _ = draft_facts(corpus, pool, verify=False)
        if len(entries) >= 2:
            (corpus_dir / pool / "facts.yaml").write_text(facts_yaml(pool, entries, "test"), encoding="utf-8")
            return pool, entries
    pytest.fail("no pool in the corpus yields two drafted facts")


@pytest.fixture(scope="module")
def copy(web_settings, tmp_path_factory):
    """(app client, corpus copy, drafted pool, its drafts)."""
    from assistant.web import create_app

    tmp = tmp_path_factory.mktemp("puljer")
    corpus_dir = tmp / "corpus"
    shutil.copytree(REAL_CORPUS, corpus_dir)
    pool, drafts = _drafted_pool(corpus_dir)
    data = tmp / "data"
    settings = Settings(
        **{
            **web_settings.model_dump(),
            "corpus_dir": corpus_dir,
            "data_dir": data,
            "database_url": f"sqlite:///{data / 'assistant.db'}",
        }
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, corpus_dir, pool, drafts


def _statuses(corpus_dir: Path, pool: str) -> dict[str, str]:
    raw = yaml.safe_load((corpus_dir / pool / "facts.yaml").read_text(encoding="utf-8"))
    return {f["key"]: f.get("status", "verified") for f in raw["facts"]}


def _login(client, token: str) -> None:
    client.cookies.clear()
    assert web_staff_login(client, token).status_code == 303


def _form_token(page: str) -> str:
    return html.unescape(re.search(r'name="csrf" value="([^"]+)"', page).group(1))


def test_the_real_corpus_is_not_the_copy(copy):
    _, corpus_dir, _, _ = copy
    assert corpus_dir.resolve() != REAL_CORPUS.resolve()


def test_pools_page_needs_a_staff_login(copy):
    client, _, pool, drafts = copy
    client.cookies.clear()
    page = client.get("/staff/puljer")
    assert page.status_code == 401
    assert "Log ind" in page.text and drafts[0].quote not in page.text


def test_godkend_without_staff_login_is_refused_and_the_file_kept(copy):
    client, corpus_dir, pool, drafts = copy
    client.cookies.clear()
    before = (corpus_dir / pool / "facts.yaml").read_text(encoding="utf-8")
    response = client.post(
        "/staff/puljer/godkend", data={"pulje": pool, "key": drafts[0].key, "csrf": "x"}, follow_redirects=False
    )
    assert response.status_code == 401
    assert (corpus_dir / pool / "facts.yaml").read_text(encoding="utf-8") == before


def test_pools_page_lists_documents_drafts_and_verified_facts(copy, web_staff_token):
    client, corpus_dir, pool, drafts = copy
    _login(client, web_staff_token)
    assert "/staff/puljer" in client.get("/staff").text  # linked from the staff page
    page = client.get("/staff/puljer")
    assert page.status_code == 200
    text = html.unescape(page.text)
    corpus = load_corpus(corpus_dir)
    for p in review_pools(corpus_dir):
        assert f'id="pulje-{p.pool}"' in page.text and p.name in text
        for doc in corpus.documents:
            if doc.meta.pool == p.pool:
                assert doc.meta.doc_id in text
    for draft in drafts:
        assert draft.quote in text and draft.display in text and draft.label in text
    assert text.count(">Godkend</button>") == len(drafts)  # only drafts get the button
    verified = next(p for p in review_pools(corpus_dir) if p.pool != pool and p.facts)
    assert verified.facts[0].quote in text and "Godkendt" in text and "Udkast" in text
    assert RESTART_NOTE in text


def test_godkend_with_a_bad_form_token_is_refused(copy, web_staff_token):
    client, corpus_dir, pool, drafts = copy
    _login(client, web_staff_token)
    client.get("/staff/puljer")  # the form cookie is set …
    response = client.post(
        "/staff/puljer/godkend",
        data={"pulje": pool, "key": drafts[0].key, "csrf": "forfalsket"},
        follow_redirects=False,
    )
    assert response.status_code == 400  # … but the field is not one this server signed
    assert "Siden er udløbet" in response.text
    assert _statuses(corpus_dir, pool)[drafts[0].key] == "draft"


def test_godkend_marks_one_draft_verified_in_the_file(copy, web_staff_token):
    client, corpus_dir, pool, drafts = copy
    _login(client, web_staff_token)
    path = corpus_dir / pool / "facts.yaml"
    before = path.read_text(encoding="utf-8")
    target = drafts[1]
    form = {
        "pulje": pool,
        "key": target.key,
        "round": target.round or "",
        "csrf": _form_token(client.get("/staff/puljer").text),
    }
    response = client.post("/staff/puljer/godkend", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    after = path.read_text(encoding="utf-8")
    statuses = _statuses(corpus_dir, pool)
    assert statuses[target.key] == "verified"
    assert all(statuses[d.key] == "draft" for d in drafts if d is not target)
    # One line changed; the header comments and the order stay.
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [(a.strip(), b.strip()) for a, b in changed] == [("status: draft", "status: verified")]
    assert after.startswith("# Drafted by")
    facts = load_facts(load_corpus(corpus_dir), corpus_dir)[pool]
    assert facts.get(target.key, target.round).status == "verified"
    page = client.get(response.headers["location"])
    assert "Godkendt:" in page.text and html.unescape(page.text).count(">Godkend</button>") == len(drafts) - 1

    again = client.post("/staff/puljer/godkend", data={**form, "csrf": _form_token(page.text)})
    assert again.status_code == 409 and "allerede godkendt" in again.text


def test_a_fact_that_would_not_load_is_refused_with_the_file_untouched(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, corpus_dir)
    pool, drafts = _drafted_pool(corpus_dir)
    path = corpus_dir / pool / "facts.yaml"
    wrong = drafts[0].model_copy(update={"quote": "Denne sætning står ikke i dokumentet."})
    broken = facts_yaml(pool, [wrong, *drafts[1:]], "test")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(FactReviewError, match="kan ikke godkendes"):
        verify_fact(corpus_dir, pool, drafts[0].key, drafts[0].round)
    assert path.read_text(encoding="utf-8") == broken


@pytest.mark.parametrize("path", sorted(REAL_CORPUS.glob("*/facts.yaml")), ids=lambda p: p.parent.name)
def test_set_verified_changes_only_that_entry_in_every_curated_file(path):
    """Curated files write no status (verified by default): the line is added, nothing else moves."""
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    for index in range(len(raw["facts"])):
        expected = yaml.safe_load(text)
        expected["facts"][index]["status"] = "verified"
        edited = set_verified(text, index)
        assert yaml.safe_load(edited) == expected
        assert [line for line in edited.splitlines() if "status: verified" not in line] == text.splitlines()
