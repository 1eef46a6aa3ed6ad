"""Correct answers to 11_interview_drills written differently from the solution, and learner habits.

Format of ``tests/test_fairness.py``: ``ALTERNATIVES`` maps the ``grade_id`` of an
answer cell to whole replacement sources of that cell; ``HABITS`` lists changes a
learner really makes to a correct notebook (``"after"``: a new cell after that
cell; ``"append_to"``: lines appended to that answer cell).

The solution's ``LEARNER_SEED`` is ``"change-me"``; the literal numbers below
are that seed's (a learner who reads the numbers and types the answer, rounded).
For that seed: F2 0.6995 (TN 32,646, FP 115, FN 33, TP 115); production
precision 0.1485 (recall 0.7, validation 50 % prevalence and precision 0.972,
production 0.5 %); threshold 20 / 130 = 0.1538; 1,094 frauds per arm
(75 % -> 80 %, 0.1 % fraud); PSI 0.0856; focal factor 0.06 (p = 0.92, y = 1,
alpha = 0.75, gamma = 1).
"""

ALTERNATIVES = {
    "f2_answer": [
        # The numbers typed by hand, rounded to two decimals.
        "f2 = 0.70\n",
        # From precision and recall, as a NumPy float.
        '''tp, fp, fn = my_f2.params["tp"], my_f2.params["fp"], my_f2.params["fn"]
precision_ = np.float64(tp) / (tp + fp)
recall_ = np.float64(tp) / (tp + fn)
f2 = 5 * precision_ * recall_ / (4 * precision_ + recall_)
''',
        # scikit-learn on labels rebuilt from the counts.
        '''from sklearn.metrics import fbeta_score
p = my_f2.params
y_true = np.r_[np.zeros(p["tn"] + p["fp"]), np.ones(p["fn"] + p["tp"])]
y_pred = np.r_[np.zeros(p["tn"]), np.ones(p["fp"]), np.zeros(p["fn"]), np.ones(p["tp"])]
f2 = fbeta_score(y_true, y_pred, beta=2)
''',
        # Three significant digits, written as an int over an int.
        "f2 = 5 * 115 / (5 * 115 + 4 * 33 + 115)\nf2 = round(f2, 3)\n",
    ],
    "prevalence_answer": [
        # Bayes in odds form.
        '''p = my_prevalence.params
odds_val = p["val_precision"] / (1 - p["val_precision"])
prior_odds_val = p["val_prevalence"] / (1 - p["val_prevalence"])
likelihood_ratio = odds_val / prior_odds_val
odds_prod = likelihood_ratio * p["prod_prevalence"] / (1 - p["prod_prevalence"])
prod_precision = odds_prod / (1 + odds_prod)
''',
        # Expected counts in a million transactions.
        '''p = my_prevalence.params
n = 1_000_000
tp_val = p["recall"] * p["val_prevalence"] * n
fp_val = tp_val * (1 - p["val_precision"]) / p["val_precision"]
fpr = fp_val / ((1 - p["val_prevalence"]) * n)
tp = p["recall"] * p["prod_prevalence"] * n
fp = fpr * (1 - p["prod_prevalence"]) * n
prod_precision = tp / (tp + fp)
''',
        # Typed by hand, two decimals.
        "prod_precision = 0.15\n",
        "prod_precision = 0.149\n",
    ],
    "threshold_answer": [
        "threshold = 20 / (20 + 110)\n",
        "threshold = 0.154\n",
        '''c_fn, c_fp = my_threshold.params["fn_cost"], my_threshold.params["fp_cost"]
threshold = np.float32(1 / (1 + c_fn / c_fp))
''',
    ],
    "samplesize_answer": [
        # The whiteboard z values, rounded up.
        '''import math
pa, pb = 0.75, 0.80
pbar = (pa + pb) / 2
n = (1.96 * math.sqrt(2 * pbar * (1 - pbar)) + 0.84 * math.sqrt(pa * (1 - pa) + pb * (1 - pb))) ** 2 / (pa - pb) ** 2
frauds_per_arm = math.ceil(n)
''',
        # The kit's planner.
        '''from imbalance_kit.abtest import sample_size_recall
p = my_ab.params
frauds_per_arm = sample_size_recall(p["recall_a"], p["recall_b"], p["fraud_rate"]).frauds_per_arm
''',
        "frauds_per_arm = 1094.0\n",
        "frauds_per_arm = np.int64(1094)\n",
        # Not rounded up.
        '''from scipy import stats
p = my_ab.params
pa, pb = p["recall_a"], p["recall_b"]
pbar = (pa + pb) / 2
za, zb = stats.norm.ppf(1 - 0.05 / 2), stats.norm.ppf(0.8)
frauds_per_arm = (za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(pa * (1 - pa) + pb * (1 - pb))) ** 2 / (pa - pb) ** 2
''',
    ],
    "psi_answer": [
        # A plain loop with math.log.
        '''import math
psi_value = 0.0
for r, c in zip(my_psi.params["reference"], my_psi.params["current"]):
    psi_value += (c - r) * math.log(c / r)
''',
        # Percentages, converted.
        '''ref = np.array([12, 33, 21, 19, 15]) / 100
cur = np.array([14, 25, 30, 13, 18]) / 100
psi_value = np.sum((cur - ref) * np.log(cur / ref))
''',
        # KL in both directions (the same thing).
        '''r = np.array(my_psi.params["reference"])
c = np.array(my_psi.params["current"])
psi_value = np.sum(c * np.log(c / r)) + np.sum(r * np.log(r / c))
''',
        "psi_value = 0.09\n",
        "psi_value = 0.0856\n",
    ],
    "focal_answer": [
        "focal_factor = 0.75 * (1 - 0.92) ** 1\n",
        "focal_factor = 0.06\n",
        # Through PyTorch: the focal loss divided by the cross-entropy.
        '''import torch
import torch.nn.functional as F
p = my_focal.params
logit = torch.logit(torch.tensor(p["p"], dtype=torch.float64))
target = torch.tensor(float(p["y"]), dtype=torch.float64)
ce = F.binary_cross_entropy_with_logits(logit, target)
prob = torch.sigmoid(logit)
p_t = prob * target + (1 - prob) * (1 - target)
alpha_t = p["alpha"] * target + (1 - p["alpha"]) * (1 - target)
focal_factor = float(alpha_t * (1 - p_t) ** p["gamma"] * ce / ce)
''',
        # Vectorised over a batch of one: a one-element array.
        "focal_factor = np.array([0.75]) * (1 - np.array([0.92])) ** 1.0\n",
        # As a 0-d array.
        '''p = my_focal.params
pt = np.where(p["y"] == 1, p["p"], 1 - p["p"])
at = np.where(p["y"] == 1, p["alpha"], 1 - p["alpha"])
focal_factor = at * (1 - pt) ** p["gamma"]
''',
    ],
    "bugs_answer": [
        'bug_1 = "a"\nbug_2 = " b "\nbug_3 = "C."\nbug_4 = "d)"\nbug_5 = "E"\n',
        ('bug_1 = "SMOTE before the split"\nbug_2 = "Threshold tuned on the test set"\n'
         'bug_3 = "scaler fitted on all data"\nbug_4 = "ROC-AUC only"\nbug_5 = "double counting"\n'),
        ('bug_1 = "resample-before-split"\nbug_2 = "THRESHOLD_ON_TEST"\nbug_3 = "preprocessing on all data"\n'
         'bug_4 = "misleading metric"\nbug_5 = "Double-Counting"\n'),
        ('answers = ["A", "B", "C", "D", "E"]\n'
         'bug_1, bug_2, bug_3, bug_4, bug_5 = answers\n'),
    ],
}

