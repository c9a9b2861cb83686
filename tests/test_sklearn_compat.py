"""gmm_teach.GaussianMixture as a drop-in for scikit-learn's: scikit-learn's
own estimator checks, run on both estimators; seeds; the exceptions and the
warning that scikit-learn users catch; float32; and the package without
scikit-learn."""

import re
import warnings

import numpy as np
import pytest
import sklearn.exceptions
from conftest import run_python
from sklearn.mixture import GaussianMixture as SklearnMixture
from sklearn.utils.estimator_checks import estimator_checks_generator

from gmm_teach import GaussianMixture, init

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
X = np.random.default_rng(0).normal(size=(60, 2))  # (n, d) = (60, 2)


# ---------------------------------------------------------------- check_estimator


def _check_name(check):
    """The check's function name, with its keyword arguments if any."""
    keywords = ", ".join(f"{k}={v!r}" for k, v in check.keywords.items())
    name = check.func.__name__
    return f"{name}({keywords})" if keywords else name


def _checks(label, estimator):
    """(label, estimator, check) for every check scikit-learn yields."""
    with warnings.catch_warnings():  # "does not inherit from BaseEstimator"
        warnings.simplefilter("ignore", UserWarning)
        return [
            (label, instance, check)
            for instance, check in estimator_checks_generator(estimator)
        ]


CHECKS = _checks("gmm_teach", GaussianMixture()) + _checks(
    "scikit-learn", SklearnMixture()
)


