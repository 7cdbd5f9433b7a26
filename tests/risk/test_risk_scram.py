"""The per-mission case against SCRAM, the open-source PRA engine (Open-PSA MEF input).

One crew mission: the crew aboard at t = 0 stays docked for I days, during which evacuation-
forcing emergencies come at rate lambda (the evacuation return fails with ER); at t = I the next
crew launches (the launch fails with LF and then the abort fails with AF; a failed launch is not
retried within the horizon) and, if it arrives and nobody was evacuated, the first crew returns
(the planned return fails with EN). As a fault tree with NOT gates:

    LOC = (LF and AF) or (EV and ER) or (not EV and not LF and EN),  EV = 1 - exp(-lambda I).

The test writes that model in the Open-PSA model exchange format from the architecture's
numbers, runs ``scram`` (Debian's package; ``make scram`` installs it) and compares its exact
(BDD) probability and its RAW/RRW importance factors with the Monte Carlo engine's.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from lifeboat.risk.engine import run_risk
from lifeboat.risk.importance import importance
from lifeboat.risk.model import DAYS_PER_YEAR, architecture_from_dict

pytestmark = pytest.mark.skipif(
    shutil.which("scram") is None,
    reason="SCRAM is not installed (`make scram` installs Debian's package when run as root)")

INTERVAL_D = 180.0
EVENTS = {"LF": 0.05, "AF": 0.2, "ER": 0.1, "EN": 0.02}
EVACUATION = 0.1  # probability of an evacuation during the docked period


def mission():
    lam_per_year = -math.log(1 - EVACUATION) / INTERVAL_D * DAYS_PER_YEAR
    return architecture_from_dict({
        "id": "one-mission", "title": "one mission",
        "station": {"name": "S", "crew_size": 3, "after_loss": "end",
                    "horizon_years": (INTERVAL_D + 1e-6) / DAYS_PER_YEAR},
        "providers": {"p": {
            "name": "P", "crew_per_flight": 3, "seats": 3, "rotation_interval_days": INTERVAL_D,
            "docked_life_days": 1e5, "ascent_failure": EVENTS["LF"], "abort_success": 1 - EVENTS["AF"],
            "nominal_return_failure": EVENTS["EN"], "emergency_return_failure": EVENTS["ER"],
            "grounding_median_days": 1e4, "grounding_sigma": 0.0, "replacement_readiness_days": 0.0,
            "cost_per_launch_musd": 0.0}},
        "hazards": {"emergency": {"rate_per_year": lam_per_year, "evacuation_probability": 1.0}},
    }, source="test")


def mef(arch) -> str:
    """The Open-PSA MEF fault tree of the mission, from the architecture's own numbers."""
    p = arch.providers["p"]
    (hazard,) = arch.hazards.values()
    ev = 1 - math.exp(-hazard.rate_per_year / DAYS_PER_YEAR * p.rotation_interval_days)
    probabilities = {"LF": p.ascent_failure, "AF": 1 - p.abort_success, "EV": ev,
                     "ER": p.emergency_return_failure, "EN": p.nominal_return_failure}
    events = "\n".join(f'    <define-basic-event name="{k}"><float value="{v!r}"/></define-basic-event>'
                       for k, v in probabilities.items())
    return f"""<?xml version="1.0"?>
<opsa-mef>
  <define-fault-tree name="mission">
    <define-gate name="loc"><or><gate name="ascent"/><gate name="docked"/><gate name="entry"/></or></define-gate>
    <define-gate name="ascent"><and><basic-event name="LF"/><basic-event name="AF"/></and></define-gate>
    <define-gate name="docked"><and><basic-event name="EV"/><basic-event name="ER"/></and></define-gate>
    <define-gate name="entry"><and><not><basic-event name="EV"/></not><not><basic-event name="LF"/></not><basic-event name="EN"/></and></define-gate>
  </define-fault-tree>
  <model-data>
{events}
  </model-data>
</opsa-mef>
"""


@pytest.fixture(scope="module")
def scram_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scram")
    (folder / "mission.xml").write_text(mef(mission()), encoding="utf-8")
    subprocess.run(["scram", "--probability", "true", "--importance", "true", "mission.xml",
                    "-o", "report.xml"], cwd=folder, check=True, capture_output=True, timeout=60)
    root = ET.parse(folder / "report.xml").getroot()
    probability = float(root.find("./results/sum-of-products").get("probability"))
    factors = {e.get("name"): e.attrib for e in root.findall("./results/importance/basic-event")}
    return probability, factors


def test_per_mission_loss_of_crew_matches_scram(scram_report):
    probability, _ = scram_report
    r = run_risk(mission(), trials=1_000_000, seed=41)
    p = r.metrics["p_loc"]
    assert abs(p["mean"] - probability) <= 4 * p["mc_se"], (p, probability)
    # The fault tree is not the rare-event sum of its cut sets: the NOT gates matter.
    rare_event = EVENTS["LF"] * EVENTS["AF"] + EVACUATION * EVENTS["ER"] + EVENTS["EN"]
    assert abs(rare_event - probability) > 10 * p["mc_se"]


def test_raw_and_rrw_match_scram(scram_report):
    _, factors = scram_report
    result = importance(mission(), metric="p_loc", trials=400_000, seed=42)
    by_field = {e.field.rsplit(".", 1)[-1]: e for e in result.events}
    for name, field in (("LF", "ascent_failure"), ("AF", "abort_success"),
                        ("ER", "emergency_return_failure"), ("EN", "nominal_return_failure")):
        ours = by_field[field]
        raw, rrw = float(factors[name]["RAW"]), float(factors[name]["RRW"])
        assert abs(ours.raw - raw) <= 4 * ours.raw_se + 1e-5 * raw, (name, ours, raw)
        assert abs(ours.rrw - rrw) <= 4 * ours.rrw_se + 1e-5 * rrw, (name, ours, rrw)
