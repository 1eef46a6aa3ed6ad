"""Interview questions answered in words: the question, a structured answer strategy, a model answer.

Each :class:`Question` is what a candidate meets at an interview for a fraud,
medical or risk modelling role, with what the course teaches about it:

- ``strategy``: the steps of a good answer, in the order to say them (the
  skeleton a candidate can remember under pressure);
- ``model_answer``: one answer that follows the strategy, in a candidate's
  words;
- ``listen_for``: what interviewers listen for (the points that separate a
  practitioner from someone who has read a blog post);
- ``rubric``: how the course grades a written answer to it (manually).

The seed's two questions (``one-percent-positives`` and ``recall-dropped``)
are the *worked drills* of ``11_interview_drills``; the others span the
beginner, intermediate and advanced tiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Question", "QUESTIONS"]


@dataclass(frozen=True)
class Question:
    """An interview question answered in words.

    Parameters
    ----------
    id : str
        Short, stable identifier (``"one-percent-positives"``).
    topic : str
        One of :data:`imbalance_kit.drills.TOPICS`.
    tier : {"beginner", "intermediate", "advanced"}
        Where the course teaches it.
    prompt : str
        The question as the interviewer asks it.
    strategy : tuple of str
        The steps of a structured answer.
    model_answer : str
        An answer that follows the strategy.
    listen_for : tuple of str
        What interviewers listen for.
    rubric : str
        How a written answer is graded (points and what earns them).
    notebooks : tuple of str
        The notebooks that teach the material (``"01_metrics"``).
    worked : bool
        ``True`` for the worked drills (the seed's two questions).

    Examples
    --------
    >>> q = QUESTIONS[0]
    >>> q.id, q.topic
    ('one-percent-positives', 'resampling')
    """

    id: str
    topic: str
    tier: str
    prompt: str
    strategy: tuple
    model_answer: str
    listen_for: tuple
    rubric: str
    notebooks: tuple = field(default_factory=tuple)
    worked: bool = False
    kind: str = field(default="written", init=False)


QUESTIONS = (
    # ----------------------------------------------------------------- the seed's two questions
    Question(
        id="one-percent-positives",
        topic="resampling",
        tier="beginner",
        worked=True,
        prompt="How would you handle a 1 % positive class?",
        strategy=(
            "Name the accuracy paradox first: predicting the majority is already 99 % accurate, so "
            "agree on the metric before touching the data (recall, precision at the operating point, "
            "average precision, expected cost).",
            "A data-level technique: resample the TRAINING data only (random under-sampling of the "
            "majority, or SMOTE / a variant), inside the cross-validation folds.",
            "An algorithm-level technique: class weights or a cost-sensitive loss (class_weight="
            "'balanced', XGBoost's scale_pos_weight, focal loss), and a threshold moved away from 0.5.",
            "Validation: stratified (repeated) k-fold, or a time-ordered split for transactions; "
            "business-aligned metrics (AP, recall at the alert budget, cost); differences reported "
            "with their uncertainty; probabilities recalibrated if they are used as risks.",
        ),
        model_answer=(
            "First I would make sure we are not fooled by accuracy: with 1 % positives a model that "
            "always says 'negative' is 99 % accurate and useless, so I agree with the business on a "
            "metric, usually recall at the precision or alert volume the team can handle, average "
            "precision, or the expected cost of errors. Then I start with a plain baseline and try "
            "two families of fixes. At the data level, re-balance the training data only: random "
            "under-sampling of the majority when data is plentiful, or SMOTE or a variant when "
            "positives are few, always inside the cross-validation folds. At the algorithm level, "
            "class weights or a cost-sensitive loss (class_weight='balanced', scale_pos_weight, focal "
            "loss), and, often the biggest win, choosing the decision threshold from the costs "
            "instead of 0.5. I validate with stratified k-fold (time-ordered splits for "
            "transactions), compare techniques on the same folds with an interval, and keep the "
            "simplest one that is better beyond the noise. If the scores are used as probabilities, "
            "I recalibrate after re-weighting or resampling."
        ),
        listen_for=(
            "does not jump straight to SMOTE; starts from the metric and a baseline",
            "resampling only on training data, inside the CV folds (no leakage)",
            "one data-level AND one algorithm-level technique, with when each fits",
            "stratified or time-ordered validation; metrics tied to business cost or capacity",
            "the threshold as a decision, chosen on validation data, not on the test set",
            "mentions calibration after re-weighting or resampling",
        ),
        rubric=(
            "4 points: 1 for the accuracy paradox and a minority-aware metric; 1 for a data-level "
            "technique applied to training data only; 1 for an algorithm-level technique (weights, "
            "cost-sensitive loss or threshold); 1 for stratified / time-ordered validation with a "
            "business-aligned metric."
        ),
        notebooks=("01_metrics", "02_resampling", "03_fraud_project", "05_validation_and_text"),
    ),
    Question(
        id="recall-dropped",
        topic="drift",
        tier="advanced",
        worked=True,
        prompt=(
            "Your fraud model's recall dropped from 85 % to 60 % over three months. What happened, "
            "and what do you do?"
        ),
        strategy=(
            "Check the measurement first: enough labelled frauds for the difference to be real "
            "(interval), labels complete after the label delay, same threshold, no broken feature "
            "pipeline.",
            "Three hypotheses: concept drift (P(y|x) changed: fraudsters behave differently), data "
            "drift (P(x) changed: new merchants, channels, seasons), stale synthetic samples (the "
            "SMOTE points were interpolated from old frauds and no longer look like new ones).",
            "Test them: KS test per numeric feature, chi-square per categorical one (with a "
            "multiple-testing correction), PSI of the features and of the score, the fraud rate once "
            "labels arrive, and the missed frauds broken down by segment.",
            "Act: retrain on recent data (a window or recency weights), re-evaluate the imbalance "
            "strategy (does SMOTE still help beyond noise?), re-tune the threshold, deploy as a "
            "challenger, and add monitoring with a retraining trigger.",
        ),
        model_answer=(
            "Before anything, I check the drop is real: at a low fraud rate 60 % may rest on a few "
            "dozen frauds, labels arrive weeks late so the last month may be incomplete, and a "
            "broken feature or a changed threshold looks like drift. Then three hypotheses. Concept "
            "drift: fraudsters changed tactics, so the same features now mean something else; the "
            "missed frauds cluster in a new segment (an amount band, a channel, new terminals). Data "
            "drift: the legitimate traffic moved (a new merchant, a season), which shifts the "
            "features and the score distribution. Stale synthetic samples: the model was trained "
            "with SMOTE points interpolated between old frauds, so it learned yesterday's fraud "
            "region. I test them with a KS test per numeric feature and chi-square per categorical "
            "feature against the training window, with a Holm correction, the PSI of the score, the "
            "fraud rate once labels are in, and a breakdown of the false negatives by segment, and "
            "measure how far the new frauds lie from the synthetic cloud. Then I retrain on recent "
            "data, re-evaluate whether SMOTE still helps beyond noise, re-tune the threshold for the "
            "alert budget, ship it as a challenger, and keep the drift tests as a monitoring job "
            "with a retraining trigger so the next drop is seen in weeks, not months."
        ),
        listen_for=(
            "questions the measurement (label delay, number of frauds, pipeline bugs) before acting",
            "separates concept drift from data drift, and names stale synthetic samples",
            "names concrete tests (KS, chi-square, PSI) and a correction for many features",
            "analyses the missed frauds by segment",
            "retrains on recent data AND re-evaluates the imbalance strategy and threshold",
            "proposes monitoring with a trigger, not a one-off fix",
        ),
        rubric=(
            "4 points: 1 for checking the measurement (label delay or sample size); 1 for the three "
            "hypotheses; 1 for KS / chi-square / PSI evidence; 1 for retraining and re-evaluating the "
            "strategy with monitoring."
        ),
        notebooks=("10_drift_monitoring",),
    ),
    # ----------------------------------------------------------------- metrics
    Question(
        id="roc-auc-enough",
        topic="metrics",
        tier="beginner",
        prompt="Your fraud model has a ROC-AUC of 0.97. Is it good enough to deploy?",
        strategy=(
            "Don't say yes or no; ask for the base rate.",
            "Explain what ROC-AUC hides: false alarms counted as a RATE among a huge negative class, "
            "and an average over thresholds nobody uses.",
            "Ask for the operating constraint (alerts a day) and report precision / recall there, "
            "or average precision against the base rate.",
            "Tie the threshold to costs and compare with a baseline, on a time-ordered test set.",
        ),
        model_answer=(
            "Not on that number alone. At 0.17 % fraud, ROC-AUC counts false alarms as a rate among "
            "hundreds of thousands of legitimate transactions: at 100,000 transactions a day, a 1 % "
            "false-positive rate is 1,000 alerts against about 170 frauds, and it barely moves the curve. Two models with "
            "the same ROC-AUC can put very different numbers of frauds in the 100 alerts the team "
            "can review. I would ask how many alerts the team handles, measure precision and recall "
            "at that many alerts and the average precision (a random model's AP is the base rate), "
            "and choose the threshold from the costs of a missed fraud and a false alarm, on a "
            "recent, time-ordered test set."
        ),
        listen_for=(
            "asks for the base rate and the alert capacity",
            "explains why ROC-AUC is optimistic with rare positives",
            "proposes precision@k, recall at the budget or average precision",
        ),
        rubric=(
            "2 points: 1 for why ROC-AUC can look good with rare positives; 1 for an operational "
            "metric (precision@k, precision/recall at the budget, AP) tied to the team's capacity."
        ),
        notebooks=("01_metrics",),
    ),
    Question(
        id="precision-prevalence",
        topic="metrics",
        tier="beginner",
        prompt=(
            "The model scored 90 % precision on the balanced validation set, and 8 % in production, "
            "where 1 % of cases are positive. Nobody changed the model. How is that possible?"
        ),
        strategy=(
            "Name the cause: precision depends on the prevalence; recall and the false-positive rate "
            "do not.",
            "Show it with Bayes: precision odds = (recall / FPR) x prior odds.",
            "Put numbers on it: likelihood ratio 9 (from 90 % at odds 1), prior odds 1/99 in "
            "production: posterior odds 9/99, precision about 8 %.",
            "Fix the evaluation: validate at the production prevalence (or re-weight), report AP "
            "against the base rate.",
        ),
        model_answer=(
            "Precision depends on how many negatives there are, recall and the false-positive rate do "
            "not. Precision = recall x prevalence / (recall x prevalence + FPR x (1 - prevalence)); in "
            "odds, the posterior odds are the likelihood ratio recall / FPR times the prior odds. "
            "Balanced validation has prior odds 1, so 90 % precision means a likelihood ratio of 9; "
            "production at 1 % has prior odds 1/99, so the posterior odds are 9/99 and precision is "
            "about 8 %, with identical recall and FPR. At the credit-card data's 0.17 % it would be "
            "under 2 %. The fix is in the evaluation, not the model: validate on data with the "
            "production prevalence (or re-weight the negatives), and report precision at the "
            "expected alert volume."
        ),
        listen_for=(
            "precision depends on prevalence; recall and FPR do not",
            "the Bayes / odds argument or the formula",
            "evaluate at the production prevalence",
        ),
        rubric=(
            "2 points: 1 for naming prevalence as the cause with the formula or the odds form; 1 for "
            "the fix (validate at production prevalence / re-weight)."
        ),
        notebooks=("01_metrics",),
    ),
    Question(
        id="precision-at-k",
        topic="metrics",
        tier="advanced",
        prompt="What is precision@k, and why does the fraud team prefer it to AUC?",
        strategy=(
            "Define it: the share of frauds among the k highest-scored transactions.",
            "Connect k to the team: k = the alerts they can review a day.",
            "Contrast with AUC: a summary over all thresholds, most of which the team never uses.",
            "Caveats: per day (or per period), ties, and recall@k next to it.",
        ),
        model_answer=(
            "Precision@k is the share of true frauds among the k transactions the model scores "
            "highest. If the team can review 400 alerts a day, precision@400 per day is exactly the "
            "share of their work that finds fraud, and recall@400 is the share of the day's fraud "
            "they catch. AUC averages over every threshold, including the ones that would raise "
            "50,000 alerts, and treats a swap at the bottom of the ranking like one at the top, so "
            "two models with the same AUC can give the team very different days. I compute it per "
            "day, handle ties explicitly, and report recall@k next to it."
        ),
        listen_for=(
            "k = the team's review capacity",
            "AUC summarises thresholds nobody uses",
            "computed per day, with recall@k",
        ),
        rubric="2 points: 1 for the definition tied to capacity; 1 for why AUC is less relevant.",
        notebooks=("01_metrics", "08_cost_sensitive"),
    ),
    # ----------------------------------------------------------------- resampling
    Question(
        id="over-vs-under",
        topic="resampling",
        tier="beginner",
        prompt="Random over-sampling or random under-sampling: what does each cost you?",
        strategy=(
            "Over-sampling duplicates minority rows: no information lost, but exact copies invite "
            "overfitting (a tree memorises them) and training gets slower.",
            "Under-sampling drops majority rows: fast, but throws information away and raises the "
            "variance.",
            "Both change the class prior the model learns: probabilities are inflated.",
            "Choose by data size; prefer reweighting or down-sample-and-up-weight when "
            "probabilities matter.",
        ),
        model_answer=(
            "Random over-sampling repeats minority rows until the classes balance: nothing is lost, "
            "but a flexible model sees the same fraud twenty times and memorises it, so "
            "cross-validated scores look better than production unless the copies stay inside the "
            "training fold, and training gets slower. Random under-sampling discards majority rows: "
            "it is cheap and often works well when there are millions of negatives, but it wastes "
            "data and makes the model more variable, which bagging several under-samples "
            "(EasyEnsemble) repairs. Both shift the prior the model learns, so its probabilities are "
            "too high; down-sampling the majority and up-weighting the kept rows by the same factor "
            "keeps them calibrated. With huge data I under-sample; with few positives I prefer class "
            "weights or SMOTE."
        ),
        listen_for=(
            "duplicates -> overfitting; dropping -> information loss / variance",
            "probabilities are shifted by the changed prior",
            "a rule for choosing by data size",
        ),
        rubric=(
            "2 points: 1 for the cost of each; 1 for a choice rule or the calibration consequence."
        ),
        notebooks=("02_resampling",),
    ),
    Question(
        id="weights-vs-resampling",
        topic="cost-sensitive",
        tier="beginner",
        prompt="Class weights or resampling: which do you try first, and why?",
        strategy=(
            "Class weights first: no synthetic data, no lost data, no leakage risk, one parameter.",
            "They are equivalent in expectation to random over-sampling for many losses.",
            "Resampling when the learner takes no weights, or when SMOTE's smoothing helps (measure).",
            "Both distort probabilities: recalibrate or correct the prior.",
        ),
        model_answer=(
            "I try class weights first: class_weight='balanced' (or sample_weight) changes the loss, "
            "not the data, so there is nothing to leak between folds, no synthetic points and no "
            "extra training time, and in expectation it is what random over-sampling does. "
            "Resampling is worth it when the learner cannot take weights, or when SMOTE's "
            "interpolation gives a smoother boundary, which I keep only if it beats the weighted "
            "baseline beyond the fold-to-fold noise. Either way the model now believes positives "
            "are common, so its probabilities are too high; I correct them with the prior "
            "correction p' = p / (p + (1 - p) w) or recalibrate on untouched validation data."
        ),
        listen_for=(
            "weights change the loss, resampling the data",
            "weights as the strong, simple baseline",
            "decides by measurement, with uncertainty",
            "calibration consequence",
        ),
        rubric=(
            "2 points: 1 for a reasoned first choice (weights as simple, leak-free baseline); 1 for "
            "when resampling is worth it or the calibration consequence."
        ),
        notebooks=("02_resampling", "03_fraud_project", "08_cost_sensitive"),
    ),
    # ----------------------------------------------------------------- SMOTE variants
    Question(
        id="adasyn-vs-borderline",
        topic="smote-variants",
        tier="intermediate",
        prompt="When would you use ADASYN over Borderline-SMOTE?",
        strategy=(
            "Say what each does: Borderline-SMOTE generates only from 'danger' minority points (half "
            "or more, but not all, of their m neighbours are majority); ADASYN weights every "
            "minority point by the share of majority among its k neighbours.",
            "Consequence: Borderline ignores noise (all neighbours majority) and safe points; ADASYN "
            "puts most points where the minority is hardest, including around noise.",
            "Choose by the data: clean border -> Borderline; hard sub-regions, little noise -> "
            "ADASYN; noisy labels -> neither alone (clean with ENN / Tomek).",
            "Decide by a paired comparison over repeated CV against class weights.",
        ),
        model_answer=(
            "Both focus synthesis on hard regions but define 'hard' differently. Borderline-SMOTE "
            "marks a minority point as danger when at least half but not all of its m nearest "
            "neighbours are majority, and interpolates only from those; points whose neighbours are "
            "all majority count as noise and are skipped. ADASYN gives every minority point a "
            "weight equal to the share of majority among its k neighbours and generates "
            "proportionally, so isolated or noisy points get the most synthetic samples. I would "
            "use ADASYN when the minority has genuinely hard sub-regions and little label noise, and "
            "Borderline-SMOTE when the border is where the errors are and there are mislabeled "
            "points I don't want to amplify. In practice no variant wins everywhere, so I compare "
            "them with class weights over repeated stratified CV and keep one only if it is better "
            "beyond the noise."
        ),
        listen_for=(
            "correct definitions (danger set; density weights)",
            "ADASYN amplifies noise; Borderline skips it",
            "an empirical decision against a weighted baseline",
        ),
        rubric=(
            "2 points: 1 for the two mechanisms; 1 for a choice tied to data properties (noise, hard "
            "regions) with an empirical check."
        ),
        notebooks=("04_smote_variants",),
    ),
    Question(
        id="smote-text-categorical",
        topic="smote-variants",
        tier="intermediate",
        prompt="Would you use SMOTE on TF-IDF text or on one-hot categorical data?",
        strategy=(
            "No for plain SMOTE: it interpolates in a space where points between two examples are "
            "not valid examples.",
            "Text: high-dimensional sparse vectors; distances concentrate, interpolated vectors are "
            "dense mixtures of two vocabularies.",
            "Categorical: a 0.3 of a one-hot category is not a category; use SMOTE-NC (mixed) or "
            "SMOTE-N (all categorical).",
            "Alternatives: class weights, threshold moving, augmentation at the text level.",
        ),
        model_answer=(
            "Not plain SMOTE. On TF-IDF vectors of short texts, nearest neighbours in a 10,000+ "
            "dimensional sparse space are nearly equidistant, so 'neighbours' are arbitrary, and an "
            "interpolated vector is a dense blend of two documents' vocabularies that no real "
            "document resembles; the classifier usually gains nothing over class weights. On one-hot "
            "data, interpolation produces fractional categories ('0.3 of Visa'), which is "
            "meaningless; SMOTE-NC handles mixed numeric and categorical columns (it takes the most "
            "frequent category among the neighbours), SMOTE-N purely categorical ones. For text I "
            "would use class weights, threshold moving, or augmentation in text space (paraphrases, "
            "back-translation), and measure against the weighted baseline."
        ),
        listen_for=(
            "distance concentration and meaningless interpolants on sparse text",
            "SMOTE-NC / SMOTE-N for categorical data",
            "alternatives that work: weights, thresholds, text-level augmentation",
        ),
        rubric=(
            "2 points: 1 for why interpolation fails on sparse text / one-hot data; 1 for the "
            "alternatives (SMOTE-NC/N, weights, text augmentation)."
        ),
        notebooks=("04_smote_variants", "05_validation_and_text"),
    ),
    # ----------------------------------------------------------------- leakage
    Question(
        id="smote-inside-folds",
        topic="leakage",
        tier="intermediate",
        prompt="Why must SMOTE run inside the cross-validation folds?",
        strategy=(
            "Say what goes wrong outside: synthetic points interpolated between what become training "
            "and validation rows.",
            "Consequence: validation rows have near-copies in training; the score is optimistic.",
            "Also: resampled validation data is not the real traffic (wrong prevalence).",
            "The fix: an imbalanced-learn Pipeline, so the sampler runs in fit only; same for the "
            "scaler and the threshold.",
        ),
        model_answer=(
            "If SMOTE runs on the whole data set before cross-validation, a synthetic fraud can be "
            "interpolated between a row that ends up in the training fold and one in the validation "
            "fold, so the model has seen a near-copy of the validation fraud; the validation score "
            "is optimistic, sometimes by a lot. And the validation fold itself then contains "
            "synthetic frauds at an artificial prevalence, so precision and AP are measured on "
            "traffic that does not exist. Putting the sampler in an imbalanced-learn Pipeline makes "
            "it run in fit only, on each training fold, while predict passes validation data "
            "through untouched; the same rule applies to scalers, encoders and to choosing the "
            "threshold."
        ),
        listen_for=(
            "synthetic points carry validation information into training",
            "validation data must keep the real prevalence",
            "imbalanced-learn Pipeline; the rule extends to every fitted step",
        ),
        rubric=(
            "2 points: 1 for the leakage mechanism; 1 for the pipeline fix (or the prevalence point)."
        ),
        notebooks=("03_fraud_project", "05_validation_and_text"),
    ),
    Question(
        id="cv-vs-production",
        topic="leakage",
        tier="intermediate",
        prompt="Our cross-validated F1 is 0.95 and production gives 0.40. What did we do wrong?",
        strategy=(
            "List the leaks in order of likelihood: resampling or preprocessing outside the folds, "
            "threshold or model chosen on the evaluation data, duplicates / same customer on both "
            "sides, a shuffled split of time-ordered data.",
            "Then the honest differences: prevalence shift (precision depends on it), drift.",
            "How to find out: re-run the evaluation leak-free (pipeline, grouped and time-ordered "
            "split, nested threshold choice) and see how much of the gap closes.",
        ),
        model_answer=(
            "Most likely the cross-validation leaked. Typical culprits: SMOTE or the scaler fitted on "
            "all the data before the folds; the threshold (or the model) picked on the same folds "
            "that report F1; duplicated transactions or the same customer on both sides of a split; "
            "and a shuffled split of data that has a time order, so the model saw the future. There "
            "are also honest reasons: production prevalence is lower than in the validation data, "
            "which lowers precision and F1 with the same model, and the fraud patterns may have "
            "moved. I would redo the evaluation leak-free: everything fitted inside an "
            "imbalanced-learn Pipeline, group by customer, train on the past and test on the "
            "future, choose the threshold on training folds only, and evaluate at the production "
            "prevalence. The gap that remains is drift or prevalence, and the monitoring should "
            "tell which."
        ),
        listen_for=(
            "resampling / preprocessing outside the folds",
            "threshold tuned on the evaluation data",
            "grouped and time-ordered validation",
            "prevalence shift as an honest cause",
        ),
        rubric=(
            "3 points: 1 for a resampling / preprocessing leak; 1 for threshold or selection on the "
            "evaluation data, or grouping / time order; 1 for the leak-free re-evaluation plan."
        ),
        notebooks=("05_validation_and_text",),
    ),
    # ----------------------------------------------------------------- focal loss
    Question(
        id="focal-two-audiences",
        topic="focal-loss",
        tier="intermediate",
        prompt="Explain focal loss to a product manager, then to an ML engineer.",
        strategy=(
            "PM: the model stops spending its effort on cases it already gets right and studies "
            "the hard ones.",
            "Engineer: FL = -alpha_t (1 - p_t)^gamma log p_t; gamma = 0 is cross-entropy.",
            "Numbers: an easy example with p_t = 0.9 and gamma = 2 has its loss scaled by 0.01.",
            "Caveats: alpha's convention (0.25 weights positives DOWN with gamma = 2), the prior "
            "bias initialisation, calibration of the outputs.",
        ),
        model_answer=(
            "To a product manager: most scans are obviously normal, and ordinary training keeps "
            "'studying' them because there are so many; focal loss tells the model to spend its "
            "effort on the cases it still gets wrong, so the rare findings get attention. To an ML "
            "engineer: it is cross-entropy multiplied by (1 - p_t)^gamma, with p_t the probability "
            "given to the true class, and an alpha_t class weight (alpha for positives, 1 - alpha for "
            "negatives, as in Lin et al. 2017 and torchvision); with gamma = 2 an easy negative at "
            "p_t = 0.9 contributes 100 times less than under cross-entropy, so the thousands of easy "
            "negatives no longer dominate the gradient. It needs the last layer's bias initialised "
            "to the prior, alpha tuned together with gamma (0.25 with gamma = 2 actually "
            "down-weights positives), and its probabilities checked for calibration."
        ),
        listen_for=(
            "a plain-language version without formulas",
            "the formula with p_t and alpha_t, and gamma = 0 giving CE",
            "a number for the down-weighting of easy examples",
            "alpha convention, bias init or calibration caveat",
        ),
        rubric=(
            "2 points: 1 for a correct plain-language explanation; 1 for the formula with the "
            "effect of gamma on easy examples."
        ),
        notebooks=("06_focal_loss",),
    ),
    Question(
        id="focal-bias-init",
        topic="focal-loss",
        tier="intermediate",
        prompt="Why does focal loss need the prior-probability bias initialisation?",
        strategy=(
            "What happens by default: bias 0 means p = 0.5 for every example at the start.",
            "With 99 % negatives, the first iterations are dominated by the loss of all the "
            "negatives, which is large and unstable.",
            "The fix: b = -log((1 - pi) / pi), so the initial prediction is the base rate pi.",
            "Effect: small, stable initial loss; training starts from the prior.",
        ),
        model_answer=(
            "With the default zero bias every example starts at p = 0.5. With 1 positive in 100, "
            "the first batches are almost all negatives, each with a large loss, so the early "
            "gradient is a huge push to lower every score; in the focal-loss setting (Lin et al.) "
            "this made training diverge. Initialising the last layer's bias to b = -log((1 - pi) / "
            "pi), with pi the positive rate, makes the initial prediction equal to the base rate: the "
            "first loss is small, the easy negatives are already 'easy', and the focusing term "
            "works on the hard examples from the first step. It costs nothing and applies to "
            "cross-entropy too."
        ),
        listen_for=(
            "p = 0.5 at start with a zero bias",
            "the formula b = -log((1 - pi) / pi)",
            "stability of the first iterations",
        ),
        rubric="2 points: 1 for the problem at initialisation; 1 for the formula and its effect.",
        notebooks=("06_focal_loss", "07_imaging_project"),
    ),
    # ----------------------------------------------------------------- calibration
    Question(
        id="focal-scores-too-low",
        topic="calibration",
        tier="intermediate",
        prompt=(
            "Your focal-loss model has a better AUC, but its risk scores are too low. What happened, "
            "and what do you do?"
        ),
        strategy=(
            "Ranking and calibration are different things: AUC only sees the order.",
            "Focal loss shrinks the loss of confident predictions, so the model is rewarded less "
            "for pushing probabilities to the extremes: outputs tend to be under-confident / "
            "shifted.",
            "Measure: reliability diagram, ECE, Brier score on held-out data.",
            "Fix without hurting AUC: temperature scaling or Platt / isotonic on a validation set; "
            "re-check at the deployment prevalence.",
        ),
        model_answer=(
            "AUC only measures the order of the scores, so a model can rank better and still output "
            "probabilities that are wrong as probabilities. Focal loss down-weights confident "
            "predictions, so the model gains little from pushing scores to the extremes and its "
            "outputs tend to be under-confident; alpha weighting moves them too. I would measure it "
            "with a reliability diagram, the ECE and the Brier score on a held-out set, then fit a "
            "monotone recalibration on validation data: temperature scaling (one parameter, keeps "
            "the ranking and the AUC) or Platt / isotonic regression, and check it again at the "
            "prevalence of the hospital or market where it will run."
        ),
        listen_for=(
            "AUC is about ranking, not calibration",
            "why focal loss distorts probabilities",
            "reliability diagram / ECE / Brier",
            "temperature scaling or Platt / isotonic on validation data",
        ),
        rubric=(
            "2 points: 1 for ranking vs calibration and why focal loss shifts probabilities; 1 for "
            "the measurement and a recalibration on validation data."
        ),
        notebooks=("06_focal_loss", "07_imaging_project"),
    ),
    Question(
        id="calibration-after-resampling",
        topic="calibration",
        tier="beginner",
        prompt=(
            "After SMOTE, your model's mean predicted fraud probability is 1.6 % against a base rate "
            "of 0.17 %. Why, and does it matter?"
        ),
        strategy=(
            "Why: the model was trained at a different prior (many more positives), so its "
            "probabilities are inflated.",
            "When it matters: when scores are used as probabilities (expected loss, risk, Bayes "
            "threshold), not when only the ranking or a tuned threshold is used.",
            "Fix: the prior correction p' = p / (p + (1 - p) w) for a minority up-weighted w "
            "times, or recalibrate on untouched validation data.",
            "Check: reliability diagram and Brier score before and after.",
        ),
        model_answer=(
            "SMOTE trained the model on data where frauds were far more common than in reality (with "
            "sampling_strategy=0.1, one row in eleven instead of one in 580), so it learned a higher "
            "prior and its probabilities are inflated, here about ten times on average. It does not matter for ranking metrics (AUC, AP) or for a "
            "threshold tuned on real validation data. It matters as soon as the score is read as a "
            "probability: expected loss, a risk shown to an analyst, or the Bayes threshold "
            "c_FP / (c_FP + c_FN). Then I correct it, with the prior correction p' = p / (p + (1 - "
            "p) w) when the minority was up-weighted w times, or by recalibrating (Platt, isotonic) "
            "on validation data that was never resampled, and I check the reliability diagram and "
            "the Brier score."
        ),
        listen_for=(
            "the changed training prior as the cause",
            "ranking unaffected; probabilities used as probabilities are affected",
            "prior correction or recalibration on un-resampled data",
        ),
        rubric=(
            "2 points: 1 for the cause (training prior) and when it matters; 1 for a correct fix "
            "(prior correction or recalibration on untouched validation data)."
        ),
        notebooks=("03_fraud_project", "08_cost_sensitive"),
    ),
    # ----------------------------------------------------------------- cost-sensitive
    Question(
        id="spw-or-smote",
        topic="cost-sensitive",
        tier="advanced",
        prompt="scale_pos_weight or SMOTE for XGBoost?",
        strategy=(
            "scale_pos_weight first: it reweights the gradient of positives, no synthetic data, no "
            "leakage, no extra rows; the usual starting value is negatives / positives.",
            "Never both at full strength: the imbalance would be corrected twice.",
            "SMOTE adds little to trees (they split on the real positives anyway) and costs time.",
            "Probabilities: both inflate them; tune the threshold, recalibrate; decide by "
            "measurement.",
        ),
        model_answer=(
            "I start with scale_pos_weight: it multiplies the gradient and hessian of positive rows, "
            "so the boosted trees take the rare class seriously without synthetic rows, leakage risk "
            "or longer training; negatives / positives is the usual starting point, tuned as a "
            "hyper-parameter, often lower. SMOTE rarely helps gradient-boosted trees, which can "
            "isolate real positives with splits, and it makes training slower. Combining both at full "
            "strength corrects the imbalance twice and pushes the model to over-predict fraud. Both "
            "inflate the probabilities, so the threshold is chosen from costs on validation data "
            "and the scores recalibrated if used as probabilities. I would only keep SMOTE if a "
            "paired comparison over folds shows a gain beyond noise."
        ),
        listen_for=(
            "what scale_pos_weight does (weighted gradient / hessian)",
            "no double correction",
            "threshold and calibration afterwards",
            "decision by measurement",
        ),
        rubric=(
            "2 points: 1 for a reasoned choice (scale_pos_weight as the simpler, leak-free default); "
            "1 for the double-counting or calibration caveat."
        ),
        notebooks=("08_cost_sensitive",),
    ),
    Question(
        id="amount-dependent-threshold",
        topic="thresholds",
        tier="advanced",
        prompt=(
            "How do you pick a threshold when the cost of a false negative depends on the "
            "transaction?"
        ),
        strategy=(
            "Start from the Bayes decision: flag when p x c_FN > (1 - p) x c_FP.",
            "With a constant cost: t* = c_FP / (c_FP + c_FN) (Elkan 2001), for calibrated p.",
            "Example-dependent: c_FN = amount (+ handling), so the threshold is per transaction: "
            "t_i = c_FP / (c_FP + amount_i).",
            "Needs calibrated probabilities; check the alert capacity; validate the total cost on "
            "held-out data.",
        ),
        model_answer=(
            "Flag a transaction when the expected cost of letting it pass is larger than the cost of "
            "reviewing it: p x c_FN > (1 - p) x c_FP. With constant costs that gives one threshold, "
            "t* = c_FP / (c_FP + c_FN). When a missed fraud costs its amount plus handling, c_FN "
            "varies, so the threshold does too: t_i = c_FP / (c_FP + amount_i + handling); a €2,000 "
            "transaction is flagged at a much lower probability than a €5 one. This requires "
            "calibrated probabilities, so I recalibrate after any re-weighting, then check on "
            "validation data that the total cost is really lower than with one global threshold "
            "and that the alerts fit the team's capacity, adding a capacity constraint if not."
        ),
        listen_for=(
            "the expected-cost comparison",
            "t* = c_FP / (c_FP + c_FN), not swapped",
            "a per-transaction threshold with the amount",
            "calibration and capacity",
        ),
        rubric=(
            "2 points: 1 for the Bayes rule with the correct cost ratio; 1 for the per-transaction "
            "form with the calibration requirement."
        ),
        notebooks=("08_cost_sensitive",),
    ),
    Question(
        id="choose-threshold",
        topic="thresholds",
        tier="beginner",
        prompt="Why is 0.5 usually the wrong threshold on imbalanced data, and how do you choose one?",
        strategy=(
            "0.5 is optimal only for calibrated probabilities and equal costs.",
            "With rare positives, calibrated probabilities rarely exceed 0.5: recall is low.",
            "Choose from costs (Bayes threshold), a capacity (k alerts) or a recall target.",
            "Choose on validation data or inside CV (TunedThresholdClassifierCV), never on the test "
            "set.",
        ),
        model_answer=(
            "0.5 minimises the error rate, which is the right goal only when both errors cost the "
            "same and the probabilities are calibrated. With 0.2 % fraud, a well-calibrated model "
            "rarely gives any transaction more than 50 % fraud probability, so it flags almost "
            "nothing. I would pick the threshold from the business: the cost-optimal t* = c_FP / "
            "(c_FP + c_FN) for calibrated scores, the score of the k-th transaction when the team "
            "reviews k a day, or the highest threshold reaching a recall target. I choose it on "
            "validation data or inside cross-validation (scikit-learn's "
            "TunedThresholdClassifierCV), and the test set only reports the result."
        ),
        listen_for=(
            "0.5 assumes equal costs and calibration",
            "a cost-, capacity- or recall-based rule",
            "chosen on validation data, not the test set",
        ),
        rubric=(
            "2 points: 1 for why 0.5 is arbitrary; 1 for a principled rule chosen on validation data."
        ),
        notebooks=("01_metrics", "08_cost_sensitive"),
    ),
    # ----------------------------------------------------------------- ensembles
    Question(
        id="balanced-ensembles",
        topic="ensembles",
        tier="advanced",
        prompt=(
            "How do BalancedRandomForest and EasyEnsemble work, and when would you pick one over a "
            "weighted XGBoost?"
        ),
        strategy=(
            "Mechanism: each member is trained on a balanced bootstrap (all or a sample of the "
            "positives, an equal random sample of negatives); the ensemble averages.",
            "Why it works: under-sampling's variance is averaged away; every negative is seen by "
            "some member.",
            "When: very many negatives, a need for fast parallel training, noisy data; weighted "
            "boosting is often stronger on tabular data.",
            "Caveat: probabilities are inflated; decide by a measured comparison.",
        ),
        model_answer=(
            "Both are bagging with under-sampling: every member sees a balanced sample, the "
            "positives and an equal-sized random draw of negatives. BalancedRandomForest does it "
            "per tree of a random forest; EasyEnsemble trains an AdaBoost on each balanced subset. "
            "Each member is cheap and biased towards the rare class, and averaging many removes most "
            "of the variance that a single under-sample has, while across members most negatives "
            "are used. I would pick them when negatives are in the millions, when training must be "
            "fast and parallel, or as a robust baseline that needs little tuning; a weighted "
            "XGBoost often ranks better on tabular data. Their scores are not calibrated to the "
            "real prior, so I tune the threshold on validation data and compare them with the "
            "weighted model over folds before choosing."
        ),
        listen_for=(
            "balanced bootstrap per member",
            "averaging reduces under-sampling's variance",
            "a reasoned when-to-use",
            "calibration / threshold caveat",
        ),
        rubric="2 points: 1 for the mechanism; 1 for when to choose it, with the caveat.",
        notebooks=("08_cost_sensitive",),
    ),
    # ----------------------------------------------------------------- A/B tests
    Question(
        id="ab-label-delay",
        topic="ab-testing",
        tier="advanced",
        prompt="How would you A/B test a new fraud model when labels arrive 30 days late?",
        strategy=(
            "Unit of randomisation: the card or customer, not the transaction (fraud happens in "
            "bursts per card; the model's decision changes what happens next).",
            "Primary metric: recall on confirmed frauds, read after the label delay; guardrails "
            "now: alerts a day, FPR, customer friction.",
            "Size it: frauds needed per arm (recall is a proportion among frauds), converted to "
            "days at the fraud rate; fix the duration in advance, no peeking.",
            "Shadow mode as a cheaper first step: both models score the same traffic, McNemar test.",
        ),
        model_answer=(
            "Randomise by card or customer, not by transaction, because frauds on one card come in "
            "bursts and a blocked card changes the traffic that follows. The primary metric is "
            "recall on confirmed frauds, which I can only read once the 30-day label window has "
            "closed, so the test runs for its planned length plus the delay; meanwhile I watch "
            "guardrails that need no labels: alerts per day for the ops team, the flag rate, "
            "customer complaints. I size it in frauds: to detect 70 % against 85 % recall needs a "
            "certain number of frauds per arm, which at 0.1 % fraud means a known number of "
            "transactions and days; I fix that duration before starting and don't stop early on a "
            "good-looking interim result. Before that, a shadow deployment where both models score "
            "the same transactions gives a paired McNemar test on the same frauds, far more "
            "sensitive and without customer risk."
        ),
        listen_for=(
            "randomise by card / customer",
            "primary metric read after the label delay; guardrails meanwhile",
            "sample size counted in frauds, fixed duration, no peeking",
            "shadow mode / paired test",
        ),
        rubric=(
            "3 points: 1 for the unit of randomisation; 1 for the delayed primary metric with "
            "guardrails; 1 for the sample size in frauds (or no peeking / shadow mode)."
        ),
        notebooks=("09_fraud_case_study",),
    ),
    Question(
        id="challenger-doubles-alerts",
        topic="ab-testing",
        tier="advanced",
        prompt="Your challenger catches more fraud but doubles the alerts. Ship it?",
        strategy=(
            "Not as is: compare at the same operating point (same alerts a day or same recall).",
            "Is the gain beyond noise? Interval on the difference in recall (paired if shadow).",
            "Translate into money: frauds caught x value against extra reviews x cost, and the "
            "ops capacity as a hard constraint.",
            "Possible outcome: ship with a higher threshold that keeps today's alert volume.",
        ),
        model_answer=(
            "Not as it stands: doubling alerts can by itself raise recall, so the first question is "
            "whether the challenger is better at the same operating point. I would re-threshold it "
            "to the champion's alert volume (or compare precision at equal recall) and look at the "
            "interval of the difference, paired on the same frauds if both were scored in shadow. "
            "Then I translate to money and capacity: extra frauds caught times their value against "
            "extra reviews times their cost, with the team's daily capacity as a hard limit. Often "
            "the answer is to ship the challenger with a higher threshold that keeps today's alert "
            "volume, if it catches more fraud there beyond noise."
        ),
        listen_for=(
            "compare at the same operating point",
            "uncertainty of the difference",
            "cost and capacity",
        ),
        rubric=(
            "2 points: 1 for comparing at a matched operating point; 1 for the cost / capacity "
            "decision with uncertainty."
        ),
        notebooks=("09_fraud_case_study",),
    ),
    # ----------------------------------------------------------------- drift
    Question(
        id="monitor-label-delay",
        topic="drift",
        tier="advanced",
        prompt="How do you monitor a fraud model when labels arrive weeks late?",
        strategy=(
            "Label-free signals now: input drift (KS, chi-square with a correction, PSI), the "
            "score distribution, the alert rate.",
            "Delayed signals: recall, precision, fraud rate once labels arrive.",
            "Windows: reference of at least a full day or week (daily cycles); compare like with "
            "like.",
            "Triggers: thresholds for action, avoiding alarm fatigue from tiny p-values on big data.",
        ),
        model_answer=(
            "I split the monitoring in two. Without labels, every day: the distribution of each "
            "input (KS for numeric, chi-square for categorical, with a Holm or Benjamini-Hochberg "
            "correction across features), the PSI of the model score, and the alert rate, all "
            "against a reference window that covers whole days or weeks so that night and day "
            "traffic compare fairly. With labels, once the delay has passed: recall, precision at "
            "the alert budget and the fraud rate per cohort. Because large samples make every test "
            "significant, I act on effect sizes (PSI above 0.25, a score shift) and on combinations "
            "of signals, with a documented retraining trigger, rather than on single p-values."
        ),
        listen_for=(
            "label-free proxies: input drift, score drift, alert rate",
            "delayed performance metrics by cohort",
            "multiple-testing / effect sizes to avoid false alarms",
            "a retraining trigger",
        ),
        rubric=(
            "2 points: 1 for label-free signals with named tests; 1 for delayed metrics and a "
            "trigger policy."
        ),
        notebooks=("10_drift_monitoring",),
    ),
    # ----------------------------------------------------------------- system design
    Question(
        id="fraud-system-design",
        topic="system-design",
        tier="advanced",
        prompt=(
            "Design the fraud-detection system for a bank's fraud team: 0.1 % fraud, labels after "
            "30 days, the team reviews 400 alerts a day."
        ),
        strategy=(
            "Requirements first: latency (authorisation in ~100 ms), capacity (400 alerts/day), "
            "costs (missed fraud = amount + handling, false alarm = review + friction), label delay.",
            "Data and features: per-card and per-terminal windows (counts, amounts, fraud history "
            "with the delay respected), time-ordered training.",
            "Model layers: rules for known patterns + a cost-sensitive model (weighted gradient "
            "boosting), threshold from costs under the capacity constraint, calibrated scores.",
            "Lifecycle: time-ordered validation, champion-challenger, drift monitoring with "
            "retraining triggers, feedback from analysts' decisions.",
        ),
        model_answer=(
            "I would start from the constraints: a score within the card authorisation's latency, "
            "at most 400 alerts a day, a missed fraud costing its amount plus handling against a "
            "few euros per review, and labels 30 days late. Features come from windows per card and "
            "per terminal (transaction counts and amounts over 1, 7 and 30 days, the terminal's "
            "confirmed fraud history counted only after the label delay), computed the same way "
            "online and offline. The decision has two layers: rules for the known patterns the "
            "analysts trust, and a cost-sensitive gradient-boosted model (scale_pos_weight or "
            "amount-weighted) whose calibrated score is thresholded by expected cost, subject to "
            "the 400-alert cap, so alerts are ranked by expected loss. Training and validation are "
            "time-ordered with the delay respected; a new model goes through shadow mode and a "
            "champion-challenger test randomised by card. Monitoring tracks input and score drift "
            "daily and recall and precision@400 once labels arrive, with a retraining trigger; "
            "analysts' dispositions feed back as faster, if noisier, labels."
        ),
        listen_for=(
            "starts from latency, capacity, costs and label delay",
            "entity-window features without leakage of future labels",
            "rules + cost-sensitive model; threshold by expected cost under capacity",
            "time-ordered validation, champion-challenger, monitoring and retraining",
        ),
        rubric=(
            "4 points: 1 for the requirements (capacity, costs, delay); 1 for leak-free features and "
            "time-ordered validation; 1 for the model and the cost/capacity threshold; 1 for the "
            "lifecycle (A/B or shadow, monitoring, retraining)."
        ),
        notebooks=("08_cost_sensitive", "09_fraud_case_study", "10_drift_monitoring"),
    ),
)