@pytest.mark.parametrize(
    "label, estimator, check",
    CHECKS,
    ids=[f"{label}-{_check_name(check)}" for label, _, check in CHECKS],
)
def test_check_estimator(label, estimator, check):
    """Each check of sklearn.utils.estimator_checks.check_estimator on both
    estimators; a check scikit-learn skips (the Array API without
    SCIPY_ARRAY_API) is skipped for both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        check(estimator)


def test_both_estimators_get_the_same_checks():
    """All of scikit-learn's but the one it skips for an estimator tagged
    ``allow_nan`` (ours takes missing values, chapter 11): the refusal of NaN
    and infinity. Ours still refuses infinity (tests/test_validation.py);
    check_estimators_pickle now fits data with NaN."""
    names = {
        label: [_check_name(check) for lab, _, check in CHECKS if lab == label]
        for label in ("gmm_teach", "scikit-learn")
    }
    skipped = ["check_estimators_nan_inf"]
    assert names["gmm_teach"] == [
        name for name in names["scikit-learn"] if name not in skipped
    ]
    assert len(names["scikit-learn"]) == 41  # scikit-learn 1.9


# ---------------------------------------------------------------- random_state


def _means(random_state, estimator=GaussianMixture):
    """The means after two iterations from a random start."""
    model = estimator(
        3, init_params="random", max_iter=2, random_state=random_state
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        return model.fit(X).means_


@pytest.mark.parametrize(
    "estimator",
    [GaussianMixture, SklearnMixture],
    ids=["gmm_teach", "scikit-learn"],
)
def test_a_random_state_gives_a_reproducible_fit_and_moves_on(estimator):
    seed = np.random.RandomState(0)
    first, second = _means(seed, estimator), _means(seed, estimator)
    assert not np.allclose(first, second)  # each fit draws from it
    np.testing.assert_array_equal(
        first, _means(np.random.RandomState(0), estimator)
    )


@pytest.mark.parametrize(
    "estimator",
    [GaussianMixture, SklearnMixture],
    ids=["gmm_teach", "scikit-learn"],
)
def test_none_follows_numpy_s_global_seed(estimator):
    """np.random.seed, the legacy global seed, makes random_state=None
    reproducible in both (the global state is restored afterwards)."""
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(1)  # noqa: NPY002
        first = _means(None, estimator)
        np.random.seed(1)  # noqa: NPY002
        np.testing.assert_array_equal(first, _means(None, estimator))
    finally:
        np.random.set_state(state)  # noqa: NPY002


def test_how_seeds_map_to_generators():
    """An int seeds default_rng; a RandomState seeds it with one draw; a
    Generator is used as it is."""
    np.testing.assert_array_equal(_means(5), _means(np.random.default_rng(5)))
    draw = np.random.RandomState(0).randint(2**32, dtype=np.uint64)
    np.testing.assert_array_equal(
        _means(np.random.RandomState(0)), _means(int(draw))
    )


def test_an_int_seed_is_the_start_of_initial_parameters():
    model = GaussianMixture(3, init_params="random_from_data", max_iter=0)
    model.set_params(random_state=4).fit(X)
    start = init.initial_parameters(X, 3, "random_from_data", random_state=4)
    np.testing.assert_array_equal(model.means_, start[1])


def test_sample_with_a_random_state_is_reproducible():
    model = GaussianMixture(2, random_state=np.random.RandomState(0)).fit(X)
    model.random_state = np.random.RandomState(3)
    first = model.sample(5)[0]
    model.random_state = np.random.RandomState(3)
    np.testing.assert_array_equal(model.sample(5)[0], first)


# ---------------------------------------------------------------- what users catch

UNFITTED_CALLS = {
    "predict": lambda m: m.predict(X),
    "predict_proba": lambda m: m.predict_proba(X),
    "score": lambda m: m.score(X),
    "score_samples": lambda m: m.score_samples(X),
    "sample": lambda m: m.sample(3),
    "bic": lambda m: m.bic(X),
}


@pytest.mark.parametrize("call", UNFITTED_CALLS.values(), ids=UNFITTED_CALLS)
def test_scikit_learn_s_not_fitted_error_catches_ours(call):
    with pytest.raises(sklearn.exceptions.NotFittedError, match="not fitted"):
        call(GaussianMixture(2))


def test_scikit_learn_s_convergence_filter_catches_our_warning():
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", category=sklearn.exceptions.ConvergenceWarning
        )
        with pytest.raises(sklearn.exceptions.ConvergenceWarning):
            GaussianMixture(2, max_iter=1, random_state=0).fit(X)


def test_a_filter_on_scikit_learn_s_warning_text_catches_ours():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings(
            "ignore", message="Best performing initialization did not converge"
        )
        GaussianMixture(2, max_iter=1, random_state=0).fit(X)


# ---------------------------------------------------------------- scikit-learn's messages

COLLAPSING = np.vstack([np.ones((5, 2)), np.zeros((5, 2))])
NOT_PD = np.stack([np.eye(2), -np.eye(2)])
SPARSE = pytest.importorskip("scipy.sparse").csr_matrix(X)
STRINGS = np.array([["a", "b"], ["c", "d"], ["e", "f"]])
# (options, data, what to call): every error and warning scikit-learn's
# GaussianMixture raises on bad input, triggered in both estimators
BAD = {
    "n_components=0": (dict(n_components=0), X, "fit"),
    "n_components=1.5": (dict(n_components=1.5), X, "fit"),
    "tol=-1": (dict(tol=-1), X, "fit"),
    "tol=inf": (dict(tol=np.inf), X, "fit"),
    "reg_covar=-1": (dict(reg_covar=-1.0), X, "fit"),
    "max_iter=-1": (dict(max_iter=-1), X, "fit"),
    "n_init=0": (dict(n_init=0), X, "fit"),
    "weights_init='abc'": (dict(weights_init="abc"), X, "fit"),
    "warm_start=1": (dict(warm_start=1), X, "fit"),
    "verbose=-1": (dict(verbose=-1), X, "fit"),
    "verbose_interval=0": (dict(verbose_interval=0), X, "fit"),
    "X with inf": ({}, np.where(X > 2, np.inf, X), "fit"),
    "1-D X": ({}, X[:, 0], "fit"),
    "scalar X": ({}, 3.0, "fit"),
    "3-D X": ({}, X.reshape(3, 20, 2), "fit"),
    "1 sample": ({}, X[:1], "fit"),
    "0 samples": ({}, X[:0], "fit"),
    "0 features": ({}, X[:, :0], "fit"),
    "sparse X": ({}, SPARSE, "fit"),
    "complex X": ({}, X + 1j, "fit"),
    "text X": ({}, STRINGS, "fit"),
    "fewer samples than components": (dict(n_components=70), X, "fit"),
    "collapse, full": (dict(n_components=10, reg_covar=0), COLLAPSING, "fit"),
    "collapse, diag": (
        dict(n_components=10, reg_covar=0, covariance_type="diag"),
        COLLAPSING,
        "fit",
    ),
    "weights_init shape": (
        dict(n_components=2, weights_init=[[1.0]]),
        X,
        "fit",
    ),
    "weights_init range": (
        dict(n_components=2, weights_init=[1.5, -0.5]),
        X,
        "fit",
    ),
    "weights_init sum": (
        dict(n_components=2, weights_init=[0.3, 0.3]),
        X,
        "fit",
    ),
    "weights_init NaN": (
        dict(n_components=2, weights_init=[np.nan, 1]),
        X,
        "fit",
    ),
    "means_init shape": (
        dict(n_components=2, means_init=np.ones((3, 2))),
        X,
        "fit",
    ),
    "precisions_init shape": (
        dict(n_components=2, precisions_init=np.ones((3, 2, 2))),
        X,
        "fit",
    ),
    "full precisions_init not PD": (
        dict(n_components=2, precisions_init=NOT_PD),
        X,
        "fit",
    ),
    "tied precisions_init not PD": (
        dict(
            n_components=2, covariance_type="tied", precisions_init=-np.eye(2)
        ),
        X,
        "fit",
    ),
    "diag precisions_init <= 0": (
        dict(
            n_components=2,
            covariance_type="diag",
            precisions_init=-np.ones((2, 2)),
        ),
        X,
        "fit",
    ),
    "spherical precisions_init <= 0": (
        dict(
            n_components=2, covariance_type="spherical", precisions_init=[1, 0]
        ),
        X,
        "fit",
    ),
    "predict before fit": ({}, X, "predict"),
    "sample before fit": ({}, X, "sample"),
    "other features": ({}, X, "fit, predict 3 features"),
    "duplicate points": (dict(n_components=4), COLLAPSING, "fit"),
    "max_iter reached": (dict(n_components=3, max_iter=1, n_init=2), X, "fit"),
}


def _message(estimator, options, data, what):
    """The message of the error, else of the first warning, of a call."""
    model = estimator(**{"random_state": 0, **options})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if what.startswith("fit"):
                model.fit(data)
            if what == "fit, predict 3 features":
                model.predict(np.ones((3, 3)))
            if what == "predict":
                model.predict(data)
            if what == "sample":
                model.sample(2)
        except Exception as error:  # noqa: BLE001 (compared below)
            return str(error)
    assert caught, "neither an error nor a warning"
    return str(caught[0].message)


@pytest.mark.parametrize("case", BAD.values(), ids=BAD)
def test_every_message_holds_scikit_learn_s_sentence_verbatim(case):
    """Ours holds scikit-learn's message (computed here, from the installed
    scikit-learn) word for word, followed by the package's guidance. Of the
    NaN message, the sentences before scikit-learn's advice on supervised
    estimators; of the complex one, the sentence before the array."""
    theirs = _message(SklearnMixture, *case)
    ours = _message(GaussianMixture, *case)
    theirs = theirs.split(" For supervised learning")[0]
    theirs = (
        theirs.split("Complex data not supported")[0]
        or "Complex data not supported"
    )
    assert theirs in ours
    # the package's guidance follows, except where scikit-learn's sentence
    # about an option already says all there is (what it must be, what came)
    option = theirs.endswith(" instead.") and " parameter of " in theirs
    assert option or len(ours) > len(theirs)


@pytest.mark.parametrize("name", ["covariance_type", "init_params"])
def test_an_unknown_string_option_says_it_as_scikit_learn_does(name):
    theirs = _message(SklearnMixture, {name: "x"}, X, "fit")
    ours = _message(GaussianMixture, {name: "x"}, X, "fit")
    head = theirs.split(" among ")[0]
    assert ours.startswith(head + " among {")

    def listed(message):  # the options, in the order of a set: sorted
        return sorted(message.split(" among {")[1].split("}")[0].split(", "))

    assert listed(ours) == listed(theirs)
    assert ours.endswith("Got 'x' instead.")


def test_the_differences_from_scikit_learn_s_messages():
    """The two sentences that cannot be scikit-learn's word for word."""
    # random_state also takes a Generator, so the list of what it may be
    # names one more type
    ours = _message(GaussianMixture, {"random_state": -1}, X, "fit")
    assert (
        "an instance of 'numpy.random.mtrand.RandomState', an instance of "
        "'numpy.random._generator.Generator' or None. Got -1 instead." in ours
    )
    # scikit-learn's sample(0) prints n_components where n_samples is meant
    fitted = GaussianMixture(3, random_state=0).fit(X)
    with pytest.raises(
        ValueError, match="^Invalid value for 'n_samples': 0 . The"
    ):
        fitted.sample(0)


