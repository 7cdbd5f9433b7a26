"""A leak in any module of any catalog configuration works in the planner as in `leak isolate`."""

import pytest

from lifeboat.catalog import load_catalog
from lifeboat.model.scenario import Scenario
from lifeboat.rescue.services import Services

CAT = load_catalog()
CASES = [(st.id, c.id, m.id) for st in CAT.stations.values() for c in st.configurations
         for m in c.modules]


@pytest.fixture(scope="module")
def services():
    return Services(CAT)


@pytest.mark.parametrize(("station", "configuration", "module"), CASES)
def test_leak_in_every_module(services, station, configuration, module):
    st = CAT.station(station)
    scenario = Scenario.model_validate({
        "id": "leak", "title": "leak", "epoch_utc": "2030-01-01T00:00:00Z",
        "station": {"id": station, "configuration": configuration},
        "docked": [{"id": "lb", "vehicle": st.vehicles[0], "docked_utc": "2029-12-01T00:00:00Z"}],
        "crew": [{"name": "A", "agency": "x", "seat": "lb:1"}],
        "emergency": {"kind": "leak", "module": module, "hole_mm": 2.0}})
    leak = services.leak(scenario)
    assert leak.initial_rate_mmhg_per_h > 0
    steps = services.isolation_steps(scenario, scenario.epoch_utc)
    assert steps and steps[-1].end_utc >= scenario.epoch_utc
    assert module in steps[-1].label or any(module in s.label for s in steps)
