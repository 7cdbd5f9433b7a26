"""The assessment report: one self-contained HTML file that renders in headless Chromium."""

import json
import re
import subprocess
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from markupsafe import escape

from lifeboat.report.html import assessment_figures, write_assessment_report
from lifeboat.rescue.assess import assess

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def assessment():
    return assess("iss-2018-12", risk_trials=20_000, risk_seed=7)


@pytest.fixture(scope="module")
def report(assessment, tmp_path_factory) -> Path:
    return write_assessment_report(assessment, tmp_path_factory.mktemp("report") / "r.html")


def test_report_is_self_contained(report):
    html = report.read_text("utf-8")
    # Scripts are inline: no <script src=...>, no stylesheet links, no remote images, fonts or frames.
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    page = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"<(img|iframe|embed|object|source)\b", page, re.I)
    assert not re.search(r"url\(|@import", page)
    # plotly.js is inlined exactly once (its version banner).
    assert html.count("plotly.js v") == 1
    # The only web addresses outside the scripts are citation links in the sources section.
    before, sources = page.split('<h2 id="sources">')
    assert not re.search(r"https?://", before)
    assert re.search(r'<a href="https?://', sources)


def test_report_has_every_section_and_figure(assessment, report):
    html = report.read_text("utf-8")
    for section in ("situation", "emergency", "opportunities", "rescue", "risk", "sources"):
        assert f'id="{section}"' in html
    figures = assessment_figures(assessment)
    assert {"fig-pressure", "fig-map", "fig-gantt", "fig-risk"} <= set(figures)
    assert '<div class="note">' not in html
    # The Gantt chart has a bar for every step of every option.
    steps = sum(max(len(o.steps), 1 if o.crew_safe_utc else 0) for o in assessment.rescue.options)
    assert len(figures["fig-gantt"]["data"]) == steps
    # Every source the assessment used is cited in the report.
    assert assessment.sources
    for source in assessment.sources:
        assert str(escape(source.url or source.title)) in html


def test_map_asset_is_small_and_sourced():
    path = resources.files("lifeboat.report").joinpath("assets", "coastline-110m.json")
    data = json.loads(path.read_text("utf-8"))
    assert len(path.read_bytes()) < 300_000
    assert "Natural Earth" in data["source"]
    points = np.array([p for line in data["lines"] for p in line])
    assert points[:, 0].min() >= -180 and points[:, 0].max() <= 180
    assert points[:, 1].min() >= -90 and points[:, 1].max() <= 84
    # A coarse sanity check against geography: Baikonur (45.9 N, 63.3 E) lies inland, more than
    # 1 degree from any coastline point; Cape Canaveral (28.6 N, 80.6 W) is within 1 degree of one.
    def nearest(lat, lon):
        return np.min(np.hypot(points[:, 0] - lon, points[:, 1] - lat))
    assert nearest(45.92, 63.34) > 1.0
    assert nearest(28.61, -80.60) < 1.0


