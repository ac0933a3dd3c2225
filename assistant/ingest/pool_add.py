"""`assistant pool add / list / remove`: a new vejledning becomes a pool of data — corpus/<pool>/ with the
Markdown document, pool.yaml and drafted facts.yaml — and the index grows by its text only.

A running server keeps the index it loaded in memory: after `pool add` or `pool remove` it must be restarted
to see the change (the command says so). Nothing else needs to change: no code names a pool."""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from assistant.corpus import check_corpus, load_corpus
from assistant.corpus.pools import (
    PoolSpec,
    alias_collisions,
    load_pool_specs,
    names_from_title,
)
from assistant.embedding import Embedder
from assistant.errors import AssistantError, IngestError
from assistant.index import (
    Progress,
    add_documents,
    build_index,
    read_manifest,
    remove_documents,
    stale_reasons,
)
from assistant.ingest.facts_draft import draft_facts, facts_yaml
from assistant.ingest.markdown import ingest_file
from assistant.rules.facts import load_facts
from assistant.settings import Settings

logger = logging.getLogger(__name__)

_POOL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESTART_NOTE = ("En kørende server (`assistant serve`) har det gamle indeks i hukommelsen: genstart den, "
                "så ændringen slår igennem.")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class DraftedFact(Frozen):
    key: str
    display: str
    section: str
    status: str


class PoolAddReport(Frozen):
    pool: str
    document: Path
    title: str
    sections: list[str]
    spec: PoolSpec
    facts: list[DraftedFact]
    left_out: list[str]  # drafts that failed the fact check, with the reason
    collisions: dict[str, list[str]]  # alias → other pools it names
    index: str  # "tilføjet" (incremental) or "genopbygget" (the index was missing or stale)
    seconds: float


class PoolSummary(Frozen):
    pool: str
    name: str
    documents: list[str]
    verified: int
    drafts: int


