"""Speed of the kit's methods against their peers, measured in one process.

Prints one table: for each task, the best-of-N wall time of the kit's
function ("ours") and of a peer doing the same work (imbalanced-learn,
scikit-learn, or a plain formula), and the ratio ours / peer (below 1 means
the kit is faster). Rows whose module is not importable print
"not available" instead of failing.

Run: ``.venv/bin/python benchmarks/methods.py`` (or ``make bench``).
Options: ``--repeats N`` (at least N timed calls each, default 3), ``--quick`` (smaller inputs, for a
smoke test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

N_CREDITCARD = 284_807
N_FRAUD = 492


def best_times(ours, peer, repeats, min_total=0.2, max_repeats=50):
    """Best wall times (seconds) of ``ours()`` and ``peer()``, called in turn.

    Alternating the two calls exposes both to the same load on a shared
    machine; fast calls are repeated beyond ``repeats`` until both have run
    ``min_total`` seconds (at most ``max_repeats`` times), since the best of
    three millisecond timings is mostly noise.
    """
    best = [np.inf, np.inf]
    total = [0.0, 0.0]
    done = 0
    while done < repeats or (min(total) < min_total and done < max_repeats):
        for i, func in enumerate((ours, peer)):
            start = time.perf_counter()
            func()
            elapsed = time.perf_counter() - start
            best[i] = min(best[i], elapsed)
            total[i] += elapsed
        done += 1
    return best[0], best[1]


def creditcard_arrays(n_rows):
    """Features (Time, V1..V28, Amount) and labels of the credit-card stand-in,
    or a numpy array of the same shape and fraud rate if the kit's generator
    is not there."""
    try:
        from imbalance_kit.datasets import make_creditcard

        df = make_creditcard(n_rows, random_state=0)
        return df.drop(columns="Class").to_numpy(), df["Class"].to_numpy(), "make_creditcard"
    except (ImportError, AttributeError):
        rng = np.random.default_rng(0)
        X = rng.standard_normal((n_rows, 30))
        y = np.zeros(n_rows, dtype=np.int64)
        y[rng.choice(n_rows, round(n_rows * N_FRAUD / N_CREDITCARD), replace=False)] = 1
        X[y == 1, :10] -= 3.0
        return X, y, "numpy stand-in"


# ---------------------------------------------------------------------------
# Rows of the table: each returns (ours_fn, peer_fn, peer_name) or raises
# ImportError when something is missing.
# ---------------------------------------------------------------------------

def sampler_rows(X, y):
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    import pandas as pd

    from imbalance_kit import samplers

    # pandas in, pandas out: both samplers go through imbalanced-learn's
    # conversion, so this row measures the same path a notebook takes.
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    y_s = pd.Series(y, name="Class")
    return [
        ("SMOTE fit_resample (credit card)",
         lambda: samplers.SMOTE(random_state=0).fit_resample(X, y),
         lambda: ImbSMOTE(random_state=0).fit_resample(X, y), "imblearn SMOTE"),
        ("SMOTE fit_resample (credit card, DataFrame)",
         lambda: samplers.SMOTE(random_state=0).fit_resample(X_df, y_s),
         lambda: ImbSMOTE(random_state=0).fit_resample(X_df, y_s), "imblearn SMOTE"),
        ("random_oversample (credit card)",
         lambda: samplers.random_oversample(X, y, random_state=0),
         lambda: RandomOverSampler(random_state=0).fit_resample(X, y), "imblearn RandomOverSampler"),
        ("random_undersample (credit card)",
         lambda: samplers.random_undersample(X, y, random_state=0),
         lambda: RandomUnderSampler(random_state=0).fit_resample(X, y), "imblearn RandomUnderSampler"),
    ]


def loss_rows(n):
    import torch
    import torch.nn.functional as F

    from imbalance_kit.losses import MultiClassFocalLoss, sigmoid_focal_loss

    g = torch.Generator().manual_seed(0)
    logits = torch.randn(n, generator=g) * 3
    targets = (torch.rand(n, generator=g) < 0.01).float()

    def naive_focal(x, t, alpha=0.25, gamma=2.0):
        # torchvision.ops.sigmoid_focal_loss, written with plain torch ops.
        p = torch.sigmoid(x)
        ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        p_t = p * t + (1 - p) * (1 - t)
        alpha_t = alpha * t + (1 - alpha) * (1 - t)
        return (alpha_t * ce * (1 - p_t) ** gamma).mean()

    def forward_backward(loss_fn, x0, t):
        def run():
            x = x0.clone().requires_grad_(True)
            loss_fn(x, t).backward()
        return run

    n_rows = n // 4
    logits4 = torch.randn(n_rows, 4, generator=g) * 3
    labels4 = torch.randint(0, 4, (n_rows,), generator=g)
    multi = MultiClassFocalLoss(gamma=2.0)

    def naive_multi(x, y, gamma=2.0):
        log_p = F.log_softmax(x, dim=1).gather(1, y[:, None]).squeeze(1)
        return (-(1 - log_p.exp()) ** gamma * log_p).mean()

    return [
        (f"sigmoid_focal_loss fwd+bwd ({n:.0e} logits)",
         forward_backward(lambda x, t: sigmoid_focal_loss(x, t, reduction="mean"), logits, targets),
         forward_backward(naive_focal, logits, targets), "torchvision formula"),
        (f"MultiClassFocalLoss fwd+bwd ({n_rows:.0e} x 4)",
         forward_backward(multi, logits4, labels4),
         forward_backward(naive_multi, logits4, labels4), "plain log_softmax formula"),
    ]


def metric_rows(n):
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import confusion_matrix, fbeta_score

    from imbalance_kit import metrics

    rng = np.random.default_rng(1)
    y = (rng.random(n) < 0.002).astype(np.int64)
    prob = np.clip(rng.beta(1, 30, n) + 0.3 * y * rng.random(n), 0, 1)
    pred = (prob >= 0.1).astype(np.int64)
    k = 1000

    def numpy_precision_at_k():
        top = np.argsort(-prob, kind="stable")[:k]
        return y[top].mean()

    def numpy_ece():
        # Uniform right-closed bins (the first also holds 0), |sum y - sum p| / n.
        bins = np.clip(np.ceil(prob * 10).astype(int) - 1, 0, 9)
        return np.abs(np.bincount(bins, y, 10) - np.bincount(bins, prob, 10)).sum() / n

    def ours_f2():
        c = metrics.confusion_counts(y, pred)
        return metrics.fbeta_from_counts(c.tp, c.fp, c.fn, beta=2.0)

    # (needed kit functions, row name, ours, peer, peer name)
    candidates = [
        (("confusion_counts",), f"confusion_counts ({n:.0e} rows)",
         lambda: metrics.confusion_counts(y, pred),
         lambda: confusion_matrix(y, pred).ravel(), "sklearn confusion_matrix"),
        (("confusion_counts", "fbeta_from_counts"), f"F2 from confusion_counts ({n:.0e})",
         ours_f2, lambda: fbeta_score(y, pred, beta=2.0), "sklearn fbeta_score"),
        (("precision_at_k",), f"precision_at_k k={k} ({n:.0e})",
         lambda: metrics.precision_at_k(y, prob, k), numpy_precision_at_k, "numpy full argsort"),
        (("reliability_curve",), f"reliability_curve 10 bins ({n:.0e})",
         lambda: metrics.reliability_curve(y, prob, n_bins=10),
         lambda: calibration_curve(y, prob, n_bins=10), "sklearn calibration_curve"),
        (("expected_calibration_error",), f"expected_calibration_error ({n:.0e})",
         lambda: metrics.expected_calibration_error(y, prob, n_bins=10),
         numpy_ece, "numpy bincount formula"),
    ]
    rows = []
    for needed, name, ours, peer, peer_name in candidates:
        missing = [f for f in needed if not hasattr(metrics, f)]
        if missing:
            rows.append((name, f"not available (imbalance_kit.metrics lacks {', '.join(missing)})"))
        else:
            rows.append((name, ours, peer, peer_name))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small inputs (smoke test)")
    args = parser.parse_args(argv)

    n_cc = 20_000 if args.quick else N_CREDITCARD
    n_big = 10**5 if args.quick else 10**6

    sections = []
    X, y, source = creditcard_arrays(n_cc)
    print(f"credit-card data: {X.shape[0]:,} x {X.shape[1]}, {int(y.sum())} frauds ({source})")
    for title, build in (
        ("samplers", lambda: sampler_rows(X, y)),
        ("losses", lambda: loss_rows(n_big)),
        ("metrics", lambda: metric_rows(n_big)),
    ):
        try:
            sections.append((title, build()))
        except ImportError as exc:
            sections.append((title, f"not available ({exc})"))

    header = f"{'task':<52} {'ours (s)':>9} {'peer (s)':>9} {'ours/peer':>9}  peer"
    print(f"best of at least {args.repeats} alternating repeats (fast rows: more, up to 0.2 s)"
          f"\n{header}\n{'-' * len(header)}")
    for title, rows in sections:
        if isinstance(rows, str):
            print(f"{title:<52} {rows}")
            continue
        for row in rows:
            if len(row) == 2:
                print(f"{row[0]:<52} {row[1]}")
                continue
            name, ours, peer, peer_name = row
            ours()  # warm-up: imports, caches, thread pools
            peer()
            t_ours, t_peer = best_times(ours, peer, args.repeats)
            print(f"{name:<52} {t_ours:9.4f} {t_peer:9.4f} {t_ours / t_peer:9.2f}  {peer_name}")


if __name__ == "__main__":
    main()
