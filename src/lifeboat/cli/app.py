"""The ``lifeboat`` command: a lazy group over one module per command group.

``lifeboat --help`` lists the commands from the static table below and imports none of them; a
command's module (and the numerics behind it) is imported only when that command runs, so the
help and shell completion answer in a fraction of a second. Each module defines
``register(app)``, which adds its commands to a Typer app; a module that registers several
commands (``orbits``: windows, reach, landings, abort) is imported once for all of them.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from lifeboat import __version__
from lifeboat.errors import LifeboatWarning


class Entry(NamedTuple):
    module: str
    help: str


# name -> (module, one-line help); the order is the order of ``lifeboat --help``.
COMMANDS: dict[str, Entry] = {
    "assess": Entry("lifeboat.cli.assess", "Assess a scenario: situation, emergency, opportunities, "
                                           "rescue plan, risk; write the report."),
    "catalog": Entry("lifeboat.cli.catalog", "The catalog (built-in and your overlays): sites, "
                                             "launchers, vehicles, stations, zones, providers."),
    "scenario": Entry("lifeboat.cli.scenario", "Scenario files: validate, list the built-ins, "
                                               "show, print the JSON Schema."),
    "windows": Entry("lifeboat.cli.orbits", "Launch opportunities from a site into a station's "
                                            "plane, with rendezvous schemes."),
    "reach": Entry("lifeboat.cli.orbits", "Which sites and crew vehicles can reach a station's "
                                          "orbit, how often, and why not."),
    "landings": Entry("lifeboat.cli.orbits", "Deorbit opportunities landing in the vehicle's "
                                             "recovery zones after an undocking time."),
    "abort": Entry("lifeboat.cli.orbits", "Ballistic descent of the capsule after a launcher "
                                          "failure: apogee, g, landing point, time."),
    "elements": Entry("lifeboat.cli.elements", "Element sets: fetch current ones from CelesTrak "
                                               "into a local file (the only network access)."),
    "leak": Entry("lifeboat.cli.cabin", "Cabin leaks: drop rate and reserve time; hole size from "
                                        "telemetry; hatch isolation."),
    "nrho": Entry("lifeboat.cli.cislunar", "A halo / near-rectilinear halo orbit of the Earth–Moon "
                                           "CR3BP (default: 9:2 L2 south)."),
    "gateway-access": Entry("lifeboat.cli.cislunar", "Earliest arrival at the Gateway (9:2 NRHO) "
                                                     "and earliest returns to Earth."),
    "lunar": Entry("lifeboat.cli.cislunar", "Lunar stations: returns to Earth from any phase, "
                                            "transfers from Earth, vehicle capability."),
    "risk": Entry("lifeboat.cli.risk", "P(loss of crew), decrewing and seatless crew-days over "
                                       "the horizon, by Monte Carlo."),
    "compare": Entry("lifeboat.cli.risk", "Run several architectures with the same trials and "
                                          "seed and compare them."),
    "sweep": Entry("lifeboat.cli.risk", "Run a parameter sweep on Dask; points already in the "
                                        "store are not recomputed."),
    "importance": Entry("lifeboat.cli.risk", "Importance of each basic event (RAW, RRW) and "
                                             "Fussell-Vesely by cause, for one architecture."),
    "rates": Entry("lifeboat.cli.risk", "Bayesian failure rates from the flight records, fitted "
                                        "up to a date, with a back-test on what came after."),
    "history": Entry("lifeboat.cli.history", "Replays of real incidents: computed beside what "
                                             "happened."),
    "serve": Entry("lifeboat.cli.web", "Serve the web app: JSON endpoints over every service, and "
                                       "HTML assessment reports."),
}


class LazyGroup(TyperGroup):
    """A Typer group that imports a command's module only when the command is resolved."""

    def _load(self, module: str) -> None:
        sub = typer.Typer()
        sub.callback()(lambda: None)  # makes get_command return a group even for one command
        importlib.import_module(module).register(sub)
        group = typer.main.get_command(sub)
        for name, command in group.commands.items():  # type: ignore[attr-defined]
            self.commands.setdefault(name, command)

    def _ensure(self, name: str) -> None:
        if name in self.commands:
            return
        if name in COMMANDS:
            self._load(COMMANDS[name].module)
        else:  # a command a module registers but the table does not list yet
            for module in dict.fromkeys(entry.module for entry in COMMANDS.values()):
                self._load(module)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS) + [n for n in self.commands if n not in COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in COMMANDS:  # listing only (help, completion of names): no import
            text = COMMANDS[cmd_name].help
            return TyperCommand(name=cmd_name, help=text, short_help=text)
        return None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not args[0].startswith("-"):
            self._ensure(args[0])
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=LazyGroup,
    name="lifeboat",
    help="Who can bring a station crew home, how soon, and what a second crew transport buys.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lifeboat {__version__}")
        raise typer.Exit()


CatalogOption = typer.Option(
    [], "--catalog", metavar="FILE", show_default=False,
    help="A catalog overlay file (same schema as the built-in data; repeatable). Adds to "
         "LIFEBOAT_CATALOG.")


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    catalog: list[Path] = CatalogOption,
) -> None:
    """Lifeboat: crew rescue and lifeboat analysis for crewed space stations."""
    warnings.showwarning = _show_warning
    if catalog or "lifeboat.catalog" in sys.modules:
        _use_catalog(ctx, catalog)


def _use_catalog(ctx: typer.Context, paths: list[Path]) -> None:
    """Make the overlays of this run the environment's plus ``--catalog``, and check them now;
    the setting in force before the run comes back when the command ends (the CLI may run
    inside a longer-lived process: a notebook, the tests)."""
    from lifeboat import catalog as cat
    from lifeboat.cli.common import user_errors

    before = cat.overlay_setting()
    ctx.call_on_close(lambda: cat.use_overlays(before))
    cat.use_overlays(None)
    if paths:
        cat.use_overlays([*cat.overlay_paths(), *map(str, paths)])
        user_errors(cat.load_catalog)()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, LifeboatWarning):
        from lifeboat.cli.common import err_console

        err_console.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def main() -> None:
    app()