# ---------------------------------------------------------------- verbose


NUMBER = re.compile(r"-?(\d+\.\d+|inf)")


def _reported(line):
    """The changes and bounds a verbose line reports (not its times)."""
    found = re.findall(r"(?:ll change|lower bound) (-?\d+\.\d+|inf)", line)
    return [float(number) for number in found]


def _printed(estimator, capsys, **options):
    estimator(**options).fit(X)
    return capsys.readouterr().out.splitlines()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("verbose", [1, 2])
def test_verbose_prints_what_scikit_learn_prints(
    covariance_type, verbose, capsys
):
    """From the same start, line by line; the numbers agree to the printed
    digits (the time lapses are not compared)."""
    start = _options(covariance_type, np.float64)
    options = dict(start, verbose=verbose, verbose_interval=2, tol=1e-6)
    options.update(n_components=3, n_init=2, max_iter=7)
    ours = _printed(GaussianMixture, capsys, **options)
    theirs = _printed(SklearnMixture, capsys, **options)
    assert len(ours) == len(theirs) > 4
    for mine, their in zip(ours, theirs, strict=True):
        assert NUMBER.sub("#", mine) == NUMBER.sub("#", their)
        np.testing.assert_allclose(
            _reported(mine), _reported(their), atol=2e-5
        )


