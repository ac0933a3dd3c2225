"""Draft quality, measured: re-draft every pool's facts from its own documents (as `assistant pool add` would)
and compare them with the curated corpus/<pool>/facts.yaml — recall per key and every wrong value.

    python -m evals.draft_quality [--corpus corpus/] [--json report.json]

A curated fact counts as found when the draft for its key has the same value (text: the same words, folded,
or one containing the other). A wrong value is a draft whose value no curated fact of that key and pool has;
with `--yes` it would be marked verified when its sentence is verbatim, which the report says too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from assistant.corpus import load_corpus
from assistant.danish import fold
from assistant.ingest.facts_draft import cues, draft_facts
from assistant.rules.facts import FactEntry, Period, load_facts
from assistant.settings import get_settings


def same_value(draft: FactEntry, curated: FactEntry) -> bool:
    a, b = draft.value, curated.value
    if isinstance(a, Period) or isinstance(b, Period):
        return isinstance(a, Period) and isinstance(b, Period) and (a.start, a.end) == (b.start, b.end)
    if isinstance(a, str) or isinstance(b, str):
        fa, fb = fold(str(a)), fold(str(b))
        return bool(fa and fb) and (fa == fb or fa in fb or fb in fa)
    return type(a) is type(b) and a == b


def measure(corpus_dir: Path) -> dict:
    corpus = load_corpus(corpus_dir)
    curated = load_facts(corpus, corpus_dir)
    drafted_keys = {c.key for c in cues()}
    per_key: dict[str, dict[str, int]] = defaultdict(lambda: {"curated": 0, "found": 0, "missed": 0, "wrong": 0})
    wrong: list[dict] = []
    missed: list[dict] = []
    extra: list[dict] = []
    for pool, facts in curated.items():
        drafts, _ = draft_facts(corpus, pool, verify=True)
        by_key = {d.key: d for d in drafts}
        for fact in facts.facts:
            if fact.key not in drafted_keys:
                continue
            row = per_key[fact.key]
            row["curated"] += 1
            draft = by_key.get(fact.key)
            if draft is not None and same_value(draft, fact):
                row["found"] += 1
            else:
                row["missed"] += 1
                missed.append({"pool": pool, "key": fact.key, "round": fact.round, "curated": fact.display,
                               "drafted": draft.display if draft else None})
        for draft in drafts:
            if not facts.all(draft.key):  # a key the curated file does not have: to read by hand
                extra.append({"pool": pool, "key": draft.key, "drafted": draft.display, "section": draft.section,
                              "quote": draft.quote})
                continue
            if not any(same_value(draft, f) for f in facts.all(draft.key)):
                per_key[draft.key]["wrong"] += 1
                wrong.append({"pool": pool, "key": draft.key, "drafted": draft.display, "section": draft.section,
                              "curated": [f.display for f in facts.all(draft.key)],
                              "verified_by_yes": draft.status == "verified", "quote": draft.quote})
    total = sum(r["curated"] for r in per_key.values())
    found = sum(r["found"] for r in per_key.values())
    not_drafted = sorted({f.key for facts in curated.values() for f in facts.facts} - drafted_keys)
    return {"recall": round(found / total, 3) if total else None, "found": found, "curated": total,
            "per_key": dict(sorted(per_key.items())), "wrong": wrong, "missed": missed, "extra": extra,
            "keys_not_drafted": not_drafted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    report = measure(args.corpus or get_settings().corpus_dir)
    print(f"Draft recall (right value): {report['found']}/{report['curated']} = {report['recall']:.0%}")
    print("| key | curated | found | missed | wrong |\n|---|---|---|---|---|")
    for key, row in report["per_key"].items():
        print(f"| {key} | {row['curated']} | {row['found']} | {row['missed']} | {row['wrong']} |")
    print(f"Wrong values: {len(report['wrong'])} "
          f"({sum(w['verified_by_yes'] for w in report['wrong'])} that --yes would mark verified)")
    for w in report["wrong"]:
        print(f"  - {w['pool']} / {w['key']}: drafted {w['drafted']!r} (afsnit {w['section']}), curated {w['curated']}")
    for m in report["missed"]:
        print(f"  · missed {m['pool']} / {m['key']} (round {m['round']}): curated {m['curated']!r}, "
              f"drafted {m['drafted']!r}")
    for e in report["extra"]:
        print(f"  + drafted, not in the curated file: {e['pool']} / {e['key']} = {e['drafted']!r} "
              f"(afsnit {e['section']}): {e['quote']!r}")
    print(f"Curated keys the drafter has no cue for: {', '.join(report['keys_not_drafted'])}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
