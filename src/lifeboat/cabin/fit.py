"""Hole size from pressure telemetry: leak onset, effective area Cd·A with a 95 % interval.

Model. Before the onset the cabin pressure drifts slowly (background leakage, repressurisation);
after it a hole to vacuum adds an exponential decay (isothermal, choked: p ∝ exp(−t/τ)). In log
pressure both are straight lines, so y = ln p is fitted by a continuous two-segment line (a hinge
at the onset t₀): y = a + b₀·min(t − t₀, 0) + b₁·max(t − t₀, 0). The onset is the t₀ of least
squared error (every sample time is tried at once with prefix sums, then refined between
samples). The hole adds the slope change Δb = b₁ − b₀ (1/s), and for a volume V at temperature T

    Cd·A = −Δb · V / (R·T · √(γ/(R·T)) · Γ)       (see :mod:`lifeboat.cabin.physics`).

Uncertainty. Quantisation (0.1 or 1 mmHg sensor steps) makes the residuals a staircase that is
correlated over many samples, and gaps make sampling irregular, so plain least-squares errors are
too small. The covariance is the Newey–West heteroscedasticity-and-autocorrelation-consistent
(HAC) estimate with a Bartlett kernel whose bandwidth covers the measured correlation length of
the residuals (twice the first zero crossing of their autocorrelation, at least the usual
4·(n/100)^(2/9)); the onset's uncertainty enters by the delta method (the model's derivative
with respect to the onset joins the design). When the readings sit on a sensor grid the slowly
falling signal rounds the same way for hours, which biases least squares; the hinge is then
refitted by maximum likelihood for interval-censored readings (each reading says only that the
noisy pressure lay within ±step/2 of it; Gaussian noise of fitted σ), and the interval takes the
larger of the HAC and the observed-information standard errors. Student's t with
n/(bandwidth+1) − 4 degrees of freedom.
If no slope change is significant (the leak began before the record), the record is fitted with
one straight line and the background is taken as zero.

Outliers. A wild reading (a transmission glitch, a sensor spike) would bend a least-squares fit
and can flip the verdict, so samples are screened first with a Hampel filter on ln p: a sample is
dropped when it departs from the robust (Theil–Sen) line through its 6 nearest neighbours by
more than 8 robust standard deviations (1.4826 × the median absolute departure over the record), and by more than three
sensor steps. A pressure that truly falls is smooth on that scale (ln p is piecewise linear), so
only isolated spikes are dropped; if more than 5 % of the samples would go, the record is noisy
rather than spiked and none is dropped. The result lists every dropped sample.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from scipy import special, stats
from scipy.optimize import minimize, minimize_scalar

from lifeboat.cabin import physics
from lifeboat.cabin.leak import diameter_for_area_mm
from lifeboat.cabin.network import DEFAULT_TEMPERATURE_K
from lifeboat.errors import InputError
from lifeboat.fileio import read_text
from lifeboat.timeutil import parse_utc

MIN_SAMPLES = 20
MAX_TELEMETRY_BYTES = 64 * 1024 * 1024  # about two million samples
MIN_SIDE = 5  # samples needed on each side of an onset
ONSET_T_STAT = 3.0  # |t| of the slope change needed to call an onset inside the record
HAMPEL_HALF_WINDOW = 3  # neighbours on each side of a sample in the outlier screen
HAMPEL_SIGMAS = 8.0
HAMPEL_MIN_STEPS = 3.0  # never drop a reading within three sensor steps of its neighbours
MAX_DROPPED_FRACTION = 0.05
PRESSURE_COLUMNS = {"pressure_mmhg": physics.PA_PER_MMHG, "pressure_kpa": 1000.0}
KNOWN_COLUMNS = {"utc", "module", *PRESSURE_COLUMNS}


@dataclass(frozen=True)
class Telemetry:
    """One pressure series: ``times_s`` after ``start_utc``, ``pressure_pa``."""

    source: str
    module: str | None
    start_utc: datetime
    times_s: np.ndarray
    pressure_pa: np.ndarray


@dataclass(frozen=True)
class DroppedSample:
    """A reading screened out as an outlier, and how far it was from its neighbours' median."""

    utc: datetime
    pressure_mmhg: float
    departure_mmhg: float