HABITS = [
    # After the last numeric answer, before its hidden test: the grader must still accept
    # the answer to the numbers the learner was shown (earlier, literal answers assume "change-me").
    {"name": "a scratch cell that changes LEARNER_SEED after answering", "after": "focal_visible",
     "source": 'LEARNER_SEED = "my real name"\nprint(drills.issue("f2-from-confusion", LEARNER_SEED))'},
    {"name": "prints and trial computations in an answer", "append_to": "f2_answer",
     "source": "print(my_f2.params)\nprint('my F2:', f2)\ntp = 0"},
    {"name": "scratch names a hidden test could have read", "after": "prevalence_visible",
     "source": "grade_numeric = None\n_verdict = 'scratch'\nverdict = None\nparams = {}\n_p = None"},
    {"name": "from sklearn import metrics and a warning on stderr", "after": "threshold_visible",
     "source": "import warnings\nfrom sklearn import metrics\nwarnings.warn('just trying something')\n"
               "print(metrics.fbeta_score([0, 1, 1], [0, 1, 0], beta=2))", "stderr": True},
    {"name": "a warning written to stderr inside an answer", "append_to": "psi_answer",
     "source": "import sys\nprint('checking my PSI', file=sys.stderr)", "stderr": True},
    {"name": "the learner opens a model answer in a scratch cell", "after": "bugs_visible",
     "source": 'drills.card("smote-before-split", reveal=True)'},
    {"name": "scratch overwrites names the bug tests use", "after": "bugs_visible",
     "source": "parse_choice = None\n_grade_bug = None\n_ok, _message = True, ''\nbug = 'x'"},
]
