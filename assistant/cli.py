"""The `assistant` command: chat, ask, build-index, corpus check, ingest, eval, serve, gradio (dev console)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import get_settings

logger = logging.getLogger("assistant")


def _offline_environment() -> None:
    # Nothing may reach a model hub or a telemetry host at run time (see shared/FINDINGS.md).
    for name, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                        "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(name, value)


def cmd_build_index(args: argparse.Namespace) -> int:
    from assistant.corpus import load_corpus
    from assistant.embedding import make_embedder
    from assistant.index import build_index, read_manifest, stale_reasons

    settings = get_settings()
    corpus = load_corpus(settings.corpus_dir)
    _verify_facts(corpus)
    embedder = make_embedder(settings)
    if args.if_stale:
        try:
            if not stale_reasons(read_manifest(settings), corpus, settings, embedder.model_id):
                _record_checksums(settings.index_dir, only_if_missing=True)
                print(f"Indekset i {settings.index_dir} er opdateret.")
                return 0
        except AssistantError:
            pass
    with _progress_bars() as progress:
        manifest = build_index(corpus, settings, embedder, progress)
    _record_checksums(settings.index_dir)
    print(f"Indeks bygget i {settings.index_dir}: {manifest.chunks} tekststykker, {manifest.sentences} "
          f"sætninger, {manifest.built_seconds} s.")
    return 0


def _record_checksums(index_dir: Path, only_if_missing: bool = False) -> None:
    from assistant.integrity import CHECKSUMS, write_checksums

    if not (only_if_missing and (index_dir / CHECKSUMS).exists()):
        write_checksums(index_dir)


def _verify_facts(corpus) -> None:
    try:
        from assistant.rules.facts import load_facts
    except ImportError:  # the rules layer is optional until it lands
        return
    load_facts(corpus)


def cmd_corpus_check(args: argparse.Namespace) -> int:
    from assistant.corpus import check_corpus, load_corpus

    corpus = load_corpus(get_settings().corpus_dir)
    problems = check_corpus(corpus)
    for problem in problems:
        print(problem)
    sections = sum(len(d.sections) for d in corpus.documents)
    if problems:
        print(f"{len(problems)} problemer i korpus.", file=sys.stderr)
        return 1
    print(f"Korpus OK: {len(corpus.documents)} dokumenter, {sections} afsnit.")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.ingest import ingest_file

    report = ingest_file(Path(args.file), doc_id=args.doc_id, pool=args.pool, kind=args.kind,
                         corpus_dir=get_settings().corpus_dir, title=args.title, force=args.force)
    print(f"Udkast skrevet: {report.path}")
    print(f"Afsnit fundet: {', '.join(report.headings) or 'ingen'}")
    print(f"Fjernede sidelinjer: {report.removed_lines}")
    print(f"Rettede ord ({len(report.repaired)}): "
          + ", ".join(f"{a}→{b}" for a, b in sorted(report.repaired.items())))
    print(f"Ukendte ord ({len(report.unknown)}): " + ", ".join(report.unknown))
    print("Gennemlæs udkastet, og kør derefter `assistant corpus check`.")
    return 0


# --- pool add / list / remove (assistant/ingest/pool_add.py) ------------------------------------------------


@contextlib.contextmanager
def _progress_bars():
    """A progress callback (stage, done, total) drawing one tqdm bar per stage."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    names = {"dokument": "Læser og reparerer dokumentet"}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage) or bars.setdefault(
            stage, tqdm(total=total, desc=names.get(stage, f"Indlejrer {stage}"), unit=" stk"))
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