@dataclass(frozen=True)
class LeakFit:
    """Hole size fitted to a pressure series. Areas are Cd·A in mm²; rates in mmHg/h."""

    source: str
    module: str | None
    samples: int
    start_utc: datetime
    end_utc: datetime
    onset_utc: datetime
    onset_detected: bool  # False: the leak began at or before the first sample
    effective_area_mm2: float
    effective_area_ci95_mm2: tuple[float, float]
    hole_diameter_mm: float
    hole_diameter_ci95_mm: tuple[float, float]
    cd: float
    volume_m3: float
    temperature_k: float
    pressure_at_onset_mmhg: float
    leak_rate_at_onset_mmhg_per_h: float
    background_rate_mmhg_per_h: float
    residual_rms_mmhg: float
    leak_detected: bool  # the interval excludes zero
    dropped: list[DroppedSample] = field(default_factory=list)  # outliers left out of the fit


def _columns_of(data) -> dict[str, list]:
    keys = list(data.keys()) if hasattr(data, "keys") else list(data.columns)
    return {str(k): list(data[k]) for k in keys}


def _check_header(names, source: str) -> str:
    """The pressure column of a valid header; otherwise an :class:`InputError` naming it."""
    names = {str(c).strip().lower() for c in names}
    unknown = sorted(names - KNOWN_COLUMNS)
    pressure_cols = [c for c in PRESSURE_COLUMNS if c in names]
    if unknown or "utc" not in names or len(pressure_cols) != 1:
        raise InputError(
            "expected columns utc, one of pressure_mmhg / pressure_kpa, optional module; got "
            f"{', '.join(sorted(names)) or '(none)'}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            source=source, where="header")
    return pressure_cols[0]


def _read_csv(path: Path) -> tuple[dict[str, list], list[int]]:
    source = str(path)
    text = read_text(path, max_bytes=MAX_TELEMETRY_BYTES, what="CSV telemetry")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", source=source) from None
    if not rows:
        raise InputError("empty file; expected a header line utc,pressure_mmhg", source=source)
    header = [h.strip().lower() for h in rows[0]]
    _check_header(header, source)
    columns: dict[str, list] = {h: [] for h in header}
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"expected {len(header)} values, got {len(row)}", source=source,
                             where=f"line {number}")
        for h, cell in zip(header, row, strict=True):
            columns[h].append(cell.strip())
        lines.append(number)
    return columns, lines


def read_telemetry(data, *, module: str | None = None) -> Telemetry:
    """Read a pressure series from a CSV file (path) or from columns (a mapping or data frame).

    Columns: ``utc`` (ISO 8601), exactly one of ``pressure_mmhg`` / ``pressure_kpa``, optional
    ``module`` (if it names several modules, choose one with ``module``). Rows with an empty
    pressure are gaps and are skipped. Times must increase strictly.
    """
    if isinstance(data, str | os.PathLike):
        source = str(data)
        columns, lines = _read_csv(Path(data))
    else:
        source = "telemetry"
        columns = _columns_of(data)
        lines = list(range(2, 2 + max((len(v) for v in columns.values()), default=0)))
    unit = _check_header(columns, source)
    columns = {c.strip().lower(): v for c, v in columns.items()}
    modules = columns.get("module")
    if modules is not None:
        present = sorted({str(m) for m in modules if str(m)})
        if module is None and len(present) > 1:
            raise InputError(f"the series holds several modules ({', '.join(present)}); choose "
                             "one (`module`)", source=source, where="column module")
        if module is not None and module not in present:
            raise InputError(f"no rows for module {module!r}; present: {', '.join(present)}",
                             source=source, where="column module")
        module = module or (present[0] if present else None)
    times: list[datetime] = []
    pressures: list[float] = []
    for i, line in enumerate(lines):
        if modules is not None and module is not None and str(modules[i]) != module:
            continue
        raw = columns[unit][i]
        if raw is None or (isinstance(raw, str) and raw == ""):
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise InputError(f"expected a pressure >= 0, got {raw!r}", source=source,
                             where=f"line {line}, column {unit}")
        when = parse_utc(columns["utc"][i], source=source, where=f"line {line}, column utc")
        if times and when <= times[-1]:
            raise InputError(f"time {when.isoformat()} is not after the previous sample; times "
                             "must increase", source=source, where=f"line {line}, column utc")
        times.append(when)
        pressures.append(value * PRESSURE_COLUMNS[unit])
    if len(times) < MIN_SAMPLES:
        raise InputError(f"too short: {len(times)} samples, need at least {MIN_SAMPLES}",
                         source=source)
    t = np.array([(x - times[0]).total_seconds() for x in times])
    p = np.array(pressures)
    if np.any(p <= 0):
        raise InputError("pressures must be > 0 to fit a leak", source=source)
    return Telemetry(source, module, times[0], t, p)