def add_pool(path: Path, pool: str, settings: Settings, embedder: Embedder, *, name: str | None = None,
             verify: bool = False, progress: Progress | None = None) -> PoolAddReport:
    """Ingest `path` as the vejledning of a new pool and make it searchable.

    Every file is checked before the index is touched; on any failure the pool's folder is removed again, so
    a failed add leaves the corpus as it was.
    """
    started = time.perf_counter()
    corpus_dir = Path(settings.corpus_dir)
    if not _POOL_ID.match(pool):
        raise IngestError(f"Ugyldigt pulje-id {pool!r}. Brug små bogstaver, tal og bindestreger, fx 'groen-2026'.")
    folder = corpus_dir / pool
    if folder.exists():
        raise IngestError(f"Puljen {pool!r} findes allerede i {folder}. Fjern den først med "
                          f"`assistant pool remove {pool}`, eller vælg et andet id.")
    before = load_corpus(corpus_dir)
    incremental = _index_is_fresh(before, settings, embedder)
    report = progress or (lambda stage, done, total: None)
    try:
        report("dokument", 0, 1)
        ingested = ingest_file(Path(path), doc_id=f"{pool}-vejledning", pool=pool, kind="vejledning",
                               corpus_dir=corpus_dir, lead="Forside")
        report("dokument", 1, 1)
        spec = PoolSpec(id=pool, **names_from_title(ingested.title, name))
        spec = spec.model_copy(update={"aliases": spec.generated_aliases()})
        # A citation reads "Vejledning til GRØF 2026, afsnit 7", as the curated documents' do.
        text = ingested.path.read_text(encoding="utf-8")
        short_title = json.dumps(f"Vejledning til {spec.short_name}", ensure_ascii=False)
        text = re.sub(r"^short_title: .*$", lambda _: f"short_title: {short_title}", text, count=1, flags=re.MULTILINE)
        ingested.path.write_text(text, encoding="utf-8")
        others = load_pool_specs(corpus_dir, tuple(p for p in before.pools if p != pool))
        collisions = alias_collisions(spec, others)
        (folder / "pool.yaml").write_text(pool_yaml(spec), encoding="utf-8")
        corpus = load_corpus(corpus_dir)
        problems = [p for p in check_corpus(corpus) if p.startswith(f"{pool}/")]
        if problems:
            raise IngestError(f"Dokumentet {Path(path).name} består ikke korpuskontrollen – ret filen og prøv "
                              "igen:\n" + "\n".join(f"- {p}" for p in problems))

        entries, left_out = draft_facts(corpus, pool, verify=verify)
        if not entries:
            raise IngestError(f"Der blev ikke fundet nogen fakta (frist, beløb, ansøgerkreds, periode …) i "
                              f"{Path(path).name}. Er det en vejledning i styrelsens skabelon?")
        (folder / "facts.yaml").write_text(facts_yaml(pool, entries, Path(path).name), encoding="utf-8")
        load_facts(corpus, corpus_dir)  # the loader the assistant uses must accept every pool's file

        if incremental:
            add_documents(corpus, settings, embedder, [ingested.path.stem], report)
        else:
            build_index(corpus, settings, embedder, report)
    except (AssistantError, OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return PoolAddReport(
        pool=pool, document=ingested.path, title=ingested.title, sections=ingested.headings, spec=spec,
        facts=[DraftedFact(key=e.key, display=e.display, section=e.section, status=e.status) for e in entries],
        left_out=left_out, collisions=collisions, index="tilføjet" if incremental else "genopbygget",
        seconds=round(time.perf_counter() - started, 1),
    )


def remove_pool(pool: str, settings: Settings, embedder: Embedder) -> list[str]:
    """Remove corpus/<pool>/ and the pool's documents from the index; returns the doc_ids removed."""
    corpus_dir = Path(settings.corpus_dir)
    before = load_corpus(corpus_dir)
    before.check_pool(pool)
    doc_ids = [d.meta.doc_id for d in before.documents if d.meta.pool == pool]
    incremental = _index_is_fresh(before, settings, embedder)
    shutil.rmtree(corpus_dir / pool)
    after = load_corpus(corpus_dir)
    if incremental:
        remove_documents(after, settings, embedder, doc_ids)
    else:
        build_index(after, settings, embedder)
    return doc_ids


def list_pools(settings: Settings) -> list[PoolSummary]:
    corpus_dir = Path(settings.corpus_dir)
    corpus = load_corpus(corpus_dir)
    specs = load_pool_specs(corpus_dir, corpus.pools)
    summaries = []
    for pool in corpus.pools:
        raw = {}
        path = corpus_dir / pool / "facts.yaml"
        if path.is_file():
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        statuses = [f.get("status", "verified") for f in raw.get("facts", []) if isinstance(f, dict)]
        summaries.append(PoolSummary(
            pool=pool, name=specs[pool].name,
            documents=[d.meta.doc_id for d in corpus.documents if d.meta.pool == pool],
            verified=statuses.count("verified"), drafts=statuses.count("draft")))
    return summaries


def _index_is_fresh(corpus, settings: Settings, embedder: Embedder) -> bool:
    """Whether the index matches `corpus`, so that it can grow or shrink without re-embedding."""
    try:
        reasons = stale_reasons(read_manifest(settings), corpus, settings, embedder.model_id)
    except AssistantError:
        return False
    if reasons:
        logger.warning("indekset bygges helt om: %s", "; ".join(reasons))
    return not reasons and (Path(settings.index_dir) / "chunk_vectors.npy").is_file()


def pool_yaml(spec: PoolSpec) -> str:
    header = (
        "# Written by `assistant pool add` from the vejledning's title. Staff review the names; `aliases` is\n"
        "# generated from name, short_name, names, abbreviations and english_names (assistant/corpus/pools.py)\n"
        "# and may be edited by hand. No code names a pool.\n"
    )
    return header + yaml.safe_dump(spec.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=120)
