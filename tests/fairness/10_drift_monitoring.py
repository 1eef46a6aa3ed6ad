"""Correct answers to 10_drift_monitoring written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook.

Each plausible wrong answer the hidden tests target loses points with a message in
words (checked by hand when this set was written): no multiple-testing correction
(about a quarter of drift-free windows fire), the categorical columns or the score
left untested, the PSI not compared with ``psi_threshold``, the labels of the whole
window read (the label delay ignored), no ``None`` before any label is known.
"""

ALTERNATIVES = {
    "signals_answer": [
        # The kit's drift_report for every column at once (Holm and the PSI inside), a z-test for the prior.
        '''def drift_signals(reference, current, numeric, categorical, score_col="score", label_col="is_fraud",
                  time_col="datetime", labels_known_before=None, alpha=0.05, psi_threshold=0.25):
    """{"drifted": [...], "psi": [...], "prior": True/False/None} for one window against the reference."""
    from statsmodels.stats.proportion import proportions_ztest
    columns = [*numeric, *categorical, score_col]
    report = drift_report(reference, current, columns=columns, categorical=list(categorical),
                          alpha=alpha, correction="holm")
    result = {"drifted": report.index[report["drifted"]].tolist(),
              "psi": report.index[report["psi"] > psi_threshold].tolist(), "prior": None}
    if labels_known_before is not None:
        labels = current.loc[current[time_col] < labels_known_before, label_col]
        if labels.size > 0:
            counts = [int(reference[label_col].sum()), int(labels.sum())]
            _, p = proportions_ztest(counts, [len(reference), labels.size])
            result["prior"] = bool(p < alpha)
    return result
''',
        # scipy by hand: KS, chi-square on a crosstab, Bonferroni, PSI on decile bins, Fisher's exact test; tuples.
        '''def drift_signals(reference, current, numeric, categorical, score_col="score", label_col="is_fraud",
                  time_col="datetime", labels_known_before=None, alpha=0.05, psi_threshold=0.25):
    """{"drifted": [...], "psi": [...], "prior": True/False/None} for one window against the reference."""
    from scipy import stats

    def psi(ref, cur, edges=None):
        if edges is None:   # categories
            cats = sorted(set(ref) | set(cur), key=str)
            r = np.array([np.mean(ref == c) for c in cats])
            c = np.array([np.mean(cur == c) for c in cats])
        else:
            r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
            c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1) / len(cur)
        r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
        return float(np.sum((c - r) * np.log(c / r)))

    names, pvalues, sizes = [], [], []
    for col in list(numeric) + [score_col]:
        ref, cur = reference[col].to_numpy(float), current[col].to_numpy(float)
        names.append(col)
        pvalues.append(stats.ks_2samp(ref, cur).pvalue)
        sizes.append(psi(ref, cur, np.unique(np.quantile(ref, np.linspace(0.1, 0.9, 9)))))
    for col in categorical:
        ref, cur = reference[col].to_numpy(), current[col].to_numpy()
        table = pd.crosstab(np.r_[np.zeros(len(ref)), np.ones(len(cur))], np.r_[ref, cur])
        names.append(col)
        pvalues.append(stats.chi2_contingency(table.to_numpy())[1] if table.shape[1] > 1 else 1.0)
        sizes.append(psi(ref, cur))
    bonferroni = np.minimum(1.0, len(pvalues) * np.array(pvalues))
    prior = None
    if labels_known_before is not None:
        known = current[label_col][current[time_col] < labels_known_before]
        if len(known):
            table = [[int(reference[label_col].sum()), int(len(reference) - reference[label_col].sum())],
                     [int(known.sum()), int(len(known) - known.sum())]]
            prior = bool(stats.fisher_exact(table)[1] < alpha)
    return {"drifted": tuple(n for n, p in zip(names, bonferroni) if p < alpha),
            "psi": tuple(n for n, v in zip(names, sizes) if v > psi_threshold),
            "prior": prior}
''',
    ],
}

HABITS = [
    {"name": "prints inside the answer", "append_to": "signals_answer",
     "source": "print('keys:', sorted(drift_signals.__code__.co_varnames[:4]))"},
    {"name": "a scratch cell that overwrites globals the demos use", "after": "signals_visible",
     "source": "# trying things out\nreference = current = None\nalpha = 0.5\nscore_col = 'nope'\nprint('scratch')"},
    {"name": "a helper cell with extra imports", "after": "signals_hidden_labels",
     "source": "from scipy import stats\nimport numpy\nfrom imbalance_kit.drift import ks_test as k\nprint(k([1.0, 2.0, 3.0], [1.0, 2.0, 3.5]))"},
    {"name": "a markdown note of the learner's own", "after": "signals_answer", "cell_type": "markdown",
     "source": "*My note: Holm over all the tests, the score included.*"},
    {"name": "a harmless warning while a graded cell runs", "stderr": True, "append_to": "signals_answer",
     "source": "import warnings\n_signals_quiet = drift_signals\n\ndef drift_signals(*args, **kwargs):\n    warnings.warn('drift_signals: ties in the KS test', UserWarning, stacklevel=2)\n    return _signals_quiet(*args, **kwargs)"},
]
