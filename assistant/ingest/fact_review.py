"""Staff review of drafted facts: each pool's documents and facts as the files on disk say, and «Godkend», which
rewrites one entry's `status` in corpus/<pool>/facts.yaml by a line edit (comments and order stay)."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.corpus import load_corpus
from assistant.corpus.pools import load_pool_specs
from assistant.errors import AssistantError
from assistant.rules.facts import FactEntry, check_entry, load_facts

logger = logging.getLogger(__name__)

_ITEM = re.compile(r"^(\s*)- ")
_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


class FactReviewError(AssistantError):
    """A fact could not be marked verified; the message is Danish and meant for staff."""


@dataclass(frozen=True)
class ReviewFact:
    key: str
    round: str | None
    label: str
    display: str
    doc_id: str
    section: str
    quote: str
    status: str
    problem: str = ""  # why the entry would not load (shown instead of a «Godkend» button)


@dataclass(frozen=True)
class ReviewDocument:
    doc_id: str
    title: str


@dataclass(frozen=True)
class ReviewPool:
    pool: str
    name: str
    documents: tuple[ReviewDocument, ...]
    facts: tuple[ReviewFact, ...]

    @property
    def drafts(self) -> int:
        return sum(f.status == "draft" for f in self.facts)


def _raw_facts(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    facts = raw.get("facts") if isinstance(raw, dict) else None
    return [f for f in facts if isinstance(f, dict)] if isinstance(facts, list) else []


def _round(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def review_pools(corpus_dir: Path) -> list[ReviewPool]:
    """Every pool in the corpus folder with its documents and the facts in its facts.yaml, drafts included."""
    corpus_dir = Path(corpus_dir)
    corpus = load_corpus(corpus_dir)
    specs = load_pool_specs(corpus_dir, corpus.pools)
    out = []
    for pool in corpus.pools:
        facts = []
        for item in _raw_facts(corpus_dir / pool / "facts.yaml"):
            problem = ""
            try:
                problems = check_entry(corpus, pool, FactEntry.model_validate(item))
                problem = "; ".join(problems)
            except ValidationError as exc:
                problem = f"ugyldig post ({exc.error_count()} fejl)"
            facts.append(
                ReviewFact(
                    key=str(item.get("key", "")),
                    round=_round(item.get("round")),
                    label=str(item.get("label", "")),
                    display=str(item.get("display", "")),
                    doc_id=str(item.get("doc_id", "")),
                    section=str(item.get("section", "")),
                    quote=str(item.get("quote", "")),
                    status=str(item.get("status", "verified")),
                    problem=problem,
                )
            )
        documents = tuple(ReviewDocument(d.meta.doc_id, d.meta.title) for d in corpus.documents if d.meta.pool == pool)
        out.append(ReviewPool(pool=pool, name=specs[pool].name, documents=documents, facts=tuple(facts)))
    return out


def set_verified(text: str, index: int) -> str:
    """facts.yaml text with the `index`-th entry of `facts:` marked `status: verified`: the entry's status line
    is rewritten, or one is added after its last line; every other line is kept as it was."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "facts:"), None)
    if start is None:
        raise FactReviewError("facts.yaml har ingen linje «facts:».")
    items: list[int] = []
    indent = None
    end = len(lines)
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if _TOP_KEY.match(line):  # the next top-level key ends the list
            end = i
            break
        match = _ITEM.match(line)
        if match and (indent is None or len(match.group(1)) == indent):
            indent = len(match.group(1))
            items.append(i)
    if index >= len(items):
        raise FactReviewError("Faktummet blev ikke fundet i facts.yaml.")
    first = items[index]
    last = items[index + 1] if index + 1 < len(items) else end
    field_indent = " " * (indent + 2)
    status = re.compile(rf"^{field_indent}status\s*:.*?(\r?\n)?$")
    for i in range(first, last):
        if status.match(lines[i]):
            newline = "\r\n" if lines[i].endswith("\r\n") else "\n" if lines[i].endswith("\n") else ""
            lines[i] = f"{field_indent}status: verified{newline}"
            return "".join(lines)
    # No status line (old curated entries default to verified, but be exact): add one after the last content line.
    body = [i for i in range(first, last) if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    at = body[-1] + 1
    if not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, f"{field_indent}status: verified\n")
    return "".join(lines)


def verify_fact(corpus_dir: Path, pool: str, key: str, round: str | None) -> None:
    """Marks the draft fact (pool, key, round) verified in corpus/<pool>/facts.yaml. Refuses — FactReviewError,
    the file untouched — when the entry is not a draft, does not hold against its document, or the edited file
    would not load with `load_facts`."""
    corpus_dir = Path(corpus_dir)
    corpus = load_corpus(corpus_dir)
    if pool not in corpus.pools:
        raise FactReviewError(f"Ukendt pulje: {pool!r}.")
    path = corpus_dir / pool / "facts.yaml"
    if not path.is_file():
        raise FactReviewError(f"Puljen {pool} har ingen facts.yaml.")
    text = path.read_text(encoding="utf-8")
    raw = _raw_facts(path)
    index = next((i for i, f in enumerate(raw) if f.get("key") == key and _round(f.get("round")) == round), None)
    if index is None:
        raise FactReviewError(f"Faktummet {key!r} findes ikke (længere) i {pool}/facts.yaml.")
    if raw[index].get("status", "verified") != "draft":
        raise FactReviewError(f"Faktummet {key!r} er allerede godkendt.")
    try:
        problems = check_entry(corpus, pool, FactEntry.model_validate({**raw[index], "status": "verified"}))
    except ValidationError as exc:
        problems = [f"ugyldig post ({exc.error_count()} fejl)"]
    if problems:
        raise FactReviewError(f"Faktummet {key!r} kan ikke godkendes: {'; '.join(problems)}. Ret facts.yaml først.")

    new_text = set_verified(text, index)
    expected = yaml.safe_load(text)
    expected["facts"][index]["status"] = "verified"
    if yaml.safe_load(new_text) != expected:  # the line edit changed more than the one status: never write it
        raise FactReviewError("facts.yaml kunne ikke rettes sikkert. Ret status: verified i filen i hånden.")
    _write(path, new_text)
    try:
        load_facts(corpus, corpus_dir)
    except AssistantError as exc:
        _write(path, text)
        raise FactReviewError(
            f"Faktummet {key!r} blev ikke godkendt: facts.yaml ville ikke kunne indlæses. {exc}"
        ) from None
    logger.info("fact verified: %s / %s (round %s)", pool, key, round)


def _write(path: Path, text: str) -> None:
    """Writes through a temporary file in the same folder, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".facts-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
