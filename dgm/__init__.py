"""dgm: Dongguan Manufacturing 2025 (東府〔2015〕1號) — goals, sourced data, forecasts, evaluation.

Importing dgm is light (no pandas, matplotlib or statsmodels until a function needs them) and
sets no rcParams; the public functions below load on first use.
"""

__version__ = "0.1.0"

_API = {
    "load_targets": "dgm.data.loaders",
    "load_measures": "dgm.data.loaders",
    "load_indicators": "dgm.data.loaders",
    "load_sources": "dgm.data.loaders",
    "load_observations": "dgm.data.loaders",
    "series": "dgm.data.loaders",
    "panel_long": "dgm.data.loaders",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    """Load a public function on first access (PEP 562)."""
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'dgm' has no attribute {name!r}")
