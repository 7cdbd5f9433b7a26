"""Every citation names a public source or a file in this repository.

Research notes outside the project (facts.md, catalog-data.md, perf-anchors.md, anchors.md, a
shared folder, an issue number) are not something a reader can open: citing them fails here. The
acceptance figures and their public sources are in docs/references.md. A path to a file of the
repository mentioned in the docs, code or data must exist.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(
    r"(?<![\w-])(facts\.md|catalog-data\.md|perf-anchors\.md|anchors\.md)|\.\./shared"
    r"|\bissues? ?#?\d+\b|\b(facts|catalog-data|perf-anchors|anchors) (§|section\b)", re.I)
PATH = re.compile(r"(?<![\w./-])((?:docs|tests|src|examples|benchmarks)/[\w./-]+?\.(?:md|py|toml|csv|json|html))\b")
TEXT = (".py", ".md", ".toml", ".txt", ".csv", ".json", ".html", ".cfg", ".ini", ".yml", ".yaml")

# Files of other parts that still cite notes outside the project. The list may only shrink:
# the test fails for a listed file that no longer needs to be listed.
STILL_TO_CLEAN: set[str] = set()


def project_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        names = out.split()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()
                 and not any(part.startswith(".") and part != ".ci" for part in p.parts)]
    return sorted(n for n in names if n.endswith(TEXT) or n == ".ci/run")


def _text(name: str) -> str:
    try:
        return (ROOT / name).read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError):
        return ""


def citing_files() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in project_files():
        if name == "tests/test_references.py":
            continue
        for number, line in enumerate(_text(name).splitlines(), start=1):
            if FORBIDDEN.search(line):
                found.setdefault(name, []).append(f"{number}: {line.strip()[:120]}")
    return found


def test_no_citation_of_notes_outside_the_project():
    found = citing_files()
    new = {name: lines for name, lines in found.items() if name not in STILL_TO_CLEAN}
    assert not new, "cite a public source or docs/references.md instead:\n" + "\n".join(
        f"{name}:{line}" for name, lines in new.items() for line in lines[:5])


def test_the_allow_list_only_shrinks():
    found = citing_files()
    clean = sorted(name for name in STILL_TO_CLEAN if name not in found)
    assert not clean, f"now clean, remove from STILL_TO_CLEAN: {clean}"


def test_paths_named_in_the_project_exist():
    files = set(project_files())
    missing = []
    for name in files:
        for number, line in enumerate(_text(name).splitlines(), start=1):
            for path in PATH.findall(line):
                if any(c in path for c in "*<>{}") or (ROOT / path).exists():
                    continue
                missing.append(f"{name}:{number}: {path}")
    assert not missing, "references to files that are not in the repository:\n" + "\n".join(missing)


def test_references_page_gives_an_address_for_every_source_table_row():
    rows = [line for line in (ROOT / "docs" / "references.md").read_text().splitlines()
            if line.startswith("| ") and not line.startswith(("| figure", "| source", "|---"))]
    assert len(rows) > 30
    unsourced = [r for r in rows if "http" not in r and "tests/" not in r and "catalog" not in r
                 and "Spreen" not in r]
    assert not unsourced, unsourced
