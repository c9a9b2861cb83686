"""Tests of the self-check of merging two blocks' centred sums: a right merge
passes, and every typical wrong one is named."""

import numpy as np
import pytest
from test_exercises import fails, passes

from gmm_teach.teaching.exercises import check_merge
from gmm_teach.teaching.exercises.merging import FAR, _merge_problem


def merge(a, b, weight=lambda n_a, n_b, nk: n_a * n_b / nk, mean=None):
    """The merge of the chapter, with the weight of its correction term and
    the merged means replaceable to make the typical mistakes."""
    (n_a, mean_a, scatter_a), (n_b, mean_b, scatter_b) = a, b
    nk = n_a + n_b
    means = (n_a[:, None] * mean_a + n_b[:, None] * mean_b) / nk[:, None]
    delta = mean_a - mean_b
    outer = delta[:, :, None] * delta[:, None, :]
    w = weight(n_a, n_b, nk)[:, None, None]
    scatter = scatter_a + scatter_b + w * outer
    return nk, means if mean is None else mean(a, b), scatter


def merge_about_merged_mean(a, b):
    """The other right form: each scatter moved to the merged mean."""
    (n_a, mean_a, scatter_a), (n_b, mean_b, scatter_b) = a, b
    nk = n_a + n_b
    means = (n_a[:, None] * mean_a + n_b[:, None] * mean_b) / nk[:, None]
    e_a, e_b = mean_a - means, mean_b - means
    scatter = (
        scatter_a
        + n_a[:, None, None] * e_a[:, :, None] * e_a[:, None, :]
        + scatter_b
        + n_b[:, None, None] * e_b[:, :, None] * e_b[:, None, :]
    )
    return nk, means, scatter


def merge_uncentred(a, b):
    """Right in exact arithmetic: through the sums of x x^T. Loses digits far
    from the origin."""
    (n_a, mean_a, scatter_a), (n_b, mean_b, scatter_b) = a, b

    def second_moment(n, mean, scatter):
        return scatter + n[:, None, None] * mean[:, :, None] * mean[:, None, :]

    nk = n_a + n_b
    means = (n_a[:, None] * mean_a + n_b[:, None] * mean_b) / nk[:, None]
    total = second_moment(n_a, mean_a, scatter_a) + second_moment(
        n_b, mean_b, scatter_b
    )
    scatter = total - nk[:, None, None] * means[:, :, None] * means[:, None, :]
    return nk, means, scatter


def test_right_merges_pass():
    passes(check_merge(merge))
    passes(check_merge(merge_about_merged_mean))


def test_the_problem_is_far_from_the_origin_and_the_blocks_unequal():
    a, b, union = _merge_problem(FAR)
    assert np.abs(union[1]).min() > FAR / 2
    assert a[0].sum() != b[0].sum()
    # the union's statistics are the merge of the blocks'
    for ours, expected in zip(merge(a, b), union, strict=True):
        np.testing.assert_allclose(ours, expected, rtol=1e-8)


@pytest.mark.parametrize(
    ("weight", "words"),
    [
        (lambda n_a, n_b, nk: 0 * nk, "without the term for the distance"),
        (lambda n_a, n_b, nk: n_a * n_b, "not divided by N_k"),
        (lambda n_a, n_b, nk: n_a * n_b / nk**2, "divided by N_k twice"),
        (lambda n_a, n_b, nk: np.ones_like(nk), "not weighted"),
        (lambda n_a, n_b, nk: -n_a * n_b / nk, "subtracted"),
    ],
)
def test_wrong_corrections_are_named(weight, words):
    fails(check_merge(lambda a, b: merge(a, b, weight)), words)


def test_wrong_means_are_named_and_the_scatter_waits_for_them():
    def plain_average(a, b):
        return (a[1] + b[1]) / 2

    result = check_merge(lambda a, b: merge(a, b, mean=plain_average))
    fails(result, "plain average", "weight each by its count")

    def sums(a, b):
        return a[0][:, None] * a[1] + b[0][:, None] * b[1]

    fails(check_merge(lambda a, b: merge(a, b, mean=sums)), "not divided")


def test_covariance_instead_of_scatter_and_counts_not_added():
    def covariance(a, b):
        nk, means, scatter = merge(a, b)
        return nk, means, scatter / nk[:, None, None]

    fails(check_merge(covariance), "this is the covariance")

    def counts_of_a(a, b):
        _, means, scatter = merge(a, b)
        return a[0], means, scatter

    fails(check_merge(counts_of_a), "nk is block a's count")


def test_a_merge_that_loses_digits_far_from_the_origin_is_named():
    fails(
        check_merge(merge_uncentred),
        "right near the origin",
        "loses digits",
        "difference of the two means",
    )


def test_stubs_shapes_and_errors_get_feedback():
    def stub(a, b):
        raise NotImplementedError("fill in my_merge")

    fails(check_merge(stub), "not written yet")
    fails(check_merge(lambda a, b: a[0]), "should return three arrays")

    def transposed(a, b):
        nk, means, scatter = merge(a, b)
        return nk, means.T, scatter

    fails(check_merge(transposed), "looks transposed")
    fails(check_merge(lambda a, b: 1 / 0), "ZeroDivisionError")
    with pytest.raises(TypeError, match="my_merge must be a function"):
        check_merge("merge")


def test_a_merge_that_writes_into_its_arguments_is_judged_fairly():
    def in_place(a, b):
        nk, means, scatter = merge(a, b)
        a[2][...] = scatter  # writes into block a's scatter
        return nk, means, a[2]

    passes(check_merge(in_place))