def cmd_pool_add(args: argparse.Namespace) -> int:
    from assistant.embedding import make_embedder
    from assistant.ingest.pool_add import RESTART_NOTE, add_pool

    settings = get_settings()
    with _progress_bars() as progress:
        report = add_pool(Path(args.file), args.pool, settings, make_embedder(settings), name=args.name,
                          verify=args.yes, progress=progress)
    print(f"Puljen {report.pool} er tilføjet på {report.seconds} s: {report.spec.name} "
          f"(kort navn: {report.spec.short_name}).")
    print(f"Dokument: {report.document} – {len(report.sections)} afsnit: {', '.join(report.sections)}")
    print(f"Fakta i {report.document.parent / 'facts.yaml'}:")
    for fact in report.facts:
        print(f"  • {fact.key}: {fact.display} (afsnit {fact.section}, {fact.status})")
    for problem in report.left_out:
        print(f"  ! udeladt: {problem}")
    drafts = sum(f.status == "draft" for f in report.facts)
    if drafts:
        print(f"{drafts} fakta er udkast og vises først som fakta, når en medarbejder har godkendt dem "
              "(status: verified). Søgning og citater virker med det samme.")
    for alias, pools in report.collisions.items():
        print(f"  ! navnet «{alias}» bruges også af {', '.join(pools)} – ret aliases i pool.yaml")
    print(f"Navne og aliaser til gennemsyn: {report.document.parent / 'pool.yaml'}")
    print(f"Indeks {report.index}. {RESTART_NOTE}")
    return 0


def cmd_pool_list(args: argparse.Namespace) -> int:
    from assistant.ingest.pool_add import list_pools

    for pool in list_pools(get_settings()):
        print(f"{pool.pool}: {pool.name} – {len(pool.documents)} dokument(er), {pool.verified} godkendte fakta, "
              f"{pool.drafts} udkast")
    return 0


def cmd_pool_remove(args: argparse.Namespace) -> int:
    from assistant.embedding import make_embedder
    from assistant.ingest.pool_add import RESTART_NOTE, remove_pool

    settings = get_settings()
    removed = remove_pool(args.pool, settings, make_embedder(settings))
    print(f"Puljen {args.pool} er fjernet fra korpus og indeks ({', '.join(removed)}). {RESTART_NOTE}")
    return 0


def _add_pool_commands(sub) -> None:
    p = sub.add_parser("pool", help="tilføj, vis og fjern puljer")
    pool_sub = p.add_subparsers(dest="pool_command", required=True)
    p = pool_sub.add_parser("add", help="gør en ny vejledning (TXT, PDF, DOCX, HTML) til en pulje")
    p.add_argument("file")
    p.add_argument("--pool", required=True, help="puljens id, fx 'groen-2026'")
    p.add_argument("--name", default=None, help="puljens navn (ellers fra vejledningens titel)")
    p.add_argument("--yes", action="store_true", help="godkend fakta, hvis sætning står ordret i dokumentet")
    p.set_defaults(func=cmd_pool_add)
    pool_sub.add_parser("list", help="vis puljerne").set_defaults(func=cmd_pool_list)
    p = pool_sub.add_parser("remove", help="fjern en pulje fra korpus og indeks")
    p.add_argument("pool")
    p.set_defaults(func=cmd_pool_remove)