def _hinge_sse_all(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Squared error of the best continuous hinge at each sample time t[j] (inf where a side has
    fewer than MIN_SIDE samples). ``t`` and ``y`` centred for conditioning."""
    n = t.size
    c1, c2 = np.cumsum(t), np.cumsum(t * t)
    cy, cty = np.cumsum(y), np.cumsum(t * y)
    tau = t
    n_left = np.arange(1, n + 1, dtype=float)
    n_right = n - n_left
    sl1 = c1 - n_left * tau
    sl2 = c2 - 2 * tau * c1 + n_left * tau**2
    sly = cty - tau * cy
    sr1 = (c1[-1] - c1) - n_right * tau
    sr2 = (c2[-1] - c2) - 2 * tau * (c1[-1] - c1) + n_right * tau**2
    sry = (cty[-1] - cty) - tau * (cy[-1] - cy)
    normal = np.zeros((n, 3, 3))
    normal[:, 0, 0] = n
    normal[:, 0, 1] = normal[:, 1, 0] = sl1
    normal[:, 0, 2] = normal[:, 2, 0] = sr1
    normal[:, 1, 1] = sl2
    normal[:, 2, 2] = sr2
    rhs = np.stack([np.full(n, y.sum()), sly, sry], axis=1)
    sse = np.full(n, np.inf)
    ok = (n_left >= MIN_SIDE) & (n_right >= MIN_SIDE)
    beta = np.linalg.solve(normal[ok], rhs[ok][..., None])[..., 0]
    sse[ok] = (y * y).sum() - np.einsum("ij,ij->i", beta, rhs[ok])
    return sse


def _design(t: np.ndarray, onset: float | None) -> np.ndarray:
    if onset is None:
        return np.column_stack([np.ones_like(t), t])
    u = t - onset
    return np.column_stack([np.ones_like(t), np.minimum(u, 0.0), np.maximum(u, 0.0)])


def _ols(x: np.ndarray, y: np.ndarray):
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    return beta, y - x @ beta


def _lagged_products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """r[l] = Σ_i a[i+l]·b[i] for every lag l ≥ 0 (FFT cross-correlation), shape (..., n)."""
    n = a.shape[-1]
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size))
    return np.fft.irfft(spectrum, size)[..., :n]


def hac_covariance(x: np.ndarray, residuals: np.ndarray) -> tuple[np.ndarray, int]:
    """Newey–West covariance of OLS coefficients with a bandwidth covering the residuals'
    correlation length; returns (covariance, bandwidth in samples)."""
    n = residuals.size
    e = residuals - residuals.mean()
    acf = _lagged_products(e, e)
    max_lag = max(n // 3, 1)
    below = np.flatnonzero(acf[1:max_lag] <= 0.0)
    crossing = int(below[0]) + 1 if below.size else max_lag
    rule = math.ceil(4.0 * (n / 100.0) ** (2.0 / 9.0))
    bandwidth = int(min(max(rule, 2 * crossing), max_lag))
    score = (x * residuals[:, None]).T  # (k, n)
    weights = np.clip(1.0 - np.arange(n) / (bandwidth + 1.0), 0.0, None)
    cross = _lagged_products(score[:, None, :], score[None, :, :])  # (k, k, n)
    lagged = (cross[..., 1:] * weights[1:]).sum(axis=-1)
    meat = cross[..., 0] + lagged + lagged.T
    bread = np.linalg.inv(x.T @ x)
    return bread @ meat @ bread, bandwidth


def screen_outliers(times_s: np.ndarray, pressure_pa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hampel screen of a pressure series: (keep mask, departure from the local line in Pa).

    Each sample is compared with the robust (Theil–Sen) line through its 6 nearest neighbours,
    so a steady fall, the ends of the record and irregular sampling are not mistaken for spikes.
    A sample is dropped when it departs by more than 8 robust σ and three sensor steps; nothing is
    dropped if more than 5 % would be (see the module notes).
    """
    n = pressure_pa.size
    k = HAMPEL_HALF_WINDOW
    if n < 2 * k + 1:
        return np.ones(n, bool), np.zeros(n)
    y = np.log(pressure_pa)
    t = (times_s - times_s[0]) / 3600.0
    starts = np.clip(np.arange(n) - k, 0, n - 2 * k - 1)
    window = starts[:, None] + np.arange(2 * k + 1)
    others = np.array([row[row != i] for i, row in enumerate(window)])  # (n, 2k) neighbours
    tj, yj = t[others], y[others]
    a, b = np.triu_indices(2 * k, 1)
    slopes = np.median((yj[:, b] - yj[:, a]) / (tj[:, b] - tj[:, a]), axis=1)
    intercepts = np.median(yj - slopes[:, None] * tj, axis=1)
    local = intercepts + slopes * t
    departure = y - local
    sigma = 1.4826 * float(np.median(np.abs(departure - np.median(departure))))
    departure_pa = pressure_pa - np.exp(local)
    step = quantisation_step(pressure_pa)
    floor_pa = max(HAMPEL_MIN_STEPS * step, 1e-6 * float(np.median(pressure_pa)))
    wild = (np.abs(departure) > HAMPEL_SIGMAS * sigma) & (np.abs(departure_pa) > floor_pa)
    if wild.sum() > MAX_DROPPED_FRACTION * n:
        return np.ones(n, bool), departure_pa
    return ~wild, departure_pa


def quantisation_step(values: np.ndarray) -> float:
    """The sensor step if the readings sit on a regular grid (0 if they do not): the smallest
    gap between distinct readings, accepted when every reading is a whole multiple of it and
    readings repeat (fewer distinct values than half the samples)."""
    distinct = np.unique(values)
    if distinct.size < 2 or distinct.size > values.size // 2:
        return 0.0
    step = float(np.min(np.diff(distinct)))
    multiples = (distinct - distinct[0]) / step
    return step if np.allclose(multiples, np.round(multiples), atol=1e-6) else 0.0


def _log_interval_probability(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """log(Φ(upper) − Φ(lower)) for lower < upper, computed in the stable tail."""
    flip = lower > 0.0
    lo = np.where(flip, -upper, lower)
    hi = np.where(flip, -lower, upper)
    log_hi = special.log_ndtr(hi)
    return log_hi + np.log(-np.expm1(np.minimum(special.log_ndtr(lo) - log_hi, -1e-300)))


def _censored_hinge(tc, readings, step, start, y_mid):
    """Maximum-likelihood hinge for readings rounded to ``step`` from a curve plus Gaussian noise:
    each reading only says the noisy pressure lay within ±step/2 of it (interval censoring).
    ``start`` = (a, b0, b1, onset, log σ). Returns (parameters, covariance) from the observed
    information, or None if the optimiser fails."""

    def objective(theta):
        """Negative log-likelihood and its gradient."""
        a, b0, b1, onset, log_sigma = theta
        u = tc - onset
        left = u < 0.0
        model = np.exp(y_mid + a + b0 * np.minimum(u, 0.0) + b1 * np.maximum(u, 0.0))
        sigma = math.exp(log_sigma)
        lower = (readings - step / 2 - model) / sigma
        upper = (readings + step / 2 - model) / sigma
        log_p = _log_interval_probability(lower, upper)
        # d log P/d lower = −φ(lower)/P, d log P/d upper = φ(upper)/P (computed in logs).
        log_phi = -0.5 * np.log(2 * np.pi)
        w_upper = np.exp(log_phi - 0.5 * upper**2 - log_p)
        w_lower = np.exp(log_phi - 0.5 * lower**2 - log_p)
        d_model = -(w_upper - w_lower) / sigma  # d log P / d model
        d_log_sigma = -(w_upper * upper - w_lower * lower)
        g_model = d_model * model
        gradient = -np.array([
            g_model.sum(),
            (g_model * np.minimum(u, 0.0)).sum(),
            (g_model * np.maximum(u, 0.0)).sum(),
            (g_model * -np.where(left, b0, b1)).sum(),
            d_log_sigma.sum(),
        ])
        return -float(log_p.sum()), gradient

    start = np.asarray(start, float)
    typical = np.array([1e-4, 1e-4, 1e-4, 0.05, 0.1])  # log p, 1/h, 1/h, h, log Pa

    def scaled(z):
        value, gradient = objective(start + z * typical)
        return value, gradient * typical

    result = minimize(scaled, np.zeros(5), jac=True, method="L-BFGS-B")
    if not np.isfinite(result.fun):
        return None
    theta = start + result.x * typical
    # Observed information: central differences of the analytic gradient.
    hessian = np.empty((5, 5))
    for i in range(5):
        h = np.zeros(5)
        h[i] = typical[i] * 1e-3
        hessian[i] = (objective(theta + h)[1] - objective(theta - h)[1]) / (2 * h[i])
    hessian = 0.5 * (hessian + hessian.T)
    try:
        covariance = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(covariance)) or np.any(np.diag(covariance) < 0):
        return None
    return theta, covariance


def fit_leak(
    data,
    volume_m3: float,
    cd: float = 0.6,
    *,
    temperature_k: float = DEFAULT_TEMPERATURE_K,
    module: str | None = None,
) -> LeakFit:
    """Fit the leak onset and hole size to a pressure series (CSV path, mapping of columns, or a
    :class:`Telemetry`) of a cabin of ``volume_m3`` at ``temperature_k``; diameter for ``cd``."""
    if not (volume_m3 > 0 and math.isfinite(volume_m3)):
        raise InputError(f"expected a volume > 0 m³, got {volume_m3!r}", param="volume_m3")
    if not 0 < cd <= 1:
        raise InputError(f"expected 0 < cd <= 1, got {cd!r}", param="cd")
    series = data if isinstance(data, Telemetry) else read_telemetry(data, module=module)
    keep, departure_pa = screen_outliers(series.times_s, series.pressure_pa)
    dropped = [DroppedSample(series.start_utc + timedelta(seconds=float(series.times_s[i])),
                             float(series.pressure_pa[i] / physics.PA_PER_MMHG),
                             float(departure_pa[i] / physics.PA_PER_MMHG))
               for i in np.flatnonzero(~keep)]
    if dropped:
        series = Telemetry(series.source, series.module, series.start_utc,
                           series.times_s[keep], series.pressure_pa[keep])
    t_h = series.times_s / 3600.0
    y = np.log(series.pressure_pa)
    t_mid, y_mid = t_h.mean(), y.mean()
    tc, yc = t_h - t_mid, y - y_mid
    n = tc.size
    if n < 2 * MIN_SIDE + 1:
        raise InputError(f"too short: need at least {2 * MIN_SIDE + 1} samples",
                         source=series.source)

    sse = _hinge_sse_all(tc, yc)
    j = int(np.argmin(sse))
    lo, hi = tc[max(j - 1, MIN_SIDE - 1)], tc[min(j + 1, n - MIN_SIDE - 1)]

    def hinge_sse(onset: float) -> float:
        return float(np.sum(_ols(_design(tc, onset), yc)[1] ** 2))

    onset = tc[j]
    if hi > lo:
        refined = minimize_scalar(hinge_sse, bounds=(lo, hi), method="bounded",
                                  options={"xatol": 1e-6 * (tc[-1] - tc[0])})
        if refined.fun < sse[j]:
            onset = float(refined.x)
    x = _design(tc, onset)
    beta, resid = _ols(x, yc)
    # Delta method for the fitted onset: the model's derivative with respect to t₀ joins the
    # design (Jacobian) so the slope interval carries the onset's uncertainty too.
    jacobian = np.column_stack([x, -np.where(tc < onset, beta[1], beta[2])])
    cov, bandwidth = hac_covariance(jacobian, resid)
    change = beta[2] - beta[1]
    change_se = math.sqrt(max(cov[1, 1] + cov[2, 2] - 2 * cov[1, 2], 0.0))
    onset_detected = change_se > 0 and change / change_se < -ONSET_T_STAT
    step = quantisation_step(series.pressure_pa)
    if onset_detected and step > 0.0:
        rms = float(np.sqrt(np.mean((series.pressure_pa - np.exp(x @ beta + y_mid)) ** 2)))
        censored = _censored_hinge(tc, series.pressure_pa, step,
                                   (*beta, onset, math.log(max(rms, step / 4.0))), y_mid)
        if censored is not None:
            theta, ml_cov = censored
            beta, onset = theta[:3], theta[3]
            x = _design(tc, onset)
            change = beta[2] - beta[1]
            ml_se = math.sqrt(max(ml_cov[1, 1] + ml_cov[2, 2] - 2 * ml_cov[1, 2], 0.0))
            change_se = max(change_se, ml_se)
    if onset_detected:
        leak_slope, slope_se, background = change, change_se, beta[1]
        y_onset = beta[0]
    else:
        onset = tc[0]
        x = _design(tc, None)
        beta, resid = _ols(x, yc)
        cov, bandwidth = hac_covariance(x, resid)
        leak_slope, slope_se, background = beta[1], math.sqrt(cov[1, 1]), 0.0
        y_onset = beta[0] + beta[1] * onset
    dof = max(n / (bandwidth + 1.0) - x.shape[1] - 1.0, 1.0)
    half = stats.t.ppf(0.975, dof) * slope_se

    # Cd·A from a log-pressure slope (1/h): Cd·A = −slope·V/(R·T·flux).
    per_slope_m2 = volume_m3 / (
        3600.0 * physics.R_AIR_J_PER_KG_K * temperature_k * physics.choked_flux_per_pa(temperature_k)
    )
    area = float(max(-leak_slope * per_slope_m2 * 1e6, 0.0))
    area_lo = float(max(-(leak_slope + half) * per_slope_m2 * 1e6, 0.0))
    area_hi = float(max(-(leak_slope - half) * per_slope_m2 * 1e6, 0.0))
    p_onset = math.exp(y_onset + y_mid)
    fitted = np.exp(x @ beta + y_mid)
    onset_s = (onset + t_mid) * 3600.0
    return LeakFit(
        source=series.source,
        module=series.module,
        samples=n,
        start_utc=series.start_utc,
        end_utc=series.start_utc + timedelta(seconds=float(series.times_s[-1])),
        onset_utc=series.start_utc + timedelta(seconds=float(onset_s)),
        onset_detected=bool(onset_detected),
        effective_area_mm2=area,
        effective_area_ci95_mm2=(area_lo, area_hi),
        hole_diameter_mm=diameter_for_area_mm(area, cd),
        hole_diameter_ci95_mm=(diameter_for_area_mm(area_lo, cd), diameter_for_area_mm(area_hi, cd)),
        cd=cd,
        volume_m3=volume_m3,
        temperature_k=temperature_k,
        pressure_at_onset_mmhg=p_onset / physics.PA_PER_MMHG,
        leak_rate_at_onset_mmhg_per_h=float(-leak_slope * p_onset / physics.PA_PER_MMHG),
        background_rate_mmhg_per_h=float(background * p_onset / physics.PA_PER_MMHG),
        residual_rms_mmhg=float(np.sqrt(np.mean((series.pressure_pa - fitted) ** 2))
                                / physics.PA_PER_MMHG),
        leak_detected=area_lo > 0.0,
        dropped=dropped,
    )
