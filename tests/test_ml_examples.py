"""gancourse.ml_examples: the weather, flower and slot-machine examples of notebook 01."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from gancourse import ml_examples

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def labels_of(ax):
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


# --------------------------------------------------------------------------- weather


def test_weather_days_are_seeded_and_shaped():
    days = ml_examples.weather_days(50, seed=4)
    again = ml_examples.weather_days(50, seed=4)
    other = ml_examples.weather_days(50, seed=5)
    assert len(days) == 50
    assert days.features().shape == (50, 2) and days.features().dtype == np.float32
    np.testing.assert_array_equal(days.tomorrow, again.tomorrow)
    assert not np.array_equal(days.tomorrow, other.tomorrow)


def test_weather_follows_its_formula():
    days = ml_examples.weather_days(20_000, seed=0)
    design = np.column_stack([days.today, days.pressure_change, np.ones(len(days))])
    slope, pressure, intercept = np.linalg.lstsq(design, days.tomorrow, rcond=None)[0]
    assert slope == pytest.approx(ml_examples.PERSISTENCE, abs=0.02)
    assert pressure == pytest.approx(ml_examples.PRESSURE_EFFECT, abs=0.02)
    mean_part = ml_examples.SEASON_MEAN * (1 - ml_examples.PERSISTENCE)
    assert intercept == pytest.approx(mean_part, abs=0.5)


def test_weather_labels():
    days = ml_examples.weather_days(500, seed=1)
    np.testing.assert_array_equal(days.hot_tomorrow(), days.tomorrow >= ml_examples.HOT)
    kinds = days.kind_tomorrow()
    assert set(np.unique(kinds)) == {0, 1, 2}
    assert np.all(days.tomorrow[kinds == 0] < 17) and np.all(days.tomorrow[kinds == 2] >= 23)
    mild = days.tomorrow[kinds == 1]
    assert np.all((mild >= 17) & (mild < 23))


@pytest.mark.parametrize("n", [0, -3, 2.5, "10"])
def test_weather_days_rejects_bad_n(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        ml_examples.weather_days(n)


def test_plot_temperatures_draws_the_days_and_each_forecast():
    days = ml_examples.weather_days(30)
    fig = ml_examples.plot_temperatures(days, {"same": lambda t: t, "usual": lambda t: 20.0})
    assert isinstance(fig, Figure) and not plt.get_fignums()  # released from pyplot
    ax = fig.axes[0]
    assert labels_of(ax) == ["same", "usual"]
    assert len(ax.collections) == 1  # the scatter of days
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), 20.0)  # a constant is broadcast


def test_plot_temperatures_rejects_bad_input():
    with pytest.raises(ValueError, match="Weather"):
        ml_examples.plot_temperatures(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="must be a function"):
        ml_examples.plot_temperatures(ml_examples.weather_days(5), {"oops": 20.0})


# --------------------------------------------------------------------------- regression


def test_line_loss_is_the_mean_squared_error_and_broadcasts():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])  # y = 2x + 1
    assert ml_examples.line_loss(2.0, 1.0, x, y) == pytest.approx(0.0)
    assert ml_examples.line_loss(0.0, 0.0, x, y) == pytest.approx(35 / 3)
    grid = ml_examples.line_loss(np.array([[2.0, 0.0]]), np.array([[1.0, 0.0]]), x, y)
    np.testing.assert_allclose(grid, [[0.0, 35 / 3]])


def test_plot_descent_draws_paths_and_losses():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 50)
    y = 3 * x + 2
    paths = {"a": np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 1.5]]), "b": np.zeros((4, 2))}
    fig = ml_examples.plot_descent(x, y, paths)
    surface, curve = fig.axes
    assert labels_of(surface) == ["lowest loss", "a", "b"]
    star = surface.get_lines()[0]
    assert star.get_xdata()[0] == pytest.approx(3.0) and star.get_ydata()[0] == pytest.approx(2.0)
    assert labels_of(curve) == ["a", "b"] and curve.get_yscale() == "log"
    np.testing.assert_allclose(
        curve.get_lines()[0].get_ydata(), ml_examples.line_loss(*paths["a"].T, x, y)
    )


def test_plot_descent_rejects_bad_input():
    with pytest.raises(ValueError, match="same number of values"):
        ml_examples.plot_descent([1.0, 2.0], [1.0], {})
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        ml_examples.plot_descent([1.0, 2.0], [1.0, 2.0], {"a": np.zeros(3)})


# --------------------------------------------------------------------------- classification


def test_plot_decision_regions_colours_named_classes():
    points = np.array([[10.0, 0.0], [30.0, 0.0], [20.0, 5.0]])
    labels = np.array([0, 1, 1])
    fig = ml_examples.plot_decision_regions(
        lambda p: (p[:, 0] >= 20).astype(int), points, labels, ml_examples.BINARY_NAMES, title="t"
    )
    ax = fig.axes[0]
    assert ax.get_title() == "t"
    mesh, cold, hot = ax.collections
    regions = np.asarray(mesh.get_array()).reshape(200, 200)
    assert regions[:, 0].max() == 0 and regions[:, -1].min() == 1  # left cold, right hot
    assert tuple(hot.get_facecolor()[0]) == to_rgba("tab:red")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cold (true)", "hot (true)"]


def test_plot_decision_regions_rejects_bad_input():
    points, labels = np.zeros((4, 2)), np.array([0, 1, 2, 1])
    with pytest.raises(ValueError, match="3 names|2 names"):
        ml_examples.plot_decision_regions(lambda p: np.zeros(len(p)), points, labels, ("a", "b"))
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        ml_examples.plot_decision_regions(lambda p: p, np.zeros(4), labels, ("a", "b", "c"))
    with pytest.raises(ValueError, match="labels must have shape"):
        ml_examples.plot_decision_regions(lambda p: p, points, labels[:3], ("a", "b", "c"))
    with pytest.raises(ValueError, match="integer class labels"):
        ml_examples.plot_decision_regions(lambda p: p, points, labels + 0.5, ("a", "b", "c"))
    with pytest.raises(ValueError, match="predict"):
        ml_examples.plot_decision_regions(lambda p: p, points, labels, ("a", "b", "c"))


# --------------------------------------------------------------------------- clustering


def test_flower_groups_are_three_shuffled_groups():
    points, species = ml_examples.flower_groups(40, seed=2)
    assert points.shape == (120, 2) and points.dtype == np.float32
    assert np.bincount(species).tolist() == [40, 40, 40]
    assert not np.all(np.diff(species) >= 0)  # shuffled
    for s, centre in enumerate(ml_examples.FLOWER_CENTRES):
        np.testing.assert_allclose(points[species == s].mean(axis=0), centre, atol=0.15)
    again, _ = ml_examples.flower_groups(40, seed=2)
    np.testing.assert_array_equal(points, again)


def test_cluster_agreement_ignores_cluster_names():
    groups = np.array([0, 0, 1, 1, 2, 2])
    assert ml_examples.cluster_agreement([2, 2, 0, 0, 1, 1], groups) == 1.0
    assert ml_examples.cluster_agreement([0, 0, 0, 0, 0, 0], groups) == pytest.approx(1 / 3)
    assert ml_examples.cluster_agreement([0, 1, 1, 1, 2, 2], groups) == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="clusters must have shape"):
        ml_examples.cluster_agreement([0, 1], groups)


def test_plot_clusters_one_panel_per_step():
    points, species = ml_examples.flower_groups(5)
    centroids = ml_examples.FLOWER_CENTRES
    fig = ml_examples.plot_clusters(
        points, [(None, None, "raw"), (None, centroids, "start"), (species, centroids, "done")]
    )
    assert [ax.get_title() for ax in fig.axes] == ["raw", "start", "done"]
    assert [len(ax.collections) for ax in fig.axes] == [1, 2, 2]
    with pytest.raises(ValueError, match="at least one"):
        ml_examples.plot_clusters(points, [])
    with pytest.raises(ValueError, match="clusters must have shape"):
        ml_examples.plot_clusters(points, [(species[:3], centroids, "bad")])


# --------------------------------------------------------------------------- reinforcement


def test_slot_machines_pay_plus_or_minus_one_at_their_rates():
    machines = ml_examples.SlotMachines((0.2, 0.9), seed=0)
    assert machines.n_arms == 2 and machines.best_arm == 1
    np.testing.assert_allclose(machines.expected_rewards, [-0.6, 0.8])
    rewards = np.array([machines.pull(1) for _ in range(4000)])
    assert set(np.unique(rewards)) == {-1.0, 1.0}
    assert rewards.mean() == pytest.approx(0.8, abs=0.05)
    assert machines.pull(np.int64(0)) in (-1.0, 1.0)


def test_slot_machines_are_seeded_and_default_to_five_arms():
    a, b = ml_examples.SlotMachines(seed=3), ml_examples.SlotMachines(seed=3)
    assert [a.pull(3) for _ in range(20)] == [b.pull(3) for _ in range(20)]
    assert a.n_arms == 5 and a.best_arm == int(np.argmax(ml_examples.WIN_PROBABILITIES))


@pytest.mark.parametrize(("arm", "message"), [(5, "0 to 4"), (-1, "0 to 4"), (1.0, "integer")])
def test_slot_machines_reject_bad_arms(arm, message):
    with pytest.raises(ValueError, match=message):
        ml_examples.SlotMachines().pull(arm)


@pytest.mark.parametrize("probabilities", [(0.5,), (0.5, 1.2), [[0.1, 0.2]]])
def test_slot_machines_reject_bad_probabilities(probabilities):
    with pytest.raises(ValueError):
        ml_examples.SlotMachines(probabilities)
