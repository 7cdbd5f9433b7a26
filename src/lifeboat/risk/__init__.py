"""Risk engine: Monte Carlo of loss of crew and decrewing over years of station operations.

See ``docs/risk-model.md`` for the model. Public API:

* :func:`load_architecture`, :func:`list_architectures` — architecture files (built-in or path);
* :func:`run_risk` → :class:`RiskResult`, and :func:`compare` for several architectures;
* :func:`lifeboat.risk.sweep.run_sweep` for sweeps on Dask (imported lazily: it needs Dask).
"""

from lifeboat.risk.engine import RiskResult, compare, run_risk
from lifeboat.risk.model import Architecture, list_architectures, load_architecture

__all__ = [
    "Architecture",
    "RiskResult",
    "compare",
    "list_architectures",
    "load_architecture",
    "run_risk",
]
