"""Risk engine: Monte Carlo of loss of crew, exposure, decrewing and cost over years of station
operations, and what a partner's crew transport changes.

See ``docs/risk-model.md`` for the model. Public API:

* :func:`load_architecture`, :func:`list_architectures` — architecture files (built-in or path);
* :func:`run_risk` → :class:`RiskResult`; :func:`compare_paired` → :class:`Comparison` (common
  random numbers, differences from a baseline, two-level with ``uncertainty=N``); :func:`compare`
  returns the results alone;
* :func:`lifeboat.risk.importance.importance` (RAW/RRW), :func:`lifeboat.risk.rates.rates`
  (rates from the record, back-test), :func:`lifeboat.risk.sweep.run_sweep` (Dask sweeps;
  imported lazily: it needs Dask).
"""

from lifeboat.risk.engine import Comparison, RiskResult, compare, compare_paired, run_risk
from lifeboat.risk.model import Architecture, list_architectures, load_architecture

__all__ = [
    "Architecture",
    "Comparison",
    "RiskResult",
    "compare",
    "compare_paired",
    "list_architectures",
    "load_architecture",
    "run_risk",
]
