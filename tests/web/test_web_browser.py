"""The app in a real browser: Debian's headless Chromium driven by Playwright (no browser download).

Loads the page, uploads a scenario file, runs the assessment and sees the plan, downloads the
report and the JSON, compares architectures, replays an incident, triggers a validation error
and sees it at the field, and checks that the downloaded report prints without plot toolbars.
No console error or uncaught exception is allowed anywhere. Screenshots go to the folder the
test prints (``LIFEBOAT_SCREENSHOTS``, else the gitignored ``reports/browser-screenshots``).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make test installs it)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield b
        b.close()


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    return problems


def test_the_app_end_to_end(server, browser, shots, tmp_path, tell):
    tell(f"browser test screenshots: {shots}")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    problems = _watch(page)
    # Any request leaving this server would fail offline; refuse them so the test notices.
    page.route(lambda url: not url.startswith(server), lambda route: route.abort())

    page.goto(server + "/")
    page.wait_for_selector("#form fieldset")
    page.screenshot(path=str(shots / "1-app.png"))

    # Upload a scenario file: a renamed copy of the built-in ISS case.
    text = resources.files("lifeboat.scenarios").joinpath("iss-2018-12.toml").read_text("utf-8")
    text = text.replace('title = "ISS, 2 December 2018', 'title = "Uploaded: ISS, 2 December 2018', 1)
    upload = tmp_path / "my-case.toml"
    upload.write_text(text, "utf-8")
    page.set_input_files("#upload", str(upload))
    page.locator("#editor-status", has_text="my-case.toml: valid scenario").wait_for()
    page.fill("#trials", "20000")

    page.click("#run")
    page.wait_for_selector("#recommendation", timeout=180_000)
    assert "Uploaded: ISS" in page.inner_text("#summary")
    assert page.inner_text("#recommendation").startswith("Recommended:")
    for figure in ("#fig-pressure", "#fig-map", "#fig-gantt", "#fig-risk"):
        page.wait_for_selector(f"{figure} .main-svg")
    assert page.locator("#options table tr").count() > 2
    page.screenshot(path=str(shots / "2-plan.png"), full_page=True)

    # Downloads: the HTML report and the JSON.
    with page.expect_download() as info:
        page.click("#dl-report")
    report = tmp_path / "report.html"
    info.value.save_as(report)
    assert "Uploaded: ISS" in report.read_text("utf-8")
    with page.expect_download() as info:
        page.click("#dl-json")
    saved = tmp_path / "result.json"
    info.value.save_as(saved)
    assert json.loads(saved.read_text("utf-8"))["rescue"]["recommendation"]

    # Compare two architectures and replay an incident.
    page.click("nav a[data-tab=compare]")
    page.wait_for_selector("#arch-list input")
    page.fill("#cmp-trials", "20000")
    page.click("#cmp-run")
    page.wait_for_selector("#fig-compare .main-svg", timeout=120_000)
    assert page.locator("#cmp-table tr").count() == 1 + page.locator("#arch-list input:checked").count()
    page.select_option("#sw-arch", "textbook")
    page.locator("#sw-param option").first.wait_for(state="attached")
    page.select_option("#sw-param", "providers.single.ascent_failure")
    page.fill("#sw-values", "0.01, 0.02, 0.04")
    page.fill("#sw-trials", "20000")
    page.click("#sw-run")
    page.wait_for_selector("#fig-sweep .main-svg", timeout=120_000)
    assert page.locator("#sw-table tr").count() == 4
    page.screenshot(path=str(shots / "3-compare-and-sweep.png"), full_page=True)
    page.click("nav a[data-tab=history]")
    page.click("#incidents button.incident >> nth=0")
    page.wait_for_selector("#replay table", timeout=120_000)
    page.screenshot(path=str(shots / "4-replay.png"), full_page=True)

    # A validation error shows at the field that is wrong.
    page.click("nav a[data-tab=assess]")
    page.click(".editor-tab[data-editor=form]")
    seat = page.locator('[data-path="crew[2].seat"]')
    seat.fill("soyuz-ms-09:4")
    seat.dispatch_event("change")
    page.wait_for_selector('[data-path="crew[2].seat"].invalid')
    message = seat.locator("xpath=..").locator(".field-error")
    assert "does not exist" in message.inner_text() and message.is_visible()
    assert page.is_disabled("#run")
    page.screenshot(path=str(shots / "5-validation-error.png"))

    # A shareable URL of a built-in case opens it and runs it.
    page.goto(server + "/?scenario=iss-2018-12&trials=20000&seed=7&run=1#assess")
    page.wait_for_selector("#recommendation", timeout=180_000)
    assert "What the partner changes" in page.inner_text("#summary")
    assert page.input_value("#trials") == "20000"
    page.close()

    # The downloaded report, opened from disk, renders and prints without plot toolbars.
    view = browser.new_page(viewport={"width": 1280, "height": 900})
    report_problems = _watch(view)
    view.goto(report.as_uri())
    view.wait_for_selector("#fig-gantt .main-svg")
    view.screenshot(path=str(shots / "6-report.png"))
    view.emulate_media(media="print")
    view.wait_for_function("() => [...document.querySelectorAll('.main-svg')].every(e => e.getBoundingClientRect().width <= 703)")
    hidden = view.evaluate("[...document.querySelectorAll('.modebar')].every(e => getComputedStyle(e).display === 'none' || getComputedStyle(e.parentElement).display === 'none')")
    assert hidden, "plot toolbars show in print"
    pdf = view.pdf(format="A4", print_background=True)
    (shots / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    view.close()

    assert problems == [] and report_problems == []
