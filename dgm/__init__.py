"""dgm: Dongguan Manufacturing 2025 (東府〔2015〕1號) — goals, sourced data, forecasts, evaluation.

Importing dgm is light (no pandas, matplotlib or statsmodels until a function needs them) and
sets no rcParams; the public functions below load on first use.
"""

__version__ = "0.1.0"

_API = {
    "load_targets": "dgm.data",
    "load_measures": "dgm.data",
    "load_indicators": "dgm.data",
    "load_sources": "dgm.data",
    "load_observations": "dgm.data",
    "series": "dgm.data",
    "panel_long": "dgm.data",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    """Load a public function on first access (PEP 562)."""
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'dgm' has no attribute {name!r}")
