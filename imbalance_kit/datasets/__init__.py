"""Where the course's data comes from; nothing else in the kit reads data files.

- Credit-card fraud in the Kaggle schema: the real file when it has been
  fetched (:func:`fetch_creditcard`) or your own copy
  (``load_creditcard(path=...)``), a faithful stand-in otherwise
  (:func:`load_creditcard`, :func:`make_creditcard`).
- A transaction simulator with fraud scenarios and drift
  (:func:`simulate_transactions`) and its window features
  (:func:`make_transaction_features`).
- Chest-X-ray-like phantoms (:func:`make_xray`), MedMNIST ``.npz`` files
  (:func:`load_medmnist`) and a torch ``Dataset`` over either
  (:class:`XrayDataset`).
- Real imbalanced benchmark sets of the KEEL collection by name
  (:func:`load_keel`, :func:`keel_names`, :func:`keel_summary`).
- A generated short-text corpus with a rare class (:func:`make_short_texts`)
  and a 2-D set with overlap, a small disjunct and noise
  (:func:`make_overlap_data`).

Run ``python -m imbalance_kit.datasets`` to see what is available locally.
Names are imported on first use, so torch is loaded only by what needs it.
"""

import importlib

_EXPORTS = {
    "data_home": "cache",
    "CREDITCARD_COLUMNS": "creditcard",
    "fetch_creditcard": "creditcard",
    "load_creditcard": "creditcard",
    "make_creditcard": "creditcard",
    "real_creditcard_path": "creditcard",
    "simulate_transactions": "transactions",
    "make_transaction_features": "transactions",
    "DriftSchedule": "transactions",
    "TransactionTables": "transactions",
    "SCENARIO_NAMES": "transactions",
    "make_xray": "xray",
    "load_medmnist": "xray",
    "XrayDataset": "xray",
    "KEEL_CITATION": "keel",
    "keel_names": "keel",
    "keel_summary": "keel",
    "load_keel": "keel",
    "make_short_texts": "text",
    "make_overlap_data": "planar",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
