"""Index integrity: a SHA-256 of every index file, recorded when the index is built and verified before it
is served, so a modified or truncated file is refused with a clear message instead of quoted "verbatim"."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from assistant.errors import IndexCorrupt

logger = logging.getLogger(__name__)

CHECKSUMS = "checksums.json"
SKIPPED = {CHECKSUMS, "manifest.json", "README.md"}  # the manifest is checked by its own staleness rules


def _index_files(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.rglob("*") if p.is_file() and p.relative_to(index_dir).as_posix() not in SKIPPED)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(index_dir: Path) -> dict[str, str]:
    """Records the SHA-256 of every index file in index_dir/checksums.json."""
    files = {p.relative_to(index_dir).as_posix(): _sha256(p) for p in _index_files(index_dir)}
    payload = {"algorithm": "sha256", "files": files}
    tmp = index_dir / (CHECKSUMS + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(index_dir / CHECKSUMS)
    return files


def verify_checksums(index_dir: Path) -> bool:
    """True when every recorded file is present and unchanged; False when nothing was recorded (an index
    built before checksums existed). Raises IndexCorrupt on a changed, missing, extra or unreadable file."""
    path = index_dir / CHECKSUMS
    if not path.is_file():
        return False
    try:
        recorded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise IndexCorrupt(_message(index_dir, [CHECKSUMS])) from None
    present = {p.relative_to(index_dir).as_posix(): p for p in _index_files(index_dir)}
    bad = sorted(set(recorded) ^ set(present))
    for name in sorted(set(recorded) & set(present)):
        try:
            if _sha256(present[name]) != recorded[name]:
                bad.append(name)
        except OSError:
            bad.append(name)
    if bad:
        raise IndexCorrupt(_message(index_dir, bad))
    return True


def _message(index_dir: Path, names: list[str]) -> str:
    shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    return (
        f"Søgeindekset i {index_dir} er ændret eller beskadiget ({shown}). Byg det igen med "
        "`assistant build-index`, eller start med `assistant serve --repair-index`. "
        f"/ The search index in {index_dir} was modified or is corrupt ({shown}); rebuild it."
    )