def _chromium(html: Path, png: Path, profile: Path) -> str:
    """Render ``html`` headless, return Chromium's stderr (console messages are logged there)."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=8000", f"--screenshot={png}", "--window-size=1280,2000",
           html.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return done.stderr


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(),
                    reason="/usr/bin/chromium is missing (make test installs Debian's chromium)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    import matplotlib.image as mpimg

    # Control: the error detection sees a deliberate uncaught error.
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    assert _console_errors(_chromium(bad, tmp_path / "bad.png", tmp_path / "p1"))

    png = tmp_path / "report.png"
    stderr = _chromium(report, png, tmp_path / "p2")
    assert png.exists(), stderr[-2000:]
    assert _console_errors(stderr) == []
    image = mpimg.imread(png)[..., :3]
    non_white = np.mean(np.any(image < 0.95, axis=-1))
    colours = len(np.unique((image.reshape(-1, 3) * 255).astype(np.uint8), axis=0))
    assert non_white > 0.05  # text, tables and figures cover the page
    assert colours > 50  # figures drew (plot colours), not just black text on white


def test_report_write_is_atomic_and_overwrites(assessment, tmp_path):
    target = tmp_path / "deep" / "dir" / "report.html"
    write_assessment_report(assessment, target)
    first = target.stat().st_size
    write_assessment_report(assessment, target)
    assert target.stat().st_size == first
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_pressure_curve_matches_the_cabin_simulation(assessment):
    """The plotted blowdown (closed form) agrees with an ODE integration of the same leak through
    the cabin network (:func:`lifeboat.cabin.leak.leak_history`) within 1 mmHg, crosses the
    490 mmHg limit at the summary's time to the limit (±0.5 h), and the crew-chart line reaches
    the limit at the linear reserve time (±0.5 h)."""
    from lifeboat.cabin.leak import leak_history
    from lifeboat.cabin.network import scenario_network
    from lifeboat.model.scenario import load_scenario

    leak = assessment.emergency.leak
    curve = assessment.emergency.pressure_curve
    times_h = np.array(curve["times_h"])
    physical = np.array(curve["pressure_mmhg"])
    linear = np.array(curve["linear_mmhg"])
    network = scenario_network(load_scenario("iss-2018-12"))
    history = leak_history(network, leak, duration_h=float(times_h[-1]))
    column = history.module_ids.index(leak.module)
    simulated = np.interp(times_h, history.times_s / 3600.0, history.pressure_mmhg[:, column])
    assert np.max(np.abs(physical - simulated)) < 1.0
    crossing_h = np.interp(-curve["limit_mmhg"], -physical, times_h)
    assert abs(crossing_h - leak.time_to_limit_h) < 0.5
    linear_crossing_h = np.interp(-curve["limit_mmhg"], -linear, times_h)
    assert abs(linear_crossing_h - leak.reserve_time_linear_h) < 0.5


# --- what a manager reads: summary first, run metadata, crew sizes, phases, print -------------


def test_executive_summary_comes_first_with_the_decision(assessment, report):
    html = report.read_text("utf-8")
    summary_at = html.index('id="summary"')
    assert summary_at < html.index('id="situation"') < html.index('id="rescue"')
    summary = html[summary_at:html.index("</section>", summary_at)]
    plan = assessment.rescue
    assert str(escape(plan.recommendation)) in summary
    assert f"{plan.time_available_h:.1f} h" in summary
    for word in ("Situation", "Recommendation", "Time available", "Seats home", "What the partner changes"):
        assert f"<dt>{word}</dt>" in summary


def test_run_metadata_names_version_catalog_scenario_and_seed(assessment, tmp_path):
    import hashlib

    from lifeboat import __version__

    text = resources.files("lifeboat.scenarios").joinpath("iss-2018-12.toml").read_text("utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    html = write_assessment_report(assessment, tmp_path / "m.html", scenario_sha256=digest).read_text("utf-8")
    meta = html[html.index('id="metadata"'):]
    meta = meta[:meta.index("</table>")]
    catalog = hashlib.sha256()
    folder = resources.files("lifeboat.catalog").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".toml", ".json")):
            catalog.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    for value in (__version__, catalog.hexdigest()[:16], digest, "20,000, seed 7"):
        assert value in meta, value
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta)


def test_risk_table_shows_each_architecture_crew_size(assessment, report):
    """The crew size comes from each architecture file, read here directly."""
    import tomllib

    html = report.read_text("utf-8")
    table = html[html.index('id="risk"'):]
    table = table[:table.index("</table>")]
    for r in assessment.risk:
        path = resources.files("lifeboat.risk").joinpath("architectures", f"{r.architecture}.toml")
        crew = tomllib.loads(path.read_text("utf-8"))["station"]["crew_size"]
        row = table[table.index(f"({r.architecture})"):]
        row = row[:row.index("</tr>")]
        assert f'<td class="num">{crew}</td>' in row, r.architecture


def test_timeline_bars_are_labelled_with_their_phase(assessment):
    from lifeboat.report.plots import PHASES, phase_of

    gantt = assessment_figures(assessment)["fig-gantt"]
    names = {p[0] for p in PHASES} | {"other"}
    labels = [s.label for o in assessment.rescue.options for s in o.steps]
    assert [t["text"][0] for t in gantt["data"]][:len(labels)] == labels[:len(gantt["data"])]
    for trace in gantt["data"]:
        assert trace["name"] in names and trace["name"] == phase_of(trace["text"][0])[0]
    shown = [t["name"] for t in gantt["data"] if t["showlegend"]]
    assert len(shown) == len(set(shown)) == len({t["name"] for t in gantt["data"]})
    assert phase_of("launch from baikonur to docking (2-orbit)")[0] == "launch and rendezvous"
    assert phase_of("soyuz-ms-09: undock to deorbit burn")[0] == "undocking, entry and landing"
    assert phase_of("close hatches zvezda/zarya")[0] == "on the station"


def test_print_stylesheet_hides_plot_toolbars(report):
    html = report.read_text("utf-8")
    css = html[html.index("@media print"):html.index("</style>")]
    assert ".modebar" in css and "display: none" in css and "break-inside: avoid" in css
    assert "@page" in html


@pytest.mark.slow
def test_lunar_station_gets_its_orbit_not_a_ground_track():
    """The Gateway's plotted orbit is Moon-centred and NRHO-shaped: ESA describes it as passing
    about 3,000 km from the lunar surface at its closest and 70,000 km at its farthest (ESA,
    "Orbiting lunar Gateway", July 2019,
    https://esa.int/ESA_Multimedia/Images/2019/07/Orbiting_lunar_Gateway). The bounds are the
    Moon's radius plus 500 km to 5,000 km from the centre, and 60,000 to 80,000 km."""
    a = assess("gateway-2030-medical", risk_trials=5_000, risk_seed=1)
    figures = assessment_figures(a)
    assert "fig-orbit" in figures and not a.ground_track
    xz = figures["fig-orbit"]["data"][0]
    xy = figures["fig-orbit"]["data"][1]
    r = np.sqrt(np.array(xz["x"]) ** 2 + np.array(xy["y"]) ** 2 + np.array(xz["y"]) ** 2)
    assert 1737.4 + 500 < r.min() < 5_000
    assert 60_000 < r.max() < 80_000
    assert "ground track" not in figures["fig-map"]["layout"]["title"]["text"]
