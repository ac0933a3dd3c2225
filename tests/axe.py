"""axe-core for the accessibility tests: one pinned version from the npm registry, installed into .cache/axe
on first use (`python -m tests.axe` installs it ahead, as `make test` does)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

AXE_VERSION = "4.10.3"
ROOT = Path(__file__).resolve().parent.parent / ".cache" / "axe"
SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 and 2.1, levels A and AA (what webtilgængelighedsloven requires via EN 301 549).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def installed_version() -> str | None:
    package = ROOT / "node_modules" / "axe-core" / "package.json"
    if not package.exists():
        return None
    import json

    return json.loads(package.read_text(encoding="utf-8")).get("version")


def ensure() -> Path:
    """The path of axe.min.js at the pinned version, installing it with npm when missing or another version."""
    if SCRIPT.exists() and installed_version() == AXE_VERSION:
        return SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing: `apt-get install -y npm` (`make test` does it) installs it.")
    ROOT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--prefix",
            str(ROOT),
            f"axe-core@{AXE_VERSION}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    if installed_version() != AXE_VERSION:
        raise RuntimeError(f"npm did not install axe-core {AXE_VERSION} into {ROOT}")
    return SCRIPT


if __name__ == "__main__":
    print(f"axe-core {AXE_VERSION}: {ensure()}", file=sys.stderr)
