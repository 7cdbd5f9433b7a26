"""``lifeboat catalog``: list the built-in catalog and show one record with its sources.

``list [KIND]`` prints one table per kind (id, name, key figures, confidence); ``show ID`` prints
one record, its nested records and every source. With ``--json`` both print the records' model
dumps: ``list`` a mapping kind -> list of records, ``show`` ``{"kind": ..., "record": {...}}``.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from pydantic import BaseModel
from rich.markup import escape
from rich.table import Table

from lifeboat import catalog as _catalog
from lifeboat.catalog import KINDS, Catalog, load_catalog
from lifeboat.catalog.models import Source
from lifeboat.cli.common import JsonOption, console, emit, to_jsonable, user_errors
from lifeboat.errors import InputError

catalog_app = typer.Typer(help="The catalog (built-in and your overlays): sites, launchers, "
                               "vehicles, stations, recovery zones and providers, with sources.",
                          no_args_is_help=True)


def resolve_kind(kind: str, *, option: str) -> str:
    """:func:`lifeboat.catalog.resolve_kind`, with errors naming the CLI ``option``."""
    try:
        return _catalog.resolve_kind(kind)
    except InputError as exc:
        raise InputError(exc.message, source=option) from None


def find_record(cat: Catalog, record_id: str, kind: str | None = None) -> tuple[str, BaseModel]:
    """:func:`lifeboat.catalog.find_record`, with errors naming the ``ID`` argument."""
    try:
        return _catalog.find_record(cat, record_id, kind)
    except InputError as exc:
        raise InputError(exc.message.replace("give the kind", "give --kind"),
                         source="--kind" if exc.param == "kind" else "ID") from None


def _join(items) -> str:
    return ", ".join(str(i) for i in items) if items else "-"


def _num(value, fmt: str = "{:g}") -> str:
    return "-" if value is None else fmt.format(value)


def _station_volumes(station) -> str:
    return "; ".join(f"{c.id}: {sum(m.volume_m3 for m in c.modules):.0f} m³"
                     for c in station.configurations) or "-"


# kind -> (column headers, row of one record). The id, name and confidence columns are added.
_COLUMNS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "sites": (("lat °", "lon °", "crew pad", "launchers", "azimuths °"),
              lambda s: (f"{s.latitude_deg:.4f}", f"{s.longitude_deg:.4f}",
                         "yes" if s.crewed_pad else "no", _join(s.launchers),
                         _join(f"{lo:g}–{hi:g}" for lo, hi in s.azimuth_ranges_deg))),
    "launchers": (("status", "flights/failures", "crewed (fail.)", "to orbit s", "as of"),
                  lambda lv: (lv.status, f"{lv.flights}/{lv.failures}",
                              f"{lv.crewed_flights} ({lv.crewed_failures})",
                              f"{lv.insertion_time_s:g}", lv.record_as_of)),
    "vehicles": (("provider", "status", "seats (max)", "docked life d", "launchers", "landing",
                  "$M/seat"),
                 lambda v: (v.provider, v.status, f"{v.seats} ({v.seats_max})",
                            _num(v.docked_life_days), _join(v.launchers), v.landing_mode,
                            _num(v.cost_per_seat_musd))),
    "stations": (("regime", "incl. °", "alt. km", "crew", "TLE", "volumes"),
                 lambda st: (st.regime, _num(st.inclination_deg), _num(st.altitude_km),
                             str(st.crew_size), "yes" if st.tle else "no", _station_volumes(st))),
    "recovery_zones": (("mode", "vehicles", "points"),
                       lambda z: (z.mode, _join(z.vehicles), str(len(z.polygon)))),
    "providers": (("country", "vehicles", "launchers", "budget $bn (year)"),
                  lambda p: (p.country, _join(p.vehicles), _join(p.launchers),
                             f"{p.annual_budget_busd:g} ({p.budget_year})"
                             if p.annual_budget_busd is not None else "-")),
    "lunar_sites": (("lat °", "lon °", "region km"),
                    lambda s: (f"{s.latitude_deg:.2f}", f"{s.longitude_deg:.2f}",
                               f"{s.region_radius_km:g}")),
    "landers": (("status", "crew", "Δv km/s", "surface d", "orbit life h", "serves"),
                lambda lv: (lv.status, str(lv.crew), _num(lv.delta_v_km_s),
                            f"{lv.surface_life_days:g}", f"{lv.orbit_life_h:g}", _join(lv.serves))),
}


def _kind_table(kind: str, records) -> Table:
    headers, row = _COLUMNS[kind]
    table = Table(title=kind.replace("_", " "), title_justify="left")
    table.add_column("id", no_wrap=True)
    for header in ("name", *headers, "confidence"):
        table.add_column(header)
    for record in records:
        table.add_row(record.id, record.name, *row(record), record.confidence)
    return table


@catalog_app.command("list")
@user_errors
def list_records(
    kind: str = typer.Argument(None, help=f"One kind ({', '.join(KINDS)}); default: all."),
    as_json: bool = JsonOption,
) -> None:
    """List catalog records, one table per kind, with their key figures and confidence."""
    cat = load_catalog()
    kinds = [resolve_kind(kind, option="KIND")] if kind else list(KINDS)
    result = {k: list(getattr(cat, k).values()) for k in kinds}

    def render(tables: dict) -> None:
        for k, records in tables.items():
            console.print(_kind_table(k, records))

    emit(result, as_json, render)


def _all_sources(record: BaseModel, path: str = "") -> list[tuple[str, Source]]:
    """Every source of a record and of its nested records, with where it belongs."""
    found: list[tuple[str, Source]] = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, Source):
                where = "" if name == "sources" else name
                found.append(("/".join(p for p in (path, where) if p) or "record", item))
            elif isinstance(item, BaseModel):
                label = getattr(item, "id", None) or getattr(item, "name", None) or \
                    (f"{name}[{i}]" if isinstance(value, list) else name)
                found.extend(_all_sources(item, f"{path}/{name}:{label}" if path
                                          else f"{name}:{label}"))
    return found


def _render_record(result: dict) -> None:
    record: BaseModel = result["record"]
    console.print(f"[bold]{record.name}[/] ({result['kind'].rstrip('s').replace('_', ' ')} "
                  f"[cyan]{record.id}[/], confidence [bold]{record.confidence}[/])")
    table = Table("field", "value", show_header=False, box=None)
    for name in type(record).model_fields:
        if name in ("id", "name", "sources", "confidence", "notes", "tle_source") or name.endswith("_sources"):
            continue
        value = getattr(record, name)
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            value = f"{len(value)} record(s): " + _join(
                getattr(v, "id", None) or getattr(v, "name", None) or
                (f"t={v.t_s:g} s" if hasattr(v, "t_s") else "?") for v in value)
        elif isinstance(value, BaseModel):
            value = ", ".join(f"{k}={v}" for k, v in value.model_dump(exclude={"sources"}).items())
        elif isinstance(value, list | tuple):
            value = _join(to_jsonable(value))
        table.add_row(name, escape(str(to_jsonable(value))))
    console.print(table)
    if record.notes:
        console.print(f"[bold]notes[/]: {escape(record.notes)}", highlight=False)
    console.print("[bold]sources[/]")
    for i, (where, source) in enumerate(_all_sources(record), start=1):
        link = f" — {source.url}" if source.url else ""
        console.print(escape(f"  {i}. [{where}] {source.title}{link}"), highlight=False,
                      soft_wrap=True)


@catalog_app.command("show")
@user_errors
def show(
    record_id: str = typer.Argument(..., metavar="ID", help="A catalog id, e.g. soyuz-ms."),
    kind: str = typer.Option(None, "--kind", help=f"Look only in this kind ({', '.join(KINDS)})."),
    as_json: bool = JsonOption,
) -> None:
    """Show one catalog record with its nested records and all of its sources."""
    cat = load_catalog()
    found_kind, record = find_record(cat, record_id,
                                     resolve_kind(kind, option="--kind") if kind else None)
    emit({"kind": found_kind, "record": record}, as_json, _render_record)


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")
