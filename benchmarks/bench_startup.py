"""Start-up and install size: cold `lifeboat --help` against `python -c pass`, and the base install.

1. Wall time of `lifeboat --help` in a fresh interpreter (median of several runs) against the
   named baseline `python -c pass` (interpreter start alone) measured in the same run; the goal
   is `lifeboat --help` <= 0.3 s. Also the modules the help imports.
2. The base install: every distribution `pip install lifeboat` pulls in (the dependency closure
   without extras) with its size on disk, and those of them that no module of the core imports
   (goal: none).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

LIFEBOAT = str(Path(sys.executable).with_name("lifeboat"))
RUNS = 7
GOAL_S = 0.3
# Modules that need an extra (web, distributed) or the dev tools (the SimPy reference).
OPTIONAL_MODULES = {"lifeboat.web.app", "lifeboat.risk.reference", "lifeboat.__main__"}


def median_wall_s(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _name(requirement: str) -> str | None:
    if ";" in requirement and "extra ==" in requirement.split(";", 1)[1]:
        return None
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    return match.group(0).lower().replace("_", "-") if match else None


def closure(root: str) -> dict[str, metadata.Distribution]:
    """Distributions needed by ``root`` without extras, by normalised name."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        todo += [n for n in map(_name, dist.requires or []) if n]
    return seen


def size_mb(dist: metadata.Distribution) -> float:
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total / 1e6


def used_top_level_modules() -> set[str]:
    """Top-level modules the core's source imports anywhere (also inside functions) or reads
    package data from (``resources.files("plotly")``), by a static scan of ``src/lifeboat``."""
    import ast

    import lifeboat

    root = Path(lifeboat.__file__).parent
    used: set[str] = set()
    for path in root.rglob("*.py"):
        module = "lifeboat." + ".".join(path.relative_to(root).with_suffix("").parts)
        if module.removesuffix(".__init__") in OPTIONAL_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                used.add(node.module.split(".")[0])
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "files" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                used.add(str(node.args[0].value).split(".")[0])
    return used


def direct_requirements(name: str) -> list[str]:
    return [n for n in map(_name, metadata.distribution(name).requires or []) if n]


def main() -> None:
    subprocess.run([LIFEBOAT, "--help"], capture_output=True, check=True)  # fill bytecode caches
    baseline = median_wall_s([sys.executable, "-c", "pass"])
    help_s = median_wall_s([LIFEBOAT, "--help"])
    modules = subprocess.run(
        [sys.executable, "-c", "import sys; from lifeboat.cli.app import app; "
         "from typer.main import get_command; get_command(app); print(len(sys.modules))"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"baseline `python -c pass`: {baseline:.3f} s")
    print(f"`lifeboat --help` cold: {help_s:.3f} s = {help_s / baseline:.1f}x the baseline, "
          f"{help_s - baseline:.3f} s of Lifeboat (goal <= {GOAL_S:g} s: "
          f"{'met' if help_s <= GOAL_S else 'NOT met'}); {modules} modules loaded")

    base = closure("lifeboat")
    base.pop("lifeboat", None)
    total = sum(size_mb(d) for d in base.values())
    print(f"base install: {len(base)} distributions, {total:.0f} MB on disk")
    for name, dist in sorted(base.items(), key=lambda kv: -size_mb(kv[1]))[:8]:
        print(f"  {name:<20} {size_mb(dist):7.1f} MB")
    modules = metadata.packages_distributions()
    used = {d.lower().replace("_", "-") for m in used_top_level_modules() for d in modules.get(m, [])}
    unused = [n for n in direct_requirements("lifeboat") if n not in used]
    needed = set()
    for n in direct_requirements("lifeboat"):
        if n in used:
            needed |= set(closure(n))
    unused_mb = sum(size_mb(d) for n, d in base.items() if n not in needed)
    print(f"declared dependencies the core never imports: {', '.join(unused) or 'none'} "
          f"({unused_mb:.1f} MB installed only for them; goal: none)")


if __name__ == "__main__":
    main()
