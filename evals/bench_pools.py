"""The 50-pool benchmark: the corpus plus generated pools, all in a temporary folder.

    python -m evals.bench_pools [--pools 50] [--json report.json] [--skip-add] [--skip-ask]

Generated pools are the real vejledninger with another id, topic, abbreviation, amount and deadline, written
into the title line and the text; pool.yaml and facts.yaml come from the same code `assistant pool add` uses.
They keep their source's short title, so a chunk whose text did not change reuses its cached vector (cache by
text hash in .cache/bench/, seeded from the real index) — and so the pools are near-duplicates of each other,
the hardest case for finding one pool's passages. Measured, all in the same run:

1. pool-scoped retrieval: per pool, questions whose answer section is known (deadline, amount, who may
   apply, period) → the right pool's right section at rank 1 / in the top 3, with the scope applied inside the
   search, against the old way (global top-k, then filter by pool);
2. search latency with and without a scope (median / p95, and their ratio);
3. pool names: everyday names of every pool (abbreviation, "puljen til …" with a typo) → PoolMatcher over
   all pools, and `Assistant.ask` without `pool=` (does the answer cite the named pool?), with ask() p50/p95;
4. drafted facts of the generated pools against the figures written into them;
5. `pool add` of one vejledning (the raw OCR seed of SærligSoc 2025 and the test vejledning) into the
   50-pool corpus, real embedding, no cache: seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from assistant.corpus import load_corpus
from assistant.corpus.pools import (
    PoolMatcher,
    PoolSpec,
    load_pool_specs,
    names_from_title,
)
from assistant.embedding import make_embedder
from assistant.errors import IngestError
from assistant.index import Sentence, build_index, load_index, searchable_text
from assistant.ingest.facts_draft import draft_facts, facts_yaml
from assistant.ingest.pool_add import add_pool, pool_yaml
from assistant.models import Chunk
from assistant.retrieval import HybridRetriever
from assistant.settings import PROJECT_ROOT, Settings, get_settings

CACHE = PROJECT_ROOT / ".cache" / "bench" / "passages.npz"
SEED_OCR = PROJECT_ROOT / "tests" / "fixtures" / "seeds" / "002_4c208095641285be.txt"
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "pools" / "groenne-faellesskaber-2026.txt"

# Invented topics and abbreviations for the generated pools (none is a real pool).
TOPICS = [
    ("grønne fællesskaber for ældre", "GRØF"), ("digital inklusion af seniorer", "DigiSen"),
    ("mentorordninger for unge", "MentU"), ("frivillig besøgstjeneste", "BesøgF"),
    ("natteravne i boligområder", "NatBo"), ("madfællesskaber", "MadFæl"),
    ("sorggrupper for børn", "SorgB"), ("gældsrådgivning", "GældR"), ("lektiecaféer", "LekCa"),
    ("ensomme mænd", "EnsM"), ("pårørende til psykisk syge", "PårPsyk"), ("væresteder for hjemløse", "VærHj"),
    ("idrætsfællesskaber for udsatte", "IdrU"), ("førstehjælp til sind", "FørSind"),
    ("kvindekrisecentre", "KviKri"), ("ungdomsboliger med støtte", "UngBo"), ("rusmiddelfri fritid", "RusFri"),
    ("familiehøjskoler", "FamHø"), ("tolkebistand for døve", "TolkD"), ("genbrugsværksteder", "GenVærk"),
    ("borgerrådgivning", "BorgR"), ("nabohjælp", "NabH"), ("friluftsliv for børn med handicap", "FriHand"),
    ("seniorfællesskaber på landet", "SenLand"), ("cykelværksteder for flygtninge", "CykFly"),
    ("musikfællesskaber for unge med angst", "MusAng"), ("støtte til enlige forsørgere", "EnFor"),
    ("hjemmebesøg hos nybagte forældre", "NyFor"), ("spiseforstyrrelser", "SpisF"),
    ("ordblinde voksne", "OrdV"), ("demensvenlige byer", "DemBy"), ("ledsagelse til kultur", "LedKul"),
    ("juridisk rådgivning for udsatte", "JurU"), ("selvhjælpsgrupper", "SelvG"),
    ("fritidsjob til sårbare unge", "FriJob"), ("bedsteforældre for anbragte", "BedAnb"),
    ("værksteder for veteraner", "VetVærk"), ("telefonrådgivning om selvmord", "TelSelv"),
    ("kolonier for børnefamilier", "KolBør"), ("skurvogne for hjemløse unge", "SkurU"),
    ("haver for mennesker med demens", "HavDem"), ("svømning for ældre med gigt", "SvømG"),
    ("sprogcaféer for nydanskere", "SprogC"), ("hundeterapi", "HundT"),
    ("ungdomsklubber i landdistrikter", "UngKlub"), ("mødregrupper for sårbare mødre", "MødG"),
    ("spejderarbejde for børn med handicap", "SpejH"), ("kunstværksteder for psykisk sårbare", "KunPsy"),
]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober"]
# What each source vejledning names and states, to be replaced in its copies.
SOURCES = {
    "saerligsoc-2025-vejledning": {"topic": "særlige sociale formål", "abbreviation": "SærligSoc",
                                   "amount": "12,9 mio. kr.", "deadline": "7. august 2025 kl. 23:59",
                                   "sections": {"deadline": "13", "amount": "1", "who": "3", "period": "8"}},
    "sociale-vicevaerter-2025-vejledning": {"topic": "sociale viceværter", "abbreviation": None,
                                            "amount": "6,6 mio. kr.", "deadline": "26. juni 2025 kl. 23:59",
                                            "sections": {"deadline": "12", "amount": "1", "who": "2",
                                                         "period": "7"}},
}
QUESTIONS = {"deadline": "Hvornår er ansøgningsfristen?", "amount": "Hvor mange penge er der afsat til puljen?",
             "who": "Hvem kan søge om tilskud?", "period": "Hvornår skal tilskuddet anvendes?"}


class CachedEmbedder:
    """Passages by text hash from a cache file; queries always live."""

    def __init__(self, embedder, path: Path) -> None:
        self._embedder, self._path = embedder, path
        self.model_id, self.dim = embedder.model_id, embedder.dim
        self._vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            data = np.load(path)
            self._vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
        self.hits = self.misses = 0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        self._vectors.update({self.key(t): v for t, v in zip(texts, vectors)})

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embedder.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self._vectors]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            self.remember(missing, self._embedder.embed_passages(missing))
        return np.vstack([self._vectors[self.key(t)] for t in texts]).astype(np.float32) if texts else \
            np.zeros((0, self.dim), dtype=np.float32)

    def save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self._vectors)
        np.savez(self._path, keys=np.array(keys), vectors=np.vstack([self._vectors[k] for k in keys]))


def seed_cache(cache: CachedEmbedder, settings: Settings) -> None:
    """Vectors the real index already holds (same model, same texts)."""
    root = settings.index_dir
    if not (root / "chunk_vectors.npy").is_file():
        return
    corpus = load_corpus(settings.corpus_dir)
    titles = {d.meta.doc_id: d.meta.short_title for d in corpus.documents}
    chunks = [Chunk.model_validate_json(line) for line in (root / "chunks.jsonl").read_text().splitlines()]
    sentences = [Sentence.model_validate_json(line) for line in (root / "sentences.jsonl").read_text().splitlines()]
    cache.remember([searchable_text(c, titles[c.doc_id]) for c in chunks], np.load(root / "chunk_vectors.npy"))
    cache.remember([s.text for s in sentences], np.load(root / "sentence_vectors.npy"))


def generate(corpus_dir: Path, count: int) -> dict[str, dict]:
    """Write `count` generated pools into corpus_dir; returns per pool what was written into it."""
    corpus = load_corpus(corpus_dir)
    written: dict[str, dict] = {}
    sources = list(SOURCES)
    for i in range(count):
        source_id = sources[i % len(sources)]
        source = SOURCES[source_id]
        topic, abbreviation = TOPICS[i]
        pool = f"gen-{i:02d}-{re.sub(r'[^a-z0-9]+', '-', abbreviation.lower().translate(_ASCII)).strip('-')}"
        amount = f"{3 + i % 17},{i % 10} mio. kr."
        deadline = f"{1 + i % 27}. {MONTHS[i % len(MONTHS)]} 2026 kl. 12:00"
        text = (corpus_dir / corpus.document(source_id).path).read_text(encoding="utf-8")
        text = text.replace(source["topic"], topic).replace(source["amount"], amount)
        text = text.replace(source["deadline"], deadline)
        if source["abbreviation"]:
            text = text.replace(source["abbreviation"], abbreviation)
        text = re.sub(r"^doc_id: .*$", f"doc_id: {pool}-vejledning", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^pool: .*$", f"pool: {pool}", text, count=1, flags=re.MULTILINE)
        title = f"Vejledning til ansøgningspuljen til {topic} ({abbreviation}) 2026"
        text = re.sub(r"^title: .*$", f"title: {json.dumps(title, ensure_ascii=False)}", text, count=1,
                      flags=re.MULTILINE)
        folder = corpus_dir / pool
        folder.mkdir()
        (folder / f"{pool}-vejledning.md").write_text(text, encoding="utf-8")
        spec = PoolSpec(id=pool, **names_from_title(title))
        (folder / "pool.yaml").write_text(pool_yaml(spec.model_copy(update={"aliases": spec.generated_aliases()})),
                                          encoding="utf-8")
        written[pool] = {"source": source_id, "topic": topic, "abbreviation": abbreviation, "amount": amount,
                         "deadline": deadline, "sections": source["sections"]}
    corpus = load_corpus(corpus_dir)
    for pool in written:
        entries, _ = draft_facts(corpus, pool, verify=True)
        (corpus_dir / pool / "facts.yaml").write_text(facts_yaml(pool, entries, "bench"), encoding="utf-8")
    return written


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def bench_retrieval(retriever: HybridRetriever, corpus, generated: dict[str, dict], settings: Settings) -> dict:
    rows = {"scoped_r1": 0, "scoped_r3": 0, "postfilter_r1": 0, "postfilter_r3": 0, "postfilter_empty": 0,
            "outside_scope": 0, "n": 0}
    timings = {"scoped": [], "global": []}
    for pool, info in generated.items():
        for kind, question in QUESTIONS.items():
            want = info["sections"][kind]
            vector = retriever.embed_question(question)
            started = time.perf_counter()
            scoped = retriever.search(question, vector, pools=(pool, None))
            timings["scoped"].append(time.perf_counter() - started)
            started = time.perf_counter()
            everything = retriever.search(question, vector)
            timings["global"].append(time.perf_counter() - started)
            filtered = [h for h in everything if h.chunk.pool in (pool, None)]
            right = [(h.chunk.pool == pool and h.chunk.section == want) for h in scoped]
            old = [(h.chunk.pool == pool and h.chunk.section == want) for h in filtered]
            rows["n"] += 1
            rows["scoped_r1"] += bool(right[:1] and right[0])
            rows["scoped_r3"] += any(right[:3])
            rows["postfilter_r1"] += bool(old[:1] and old[0])
            rows["postfilter_r3"] += any(old[:3])
            rows["postfilter_empty"] += not filtered
            rows["outside_scope"] += sum(h.chunk.pool not in (pool, None) for h in scoped)
    n = rows["n"]
    scoped_ms = [t * 1000 for t in timings["scoped"]]
    global_ms = [t * 1000 for t in timings["global"]]
    return {
        "questions": n,
        "scoped_r1": round(rows["scoped_r1"] / n, 3), "scoped_r3": round(rows["scoped_r3"] / n, 3),
        "postfilter_r1": round(rows["postfilter_r1"] / n, 3), "postfilter_r3": round(rows["postfilter_r3"] / n, 3),
        "postfilter_no_passage_of_the_pool": rows["postfilter_empty"], "scoped_hits_outside_scope": rows["outside_scope"],
        "search_ms_scoped_p50": round(statistics.median(scoped_ms), 2),
        "search_ms_scoped_p95": round(percentile(scoped_ms, 95), 2),
        "search_ms_global_p50": round(statistics.median(global_ms), 2),
        "search_ms_global_p95": round(percentile(global_ms, 95), 2),
        "scoped_over_global_p50": round(statistics.median(scoped_ms) / statistics.median(global_ms), 2),
    }


def everyday_names(info: dict) -> list[str]:
    topic = info["topic"]
    typo = topic[:3] + topic[4:] if len(topic) > 8 else topic  # one letter dropped
    return [f"Hvornår er fristen i {info['abbreviation']}-puljen?", f"Hvem kan søge puljen til {typo}?",
            f"hvor mange penge er der i {topic}puljen"]


def bench_names(settings: Settings, generated: dict[str, dict], corpus, skip_ask: bool) -> dict:
    specs = load_pool_specs(settings.corpus_dir, corpus.pools)
    matcher = PoolMatcher(specs)
    right = total = 0
    wrong: list[tuple[str, str, list[str]]] = []
    timings: list[float] = []
    for pool, info in generated.items():
        for question in everyday_names(info):
            total += 1
            started = time.perf_counter()
            found = matcher.pools(question)
            timings.append((time.perf_counter() - started) * 1000)
            if found == [pool]:
                right += 1
            else:
                wrong.append((pool, question, found))
    report: dict = {"matcher_right": right, "matcher_total": total, "matcher_misses": wrong[:10],
                    "matcher_ms_p50": round(statistics.median(timings), 2),
                    "matcher_ms_p95": round(percentile(timings, 95), 2)}
    if skip_ask:
        return report
    try:
        from assistant import Assistant

        assistant = Assistant.load(settings)
        cited = asked = 0
        latencies = []
        for pool, info in list(generated.items()):
            for question in everyday_names(info)[:2]:
                started = time.perf_counter()
                answer = assistant.ask(question, now=datetime(2026, 1, 5, 12, 0))
                latencies.append((time.perf_counter() - started) * 1000)
                asked += 1
                pools = {c.doc_id.removesuffix("-vejledning") for c in answer.citations}
                cited += pools == {pool}
        report |= {"ask_cites_only_the_named_pool": cited, "ask_total": asked,
                   "ask_ms_p50": round(statistics.median(latencies), 1),
                   "ask_ms_p95": round(percentile(latencies, 95), 1)}
    except Exception as exc:  # noqa: BLE001 - the answer pipeline is being rewritten: report what broke
        report["ask_error"] = f"{type(exc).__name__}: {exc}"
    return report


def bench_drafts(settings: Settings, generated: dict[str, dict]) -> dict:
    from assistant.rules.facts import load_facts

    facts = load_facts(load_corpus(settings.corpus_dir), settings.corpus_dir)
    right = total = 0
    for pool, info in generated.items():
        got = {f.key: f.display for f in facts[pool].facts}
        for key, wanted in (("ansoegningsfrist", info["deadline"]), ("puljebeloeb", info["amount"])):
            total += 1
            right += got.get(key) == wanted
    return {"drafted_right": right, "drafted_total": total}


def as_template_text(markdown: str, title: str, deadline: str) -> str:
    """A curated vejledning back as the plain text of the authority's template: title, deadline line, table of
    contents, numbered headings, body — a real-size vejledning that `pool add` has never seen as Markdown."""
    body = markdown.split("\n---\n", 1)[1]
    headings = re.findall(r"^#{2,6} (.+?) \{#[^}]+\}$", body, flags=re.MULTILINE)
    body = re.sub(r"^#{2,6} (.+?) \{#[^}]+\}$", r"\1", body, flags=re.MULTILINE).replace("**", "")
    return f"{title}\n\nAnsøgningsfrist: {deadline}\n\nINDHOLDSFORTEGNELSE\n" + "\n".join(headings) + "\n\n" + body


def bench_add(settings: Settings, workdir: Path, real_corpus: Path) -> dict:
    """Seconds for `pool add` into the 50-pool corpus, real embedding (no cache): what staff wait for."""
    embedder = make_embedder(settings)
    real_size = workdir / "saerligsoc-template.txt"
    curated = load_corpus(real_corpus).document("saerligsoc-2025-vejledning")
    real_size.write_text(as_template_text((real_corpus / curated.path).read_text(encoding="utf-8"),
                                          "Vejledning til ansøgningspuljen til bænke i parker (BÆNK) 2026",
                                          "7. august 2025 kl. 23:59"), encoding="utf-8")
    result = {}
    for pool, path in (("bench-real-size", real_size), ("bench-fixture", FIXTURE), ("bench-ocr-seed", SEED_OCR)):
        started = time.perf_counter()
        try:
            report = add_pool(path, pool, settings, embedder)
        except IngestError as exc:  # a finding to report, not a crash of the benchmark
            result[pool] = {"refused": str(exc)}
            continue
        result[pool] = {"seconds": round(time.perf_counter() - started, 1), "sections": len(report.sections),
                        "facts": len(report.facts), "index": report.index,
                        "chunks": sum(1 for c in load_index(load_corpus(settings.corpus_dir), settings,
                                                            embedder).chunks if c.pool == pool)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="50-pool benchmark")
    parser.add_argument("--pools", type=int, default=50, help="pools in all, the corpus's own included")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-add", action="store_true")
    parser.add_argument("--skip-ask", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    args = parser.parse_args(argv)

    real = get_settings()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-pools-"))
    shutil.rmtree(root / "corpus", ignore_errors=True)
    shutil.copytree(real.corpus_dir, root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "indexes")
    # Code that still reads the global settings (the facts loader, the assistant) must see the copy too.
    os.environ["ASSISTANT_CORPUS_DIR"] = str(settings.corpus_dir)
    os.environ["ASSISTANT_INDEX_DIR"] = str(settings.index_dir)
    get_settings.cache_clear()
    existing = len(load_corpus(settings.corpus_dir).pools)
    generated = generate(settings.corpus_dir, args.pools - existing)
    corpus = load_corpus(settings.corpus_dir)
    print(f"{len(corpus.pools)} pools, {len(corpus.documents)} documents in {root}")

    cache = CachedEmbedder(make_embedder(real), CACHE)
    seed_cache(cache, real)
    started = time.perf_counter()
    manifest = build_index(corpus, settings, cache)
    cache.save()
    report = {"pools": len(corpus.pools), "chunks": manifest.chunks, "sentences": manifest.sentences,
                    "build_seconds": round(time.perf_counter() - started, 1),
                    "cache_hits": cache.hits, "cache_misses": cache.misses}
    embedder = make_embedder(real)
    retriever = HybridRetriever(load_index(corpus, settings, embedder), embedder, settings)

    def done(stage: str, result: dict) -> None:  # each stage's figures are out before the next one starts
        report[stage] = result
        print(stage, json.dumps(result, ensure_ascii=False, indent=2), flush=True)
        if args.json:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    done("build", dict(report))
    done("retrieval", bench_retrieval(retriever, corpus, generated, settings))
    done("drafts", bench_drafts(settings, generated))
    done("names", bench_names(settings, generated, corpus, args.skip_ask))
    if not args.skip_add:
        done("pool_add", bench_add(settings, root, real.corpus_dir))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