# --- end of pool commands -------------------------------------------------------------------------------------


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    print(answer.answer)
    if answer.clarification:
        print(f"\n{answer.clarification}")
    for fact in answer.facts:
        print(f"  • {fact.key}: {fact.display}")
    if answer.citations:
        print("\nKilder:")
        for i, c in enumerate(answer.citations, 1):
            print(f"  [{i}] {c.label}")


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant import Assistant

    answer = Assistant.load().ask(args.question, pool=args.pool, now=args.now)
    _print_answer(answer, args.json)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant import Assistant

    assistant = Assistant.load()
    history: list[dict] = []
    print("Tilskudsassistenten – skriv dit spørgsmål (tom linje eller Ctrl-D for at afslutte).")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = assistant.ask(question, pool=args.pool, history=history)
        except AssistantError as exc:
            print(exc)
            continue
        _print_answer(answer, False)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.harness import main as run_eval

    return run_eval(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.web.server import serve

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    # Only where there is a screen: on a headless Linux server a browser would start and fail noisily.
    has_screen = sys.platform != "linux" or any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY"))
    if args.open and has_screen:
        import threading
        import webbrowser

        threading.Timer(3.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    serve(settings, host, port, args.workers, repair_index=args.repair_index)
    return 0


def cmd_gradio(args: argparse.Namespace) -> int:
    from assistant.web.console import launch_console

    launch_console(get_settings(), args.host, args.port)
    return 0


# -- web data: retention (the web layer owns this block) ---------------------------------------------------


def cmd_purge(args: argparse.Namespace) -> int:
    from assistant.storage import Storage

    settings = get_settings()
    days = settings.retention_days if args.days is None else args.days
    storage = Storage.from_settings(settings)
    if not storage.connect():
        raise AssistantError(f"Databasen kan ikke nås: {storage.problem}")
    report = storage.purge(days)
    print(f"Slettet (ældre end {days} dage): {report.questions} spørgsmål og svar, {report.feedback} vurderinger, "
          f"{report.chat_sessions} samtaler, {report.staff_sessions} udløbne logins.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Tilskudsassistenten")
    parser.add_argument("-v", "--verbose", action="store_true", help="vis log-linjer")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-index", help="byg søgeindekset i indexes/")
    p.add_argument("--if-stale", action="store_true", help="byg kun, hvis indekset mangler eller er forældet")
    p.set_defaults(func=cmd_build_index)

    p = sub.add_parser("corpus", help="korpusværktøjer")
    corpus_sub = p.add_subparsers(dest="corpus_command", required=True)
    corpus_sub.add_parser("check", help="kontrollér korpus").set_defaults(func=cmd_corpus_check)

    p = sub.add_parser("ingest", help="lav et Markdown-udkast af et råt dokument (TXT, PDF, DOCX, HTML)")
    p.add_argument("file")
    p.add_argument("--doc-id", required=True)
    p.add_argument("--pool", default=None)
    p.add_argument("--kind", required=True, choices=["vejledning", "faq", "webside", "pjece"])
    p.add_argument("--title", default=None)
    p.add_argument("--force", action="store_true", help="overskriv et eksisterende udkast")
    p.set_defaults(func=cmd_ingest)

    _add_pool_commands(sub)

    p = sub.add_parser("ask", help="stil ét spørgsmål")
    p.add_argument("question")
    p.add_argument("--pool", default=None)
    p.add_argument("--now", default=None, help="ISO-tidspunkt (til test)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="samtale i terminalen")
    p.add_argument("--pool", default=None)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="mål kvalitet og hastighed på evals/dev.jsonl")
    p.add_argument("--set", default=None, help="spørgsmålsfil (JSONL)")
    p.add_argument("--split", choices=["dev", "test", "holdout"], default=None,
                   help="evals/<split>.jsonl (test: only scored, never tuned on)")
    p.add_argument("--report", default=None, help="skriv JSON-rapport hertil")
    p.add_argument("--no-baselines", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="start webserveren")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--open", action="store_true", help="åbn siden i browseren, når serveren kører")
    p.add_argument("--workers", type=int, default=None, help="svarprocesser (standard: én pr. CPU; 0: i webprocessen)")
    p.add_argument("--repair-index", action="store_true", help="byg indekset igen, hvis det er ændret eller beskadiget")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("gradio", help="udviklerkonsol i gradio, kun på denne maskine (ikke den offentlige side)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_gradio)

    p = sub.add_parser("purge", help="slet spørgsmål, svar, vurderinger og samtaler ældre end opbevaringstiden")
    p.add_argument("--days", type=int, default=None, help="opbevaringstid i dage (standard: ASSISTANT_RETENTION_DAYS)")
    p.set_defaults(func=cmd_purge)
    return parser


def main(argv: list[str] | None = None) -> int:
    _offline_environment()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except AssistantError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
