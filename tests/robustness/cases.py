"""The table of odd and malformed inputs the robustness harness feeds every command.

A case is a command line, the files it needs (made fresh in a temporary folder by a ``make``
function) and what must happen: ``refuse`` (exit code 2, one short message naming the file, the
field or the option) or ``any`` (exit 0 or a clean refusal). In every case: no traceback, no hang
(20 s), no NaN or Infinity in the output.

Run ``python tests/robustness/cases.py`` to try every case in its own process with a time and
memory limit and print the ones that fail (how ``KNOWN_FAILURES`` below was found).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ISS_SCENARIO = ROOT / "src" / "lifeboat" / "scenarios" / "iss-2018-12.toml"
TEXTBOOK = ROOT / "src" / "lifeboat" / "risk" / "architectures" / "textbook.toml"
SWEEP = ROOT / "examples" / "sweep-iss-mixed-tornado.toml"
TELEMETRY = ROOT / "examples" / "ms-09-like-telemetry.csv"
HAVEN = ROOT / "examples" / "catalog-haven-1.toml"
ISS_TLE = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996\n"
    "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664\n"
)
TLE_TIME = "2018-12-02T12:00:00Z"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]  # "{file}" is replaced by the path the maker returns
    expect: str  # "refuse" or "any"
    make: Callable[[Path], str] | None = None
    must_name: tuple[str, ...] = field(default=())  # words the refusal must contain
    needs_non_root: bool = False


# --- files: every odd kind, for every command that reads a file -------------------------------


def _write(name: str, data: bytes | str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(path)
    return make


def _fifo(folder: Path) -> str:
    path = folder / "pipe"
    os.mkfifo(path)
    return str(path)


def _directory(folder: Path) -> str:
    path = folder / "a-folder"
    path.mkdir()
    return str(path)


def _loop(folder: Path) -> str:
    a, b = folder / "loop-a", folder / "loop-b"
    a.symlink_to(b)
    b.symlink_to(a)
    return str(a)


def _unreadable(folder: Path) -> str:
    path = folder / "secret.toml"
    path.write_text("x = 1\n")
    path.chmod(0)
    return str(path)


def _huge(folder: Path) -> str:
    path = folder / "huge"
    with path.open("wb") as handle:  # sparse: no disk used
        handle.truncate(200 * 1024 * 1024)
    return str(path)


def _bom_copy(source: Path, name: str) -> Callable[[Path], str]:
    return _write(name, b"\xef\xbb\xbf" + source.read_bytes())


def _utf16_copy(source: Path, name: str) -> Callable[[Path], str]:
    return _write(name, source.read_text(encoding="utf-8").encode("utf-16"))


BAD_FILES: dict[str, Callable[[Path], str]] = {
    "missing": lambda folder: str(folder / "no-such-file"),
    "directory": _directory,
    "fifo": _fifo,
    "dev-zero": lambda folder: "/dev/zero",
    "symlink-loop": _loop,
    "huge-sparse": _huge,
    "empty": _write("empty", b""),
    "binary": _write("binary", bytes(range(256)) * 4),
    "nul-bytes": _write("nul", b"a = 1\x00\x00\n"),
    "deep-toml": _write("deep.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n"),
    "deep-tables": _write("deep2.toml", "a = " + "{b = " * 600 + "1" + "}" * 600 + "\n"),
    "huge-field": _write("field.csv", "utc,pressure_mmhg\n\"" + "9" * 300_000 + "\",1\n"),
    "garbage-text": _write("garbage", "this is not the file you are looking for\n" * 3),
}

# command template -> the kind of file it reads (for the good-file variants)
FILE_COMMANDS: dict[str, tuple[tuple[str, ...], Path | None]] = {
    "scenario-validate": (("scenario", "validate", "{file}"), ISS_SCENARIO),
    "assess": (("assess", "{file}", "--trials", "1000"), None),
    "risk": (("risk", "{file}", "--trials", "1000"), TEXTBOOK),
    "compare": (("compare", "{file}", "textbook", "--trials", "1000"), None),
    "sweep": (("sweep", "{file}"), None),
    "leak-fit": (("leak", "fit", "{file}", "--volume-m3", "916"), TELEMETRY),
    "windows-tle": (("windows", "--site", "baikonur", "--tle-file", "{file}", "--start",
                     TLE_TIME, "--days", "1"), None),
    "reach-tle": (("reach", "--tle-file", "{file}", "--days", "1"), None),
    "landings-tle": (("landings", "--vehicle", "soyuz-ms", "--tle-file", "{file}", "--undock",
                      TLE_TIME, "--days", "0.5"), None),
    "leak-scenario": (("leak", "--scenario", "{file}", "--hole-mm", "1"), None),
    "catalog-overlay": (("--catalog", "{file}", "catalog", "list", "sites"), HAVEN),
}


def file_cases() -> list[Case]:
    cases = []
    for command, (args, good) in FILE_COMMANDS.items():
        for kind, make in BAD_FILES.items():
            if kind == "huge-field" and command != "leak-fit":
                continue
            if kind in ("deep-toml", "deep-tables") and command in ("leak-fit",):
                continue
            cases.append(Case(f"{command}:{kind}", args, "refuse", make))
        cases.append(Case(f"{command}:unreadable", args, "refuse", _unreadable,
                          needs_non_root=True))
        if good is not None:
            cases.append(Case(f"{command}:utf8-bom", args, "any", _bom_copy(good, good.name)))
            cases.append(Case(f"{command}:utf16", args, "refuse", _utf16_copy(good, good.name)))
    tle_bad = {
        "tle-one-line": ISS_TLE.splitlines()[1] + "\n",
        "tle-bad-checksum": ISS_TLE.replace("9996", "9995"),
        # A letter where a digit belongs, checksum kept valid ('O' counts 0 like a space).
        "tle-letter-in-field": ISS_TLE.replace("51.6401", "5l.6401").replace("144664", "144669"),
        "tle-nan-field": ISS_TLE.replace("51.6401", "   nan ").replace("144664", "144668"),
        "tle-wrong-line-numbers": ISS_TLE.replace("\n2 25544", "\n1 25544"),
        "tle-crlf": ISS_TLE.replace("\n", "\r\n"),
        "tle-bom": "\ufeff" + ISS_TLE,
    }
    for name, text in tle_bad.items():
        args = FILE_COMMANDS["windows-tle"][0]
        expect = "any" if name in ("tle-crlf", "tle-bom") else "refuse"
        cases.append(Case(f"windows-tle:{name}", args, expect, _write("iss.tle", text)))
    return cases


# --- numbers and times: every numeric option with odd values ----------------------------------

ODD_NUMBERS = ("inf", "-inf", "nan", "1e308", "-1", "0", "1e-300", "abc", "")
ALWAYS_BAD = ("inf", "-inf", "nan", "abc", "")

NUMERIC_OPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name -> (base command line, options to vary)
    "windows": (("windows", "--site", "baikonur", "--station", "iss", "--start", TLE_TIME,
                 "--days", "1"), ("--days", "--max-tle-age-days")),
    "reach": (("reach", "--inclination", "51.6", "--altitude", "420", "--start", TLE_TIME,
               "--days", "1"), ("--inclination", "--altitude", "--days")),
    "landings": (("landings", "--vehicle", "soyuz-ms", "--station", "iss", "--undock", TLE_TIME,
                  "--days", "0.5"), ("--days", "--max-tle-age-days")),
    "abort": (("abort", "--launcher", "soyuz-fg", "--failure-time", "119"),
              ("--failure-time", "--azimuth")),
    "leak": (("leak", "--station", "iss", "--hole-mm", "2"), ("--hole-mm", "--cd", "--limit-mmhg")),
    "isolate": (("leak", "isolate", "--station", "iss", "--leak-in", "zvezda"),
                ("--hole-mm", "--cd", "--resolution-mmhg", "--wake-delay-h", "--hatch-h",
                 "--pinpoint-h", "--limit-mmhg")),
    "fit": (("leak", "fit", str(TELEMETRY), "--volume-m3", "916"), ("--cd", "--volume-m3")),
    "nrho": (("nrho",), ("--period-days", "--perilune-km")),
    "gateway": (("gateway-access", "--vehicle", "orion", "--decision", "2027-01-01T00:00:00Z"),
                ("--readiness-days",)),
    "risk": (("risk", "textbook", "--trials", "2000"), ("--trials", "--seed", "--workers")),
    "compare": (("compare", "textbook", "iss-mixed", "--trials", "2000"), ("--trials", "--seed")),
    "assess": (("assess", "--trials", "1000"), ("--trials", "--seed")),
}


def _with(base: tuple[str, ...], option: str, value: str) -> tuple[str, ...]:
    args = list(base)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return tuple(args)


def number_cases() -> list[Case]:
    cases = []
    for name, (base, options) in NUMERIC_OPTIONS.items():
        for option in options:
            for value in ODD_NUMBERS:
                if name == "assess" and value not in ALWAYS_BAD + ("-1", "1e308"):
                    continue  # a valid assess is a full analysis: covered by its own tests
                expect = "refuse" if value in ALWAYS_BAD else "any"
                cases.append(Case(f"{name}{option}={value or 'empty'}", _with(base, option, value),
                                  expect, must_name=(option,) if expect == "refuse" else ()))
    times = ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2018-13-01", "yesterday",
             "", "2018-12-01T00:00:00+25:00", "1800-01-01T00:00:00Z")
    for value in times:
        for name, option in (("windows", "--start"), ("landings", "--undock"),
                             ("reach", "--start")):
            base = NUMERIC_OPTIONS[name][0]
            cases.append(Case(f"{name}{option}={value or 'empty'}", _with(base, option, value),
                              "refuse", must_name=(option,)))
        cases.append(Case(f"gateway--decision={value or 'empty'}",
                          _with(NUMERIC_OPTIONS["gateway"][0], "--decision", value), "refuse"))
    return cases


# --- ids, words and everything else ------------------------------------------------------------

def other_cases() -> list[Case]:
    rows = [
        ("windows-unknown-site", ("windows", "--site", "nowhere", "--station", "iss", "--start",
                                  TLE_TIME), ("--site",)),
        ("windows-unknown-station", ("windows", "--site", "baikonur", "--station", "mir",
                                     "--start", TLE_TIME), ("mir",)),
        ("windows-both-orbits", ("windows", "--site", "baikonur", "--station", "iss",
                                 "--tle-file", str(TELEMETRY), "--start", TLE_TIME), ()),
        ("landings-unknown-zone", ("landings", "--vehicle", "soyuz-ms", "--station", "iss",
                                   "--undock", TLE_TIME, "--zone", "atlantis"), ("atlantis",)),
        ("abort-unknown-launcher", ("abort", "--launcher", "saturn-v", "--failure-time", "10"),
         ("saturn-v",)),
        ("leak-unknown-module", ("leak", "--station", "iss", "--hole-mm", "2", "--module",
                                 "kitchen"), ("kitchen",)),
        ("leak-bad-docked", ("leak", "--station", "iss", "--hole-mm", "2", "--docked", "=@"),
         ("--docked",)),
        ("leak-markup-in-id", ("leak", "--station", "[bold]iss[/bold]", "--hole-mm", "2"),
         ("[bold]",)),
        ("isolate-unknown-module", ("leak", "isolate", "--station", "iss", "--leak-in", "attic"),
         ("--leak-in",)),
        ("isolate-bad-prior", ("leak", "isolate", "--station", "iss", "--leak-in", "zvezda",
                               "--prior", "psychic"), ("psychic",)),
        ("nrho-bad-family", ("nrho", "--family", "l3-east"), ("l3-east",)),
        ("nrho-bad-resonance", ("nrho", "--resonance", "9:0"), ()),
        ("nrho-resonance-text", ("nrho", "--resonance", "nine to two"), ()),
        ("gateway-unknown-vehicle", ("gateway-access", "--vehicle", "tardis", "--decision",
                                     "2027-01-01T00:00:00Z"), ("tardis",)),
        ("risk-unknown-architecture", ("risk", "moonbase", "--trials", "100"), ("moonbase",)),
        ("history-unknown", ("history", "replay", "apollo-13"), ("apollo-13",)),
        ("catalog-unknown-kind", ("catalog", "list", "planets"), ("planets",)),
        ("catalog-unknown-id", ("catalog", "show", "enterprise"), ("enterprise",)),
        ("scenario-unknown-id", ("scenario", "validate", "no-such-scenario"), ()),
        ("assess-unknown-scenario", ("assess", "no-such-scenario"), ()),
        ("serve-bad-port", ("serve", "--port", "0"), ("--port",)),
    ]
    cases = [Case(name, args, "refuse", must_name=words) for name, args, words in rows]
    cases.append(Case("leak-plot-into-directory", ("leak", "--station", "iss", "--hole-mm", "2",
                                                   "--plot", "{file}"), "refuse", _directory))
    cases.append(Case("leak-out-under-a-file", ("leak", "--station", "iss", "--hole-mm", "2",
                                                "--out", "{file}/x.png"), "refuse",
                      _write("plain", "x")))
    cases.append(Case("nrho-plot-into-directory", ("nrho", "--plot", "{file}"), "refuse",
                      _directory))
    cases.append(Case("compare-plot-into-directory", ("compare", "textbook", "--trials", "1000",
                                                      "--plot", "{file}"), "refuse", _directory))
    cases.append(Case("assess-report-into-directory", ("assess", "--trials", "1000", "--report",
                                                       "{file}"), "refuse", _directory))
    return cases


# --- risk files whose numbers are legal-looking but extreme -------------------------------------

def _textbook_with(old: str, new: str) -> Callable[[Path], str]:
    text = TEXTBOOK.read_text(encoding="utf-8")
    assert old in text, old
    return _write("extreme.toml", text.replace(old, new, 1))


def architecture_cases() -> list[Case]:
    text = TEXTBOOK.read_text(encoding="utf-8")
    rows = []
    for key in ("ascent_failure", "landing_failure", "abort_success"):
        line = next((ln for ln in text.splitlines() if ln.strip().startswith(key + " =")), None)
        if line is None:
            continue
        for value in ("1.0", "0.0", "1.5", "-0.1", "nan", "inf"):
            rows.append((f"risk-file:{key}={value}", line, f"{key} = {value}"))
    for key in ("damage_rate_per_year", "rate_per_year", "grounding_median_days",
                "rotation_interval_days"):
        line = next((ln for ln in text.splitlines() if ln.strip().startswith(key + " =")), None)
        if line is None:
            continue
        for value in ("1e12", "inf", "-1", "0"):
            rows.append((f"risk-file:{key}={value}", line, f"{key} = {value}"))
    return [Case(name, ("risk", "{file}", "--trials", "2000"),
                 "refuse" if any(v in new for v in ("nan", "inf", "1.5", "-0.1", "-1")) else "any",
                 _textbook_with(old, new))
            for name, old, new in rows]


# --- scenario files that look valid but are not; sweeps too large to run -----------------------

def _scenario_with(old: str, new: str) -> Callable[[Path], str]:
    text = ISS_SCENARIO.read_text(encoding="utf-8")
    assert old in text, old
    return _write("odd-scenario.toml", text.replace(old, new, 1))


STATION = 'id = "iss"\nconfiguration = "2018-12"\n'
SCENARIO_EDITS = {
    "bad-tle": (STATION, STATION + 'tle = ["1 25544U garbage", "2 25544 garbage"]\n'),
    "nan-elements": (STATION, STATION + "elements = { epoch_utc = 2018-12-01T00:00:00Z, "
                                        "altitude_km = nan, inclination_deg = 51.6 }\n"),
    "unknown-architecture": ('architectures = ["iss-6-soyuz"', 'architectures = ["no-such"'),
    "docked-after-epoch": ("docked_utc = 2018-06-08T13:01:00Z", "docked_utc = 2030-06-08T13:01:00Z"),
    "roscosmos-flies-dragon": ('provider = "roscosmos"\nvehicle = "soyuz-ms"',
                               'provider = "roscosmos"\nvehicle = "crew-dragon"'),
}


def _scenario_elements(make_elements: Callable[[Path], str]) -> Callable[[Path], str]:
    """A scenario whose ``[station] elements_file`` is an odd file (named by absolute path)."""
    def make(folder: Path) -> str:
        target = make_elements(folder)
        return _scenario_with(STATION, STATION + f"elements_file = {target!r}\n".replace("'", '"'))(folder)
    return make


def scenario_cases() -> list[Case]:
    cases = []
    for name, (old, new) in SCENARIO_EDITS.items():
        cases.append(Case(f"scenario-file:{name}", ("scenario", "validate", "{file}"), "refuse",
                          _scenario_with(old, new)))
    for kind, make in BAD_FILES.items():
        cases.append(Case(f"scenario-elements-file:{kind}", ("scenario", "validate", "{file}"),
                          "refuse", _scenario_elements(make), must_name=("station.elements_file",)))
    grid = ('architecture = "textbook"\ntrials = 1000\nseed = 1\nkind = "grid"\n[parameters]\n'
            + "".join(f'"providers.single.ascent_failure{"" if i == 0 else i}" = '
                      f'[{", ".join(str(0.001 * k) for k in range(1, 160))}]\n' for i in range(1))
            + '"providers.single.abort_success" = [' + ", ".join(
                str(0.5 + 0.001 * k) for k in range(400)) + "]\n"
            + '"providers.single.emergency_return_failure" = [' + ", ".join(
                str(0.0001 * k) for k in range(400)) + "]\n"
            + '"providers.single.docked_life_days" = [' + ", ".join(
                str(200 + k) for k in range(1000)) + "]\n")
    cases.append(Case("sweep-file:huge-grid", ("sweep", "{file}", "--store", "s.duckdb"), "refuse",
                      _write("huge.toml", grid)))
    cases.append(Case("sweep-file:not-duckdb-store", ("sweep", str(SWEEP), "--store", "{file}"),
                      "refuse", _write("store.duckdb", "this is not a DuckDB file\n")))
    return cases


def all_cases() -> list[Case]:
    return (file_cases() + number_cases() + other_cases() + architecture_cases()
            + scenario_cases())


# Cases that fail today in code other parts own: id -> why. The harness marks them
# xfail(strict=False), so the suite stays green and a fix shows up as XPASS. Hangs are not run.
KNOWN_FAILURES: dict[str, str] = {}
KNOWN_HANGS: dict[str, str] = {}


if __name__ == "__main__":  # discovery: every case in its own process, 20 s and 4 GB each
    import json
    import resource
    import subprocess
    import sys
    import tempfile

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    lifeboat = str(Path(sys.executable).with_name("lifeboat"))
    only = sys.argv[1:]
    report = {}
    for case in all_cases():
        if only and not any(case.id.startswith(o) for o in only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path = case.make(Path(tmp)) if case.make else ""
            args = [a.replace("{file}", path) for a in case.args]
            try:
                done = subprocess.run([lifeboat, *args], capture_output=True, text=True,
                                      timeout=20, cwd=tmp, preexec_fn=limits,
                                      env={**os.environ, "COLUMNS": "200"})
            except subprocess.TimeoutExpired:
                report[case.id] = "HANG"
                print(case.id, "HANG", flush=True)
                continue
        bad = []
        if "Traceback" in done.stderr:
            bad.append("traceback: " + done.stderr.strip().splitlines()[-1][:150])
        if case.expect == "refuse" and done.returncode != 2:
            bad.append(f"exit {done.returncode} (expected a refusal)")
        if done.returncode not in (0, 2):
            bad.append(f"exit {done.returncode}")
        if "nan" in done.stdout.lower().split() or "NaN" in done.stdout or "Infinity" in done.stdout:
            bad.append("non-finite output")
        if bad:
            report[case.id] = "; ".join(bad)
            print(case.id, "|", report[case.id], "|", done.stderr.strip()[-200:], flush=True)
    print(json.dumps(report, indent=1))
    print(f"{len(report)} failing")