# ---------------------------------------------------------------- float32


def _options(covariance_type, dtype):
    """One start (kmeans, seed 0) in ``dtype``, for both estimators."""
    weights, means, covariances = init.initial_parameters(
        X, 3, covariance_type=covariance_type, random_state=0
    )
    return dict(
        covariance_type=covariance_type,
        max_iter=500,
        weights_init=weights.astype(dtype),
        means_init=means.astype(dtype),
        precisions_init=_inverse(covariances, covariance_type).astype(dtype),
    )


def _fit_pair(covariance_type, dtype):
    """Both estimators from one start, on X in ``dtype``."""
    options, data = _options(covariance_type, dtype), X.astype(dtype)
    return (
        GaussianMixture(3, **options).fit(data),
        SklearnMixture(3, **options).fit(data),
    )


def _inverse(covariances, covariance_type):
    """What precisions_init takes: the inverse of each covariance."""
    if covariance_type in ("full", "tied"):
        return np.linalg.inv(covariances)
    return 1.0 / covariances


FITTED_ARRAYS = (
    "weights_",
    "means_",
    "covariances_",
    "precisions_",
    "precisions_cholesky_",
)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_float32_data_keep_float32_parameters_as_in_scikit_learn(
    covariance_type,
):
    """Ours: the float64 fit of the same numbers, rounded once to float32;
    scikit-learn's float32 arithmetic is within 1e-5 of it."""
    ours, theirs = _fit_pair(covariance_type, np.float32)
    in_float64 = GaussianMixture(
        3, **_options(covariance_type, np.float32)
    ).fit(X.astype(np.float32).astype(np.float64))
    for name in FITTED_ARRAYS:
        got, want = getattr(ours, name), getattr(theirs, name)
        assert got.dtype == want.dtype == np.float32, name
        rounded = getattr(in_float64, name).astype(np.float32)
        np.testing.assert_array_equal(got, rounded)
        np.testing.assert_allclose(got, want, atol=1e-5 * np.abs(want).max())
    assert ours.n_iter_ == theirs.n_iter_
    assert type(ours.lower_bound_) is type(theirs.lower_bound_) is np.float32
    assert {type(b) for b in ours.lower_bounds_} == {np.float32}


@pytest.mark.parametrize("fit_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("data_dtype", [np.float32, np.float64, np.int64])
def test_result_dtypes_are_scikit_learn_s(fit_dtype, data_dtype):
    ours, theirs = _fit_pair("full", fit_dtype)
    data = (X * 3).astype(data_dtype)
    for method in ("predict_proba", "score_samples", "predict"):
        got = getattr(ours, method)(data)
        assert got.dtype == getattr(theirs, method)(data).dtype, method
    assert type(ours.score(data)) is type(theirs.score(data)) is float
    for got, want in zip(ours.sample(4), theirs.sample(4), strict=True):
        assert got.dtype == want.dtype


def test_float64_parameters_for_integer_data():
    model = GaussianMixture(2, random_state=0).fit((X * 10).astype(np.int32))
    assert model.means_.dtype == model.covariances_.dtype == np.float64


# ---------------------------------------------------------------- without scikit-learn

WITHOUT_SKLEARN = """
import sys
import warnings

sys.modules["sklearn"] = None  # any import of scikit-learn now fails
import numpy as np
import gmm_teach
from gmm_teach.exceptions import NotFittedError

X = np.random.default_rng(0).normal(size=(50, 2))
model = gmm_teach.GaussianMixture(2, random_state=np.random.RandomState(0))
try:
    model.predict(X)
except ValueError as error:
    assert isinstance(error, AttributeError) and type(error) is NotFittedError
assert NotFittedError.__bases__ == (ValueError, AttributeError)
assert gmm_teach.ConvergenceWarning.__bases__ == (UserWarning,)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    gmm_teach.GaussianMixture(2, max_iter=1, random_state=0).fit(X)
assert [w.category for w in caught] == [gmm_teach.ConvergenceWarning]
labels = model.fit(X.astype(np.float32)).predict(X)
assert labels.shape == (50,) and model.means_.dtype == np.float32
assert "sklearn" not in {name.split(".")[0] for name in sys.modules
                         if sys.modules[name] is not None}
print("ok")
"""


def test_the_package_works_without_scikit_learn():
    assert run_python(WITHOUT_SKLEARN).strip() == "ok"
