"""The one exception type for bad user input.

Every layer raises :class:`InputError` for a problem the user can fix (a malformed file, an
unknown id, an out-of-range value). The CLI turns it into one line on stderr and exit code 2.
"""

from __future__ import annotations

import re

_NAMED = re.compile(r"`([a-z_][a-z0-9_]*)`")


class InputError(ValueError):
    """A user-fixable problem with an input.

    Parameters
    ----------
    message:
        What was wrong and what was expected, as one sentence.
    source:
        The file (path) or argument (``--site``) the problem is in, if any.
    where:
        The line (``line 12``) or field path (``crew[1].seat``) inside ``source``, if known.
    param:
        The Python parameter the problem is in (``days``, ``hole_mm``), when the value came in
        as an argument rather than from a file. The Python API shows it as ``days``; the CLI
        shows the matching option (``--days``).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        where: str | None = None,
        param: str | None = None,
    ):
        self.message = message
        self.source = source
        self.where = where
        self.param = param
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.render()

    def render(self, param_label=None) -> str:
        """The one-line message; ``param_label`` turns a parameter name into what the user typed.

        Other parameters named in the message in backticks (```volume_m3```) are shown the same
        way: ``volume_m3`` from Python, ``--volume-m3`` on the command line.
        """
        label = None
        if self.param:
            label = param_label(self.param) if param_label else self.param
        message = _NAMED.sub(lambda m: param_label(m[1]) if param_label else m[1], self.message)
        place = ": ".join(p for p in (self.source, label, self.where) if p)
        return f"{place}: {message}" if place else message


def from_validation_error(exc, *, source: str | None, prefix: str = "") -> InputError:
    """Turn the first problem of a pydantic ``ValidationError`` into an :class:`InputError`.

    The field path is written ``crew[1].seat``; ``prefix`` is prepended (``vehicle[3]``).
    """
    errors = exc.errors()
    # A misspelt key shows up as both "unknown key" and "missing"; the unknown key is the clue.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    parts: list[str] = [prefix] if prefix else []
    for loc in first["loc"]:
        if isinstance(loc, int):
            if parts:
                parts[-1] += f"[{loc}]"
            else:
                parts.append(f"[{loc}]")
        elif loc not in ("function-after", "tagged-union") and "[" not in str(loc):
            parts.append(str(loc))
    where = ".".join(parts) or None
    kind = first["type"]
    if kind == "extra_forbidden":
        message = "unknown key (check the spelling; unknown keys are not ignored)"
        missing = [".".join(str(p) for p in e["loc"]) for e in errors if e["type"] == "missing"]
        if missing:
            message += f"; missing: {', '.join(missing)}"
    elif kind == "missing":
        message = "required field is missing"
    else:
        given = first.get("input")
        message = first["msg"].removeprefix("Value error, ")
        if not isinstance(given, dict | list) and given is not None:
            message += f" (got {given!r})"
    return InputError(message, source=source, where=where)


class LifeboatWarning(UserWarning):
    """Something the user should know that does not stop the run (the CLI prints one line)."""


class CatalogOverrideWarning(LifeboatWarning):
    """A catalog overlay record replaces a record of the same id (shipped or from an overlay)."""
