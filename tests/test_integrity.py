"""Index integrity: SHA-256 of every index file recorded at build, verified before serving; a modified or
truncated file ends `serve` with a clear message and exit code 2, never a traceback."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from assistant.errors import IndexCorrupt
from assistant.integrity import CHECKSUMS, verify_checksums, write_checksums
from assistant.settings import PROJECT_ROOT
from tests.conftest import web_run_cli


def test_checksums_catch_changed_truncated_missing_and_extra_files(tmp_path):
    (tmp_path / "dense").mkdir()
    (tmp_path / "dense" / "vectors.bin").write_bytes(b"\x00" * 100)
    (tmp_path / "chunks.jsonl").write_text('{"text": "Ansøgningsfristen er den 7. august 2025."}\n')
    assert not verify_checksums(tmp_path)  # nothing recorded yet
    write_checksums(tmp_path)
    assert verify_checksums(tmp_path)
    cases = [
        lambda: (tmp_path / "chunks.jsonl").write_text('{"text": "Ansøgningsfristen er den 8. august 2025."}\n'),
        lambda: (tmp_path / "dense" / "vectors.bin").write_bytes(b"\x00" * 50),
        lambda: (tmp_path / "dense" / "vectors.bin").unlink(),
        lambda: (tmp_path / "dense" / "extra.bin").write_bytes(b"x"),
        lambda: (tmp_path / CHECKSUMS).write_text("not json"),
    ]
    for damage in cases:
        write_checksums(tmp_path) if (tmp_path / "dense" / "vectors.bin").exists() else None
        damage()
        with pytest.raises(IndexCorrupt, match="beskadiget"):
            verify_checksums(tmp_path)
        (tmp_path / "dense" / "vectors.bin").write_bytes(b"\x00" * 100)
        (tmp_path / "dense" / "extra.bin").unlink(missing_ok=True)
        (tmp_path / "chunks.jsonl").write_text('{"text": "Ansøgningsfristen er den 7. august 2025."}\n')
        write_checksums(tmp_path)


@pytest.fixture
def index_copy(web_index, tmp_path):
    target = tmp_path / "index"
    shutil.copytree(PROJECT_ROOT / "indexes", target)
    write_checksums(target)
    return target


def serve(index_dir, tmp_path) -> subprocess.CompletedProcess:
    extra = {"ASSISTANT_INDEX_DIR": str(index_dir)}
    return web_run_cli("serve", "--port", "1", "--workers", "0", data_dir=tmp_path / "data", env_extra=extra)


def test_serve_refuses_a_modified_index_file(index_copy, tmp_path):
    sentences = index_copy / "sentences.jsonl"
    sentences.write_text(sentences.read_text(encoding="utf-8").replace("7. august", "9. august", 1), encoding="utf-8")
    result = serve(index_copy, tmp_path)
    assert result.returncode == 2
    assert "sentences.jsonl" in result.stderr and "build-index" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_refuses_a_truncated_index_file_even_without_checksums(index_copy, tmp_path):
    vectors = index_copy / "sentence_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:1000])
    result = serve(index_copy, tmp_path)
    assert result.returncode == 2 and "sentence_vectors.npy" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    (index_copy / CHECKSUMS).unlink()  # an index from before checksums: the load itself fails cleanly
    result = serve(index_copy, tmp_path)
    assert result.returncode == 2 and "kunne ikke indlæses" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (index_copy / CHECKSUMS).exists()  # a corrupt index is never recorded as good
