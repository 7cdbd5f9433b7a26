"""Small hand-built networks and a stand-in catalog for the cabin tests (independent of the
catalog data files, which other engineers edit)."""

from __future__ import annotations

from lifeboat.cabin.network import CabinHatch, CabinModule, CabinNetwork
from lifeboat.catalog import Catalog
from lifeboat.catalog.models import Hatch, Module, Source, Station, StationConfiguration

SOURCE = [Source(title="Test module (volumes copied from the ISS catalog records)")]

# ISS-like module volumes (m³) from the catalog's ISS records where sourced; Unity, Kibo and the PMAs
# are GAPs there and take envelope-based values here (test data only).
ISS_2018_MODULES = {
    "zvezda": 75.0, "zarya": 71.5, "pma-1": 8.0, "unity": 60.0, "destiny": 106.0,
    "harmony": 70.0, "columbus": 75.0, "kibo": 150.0, "kibo-elm": 40.0, "quest": 34.0,
    "tranquility": 70.0, "cupola": 8.0, "leonardo": 70.0, "beam": 16.0, "pma-2": 8.0,
    "rassvet": 17.4, "poisk": 14.8, "pirs": 13.0,
}
ISS_2018_HATCHES = [
    ("zvezda", "zarya"), ("zarya", "pma-1"), ("pma-1", "unity"), ("unity", "destiny"),
    ("unity", "quest"), ("unity", "tranquility"), ("tranquility", "cupola"),
    ("tranquility", "leonardo"), ("tranquility", "beam"), ("destiny", "harmony"),
    ("harmony", "columbus"), ("harmony", "kibo"), ("kibo", "kibo-elm"), ("harmony", "pma-2"),
    ("zarya", "rassvet"), ("zvezda", "poisk"), ("zvezda", "pirs"),
]
ISS_2018_PORTS = ["rassvet", "poisk", "zvezda-aft", "pirs", "pma-2"]


def iss_like_network(name: str = "iss-like") -> CabinNetwork:
    return CabinNetwork(
        name,
        tuple(CabinModule(m, v) for m, v in ISS_2018_MODULES.items()),
        tuple(CabinHatch(a, b) for a, b in ISS_2018_HATCHES),
    )


def fake_catalog() -> Catalog:
    config = StationConfiguration(
        id="2018-12",
        description="ISS-like test configuration",
        modules=[Module(id=m, name=m, volume_m3=v, sources=SOURCE, confidence="medium")
                 for m, v in ISS_2018_MODULES.items()],
        hatches=[Hatch(a=a, b=b) for a, b in ISS_2018_HATCHES],
        docking_ports=ISS_2018_PORTS,
    )
    station = Station(id="teststation", name="Test station", sources=SOURCE, confidence="medium",
                      operator="test", regime="leo", crew_size=3, configurations=[config])
    return Catalog(sites={}, launchers={}, vehicles={}, stations={"teststation": station},
                   recovery_zones={}, providers={})
