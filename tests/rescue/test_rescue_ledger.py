"""Seat accounting (lifeboat.rescue.seats.seat_ledger) on hand-built timelines.

The expected durations are plain date arithmetic written here (a second implementation), using the
event times of the MS-22 and Starliner incidents and the acceptance cases AC-7 and AC-8 (tolerance ±0.5 d there; the
ledger itself is exact, so these checks use 1 s).
"""

from datetime import UTC, datetime

from lifeboat.rescue.seats import LedgerVehicle, SeatChange, seat_ledger

SECOND_D = 1.0 / 86400.0


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def days(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 86400.0


def test_ms22_gap_and_mitigation():
    onset = utc(2022, 12, 15, 0, 45)
    liner = utc(2023, 1, 18)
    ms23_dock = utc(2023, 2, 26, 0, 58)
    vehicles = [LedgerVehicle("ms-22", "soyuz-ms", 3), LedgerVehicle("crew-5", "crew-dragon", 4)]
    crew = {"P": "ms-22", "Pe": "ms-22", "R": "ms-22", "M": "crew-5", "C": "crew-5", "W": "crew-5",
            "K": "crew-5"}
    changes = [
        SeatChange(onset, "leak", health=("ms-22", "unfit", 0)),
        SeatChange(liner, "liner", add_contingency=("crew-5", 1), health=("ms-22", "degraded", 2)),
        SeatChange(ms23_dock, "ms-23", dock=LedgerVehicle("ms-23", "soyuz-ms", 3)),
    ]
    ledger = seat_ledger(onset, utc(2023, 3, 28), vehicles, crew, changes)
    s = ledger.summary()
    assert abs(s["days_without_nominal_lifeboat"] - days(onset, ms23_dock)) < SECOND_D  # AC-7: 73.0 d
    assert abs(s["days_without_any_seat"] - days(onset, liner)) < SECOND_D  # AC-7: ~34 d
    assert abs(days(onset, ms23_dock) - 73.0) < 0.5
    # The Crew-5 crew never lose their standard seats to the displaced Soyuz crew.
    for interval in ledger.intervals:
        for a in interval.assignments:
            if a.crew in ("M", "C", "W", "K"):
                assert a.vehicle_id == "crew-5" and a.kind == "standard"
    # After the liner move: two ride the degraded Soyuz, one the added Dragon seat.
    mid = next(i for i in ledger.intervals if i.start_utc == liner)
    kinds = sorted((a.vehicle_id, a.kind) for a in mid.assignments if a.crew in ("P", "Pe", "R"))
    assert kinds == [("crew-5", "contingency"), ("ms-22", "standard"), ("ms-22", "standard")]
    assert mid.crew_without_seat() == []


def test_starliner_without_standard_seat():
    dock = utc(2024, 6, 6, 17, 34)
    undock = utc(2024, 9, 6, 22, 4)
    crew9 = utc(2024, 9, 29, 21, 30)
    vehicles = [LedgerVehicle("crew-8", "crew-dragon", 4), LedgerVehicle("cft", "starliner", 2)]
    crew = {n: "crew-8" for n in "ABCD"} | {"Wilmore": "cft", "Williams": "cft"}
    changes = [
        SeatChange(utc(2024, 8, 24), "unfit for crew", health=("cft", "degraded", 2)),
        SeatChange(utc(2024, 9, 6, 21), "crew configuration", add_contingency=("crew-8", 2)),
        SeatChange(undock, "undock", undock="cft"),
        SeatChange(crew9, "crew-9", dock=LedgerVehicle("crew-9", "crew-dragon", 4),
                   arriving_crew=["Hague", "Gorbunov"]),
    ]
    s = seat_ledger(dock, utc(2025, 3, 18), vehicles, crew, changes).summary()
    assert abs(s["days_without_standard_seat"] - days(undock, crew9)) < SECOND_D  # AC-8: 23.0 d
    assert abs(days(undock, crew9) - 23.0) < 0.5
    assert s["days_without_any_seat"] == 0.0
    assert abs(s["days_without_nominal_lifeboat"] - days(utc(2024, 8, 24), crew9)) < SECOND_D
    assert s["max_crew_aboard"] == 8
    assert s["min_seat_margin"] >= 0


def test_no_seat_when_the_only_vehicle_leaves():
    t0 = utc(2020, 1, 1)
    t1 = utc(2020, 1, 3)
    ledger = seat_ledger(t0, utc(2020, 1, 5), [LedgerVehicle("v", "soyuz-ms", 3)], {"A": "v"},
                         [SeatChange(t1, "undock", undock="v")])
    assert abs(ledger.summary()["days_without_any_seat"] - 2.0) < SECOND_D
    assert ledger.intervals[-1].usable_seats == 0


def test_the_ledger_does_not_change_its_inputs():
    """Health changes and added seats apply to the ledger's own copies: running the same inputs
    twice gives the same answer, and the caller's vehicles keep their state."""
    t0, t1, t2 = utc(2020, 1, 1), utc(2020, 1, 2), utc(2020, 1, 4)
    vehicles = [LedgerVehicle("v", "soyuz-ms", 3)]
    arriving = LedgerVehicle("w", "crew-dragon", 4)
    changes = [SeatChange(t1, "dock", dock=arriving),
               SeatChange(t2, "unfit", health=("v", "unfit", 0), add_contingency=("w", 1))]
    first = seat_ledger(t0, utc(2020, 1, 6), vehicles, {"A": "v", "B": "v"}, changes).summary()
    second = seat_ledger(t0, utc(2020, 1, 6), vehicles, {"A": "v", "B": "v"}, changes).summary()
    assert first == second
    assert vehicles[0].health == "nominal" and arriving.contingency_seats == 0
    # A and B move to the Dragon's free standard seats when the Soyuz becomes unfit on day 3.
    assert first["days_without_nominal_lifeboat"] == 0.0
