"""gancourse.dirac_gan: the two-number GAN's field and paths."""

from __future__ import annotations

import numpy as np
import pytest

from gancourse import dirac_gan as dg


def test_the_field_vanishes_only_at_the_equilibrium():
    assert dg.vector_field(0.0, 0.0) == (0.0, 0.0)
    g, d = dg.vector_field([1.0, 0.0, 2.0], [0.0, 1.0, 2.0])
    assert np.all(np.hypot(g, d) > 0.1)


def test_near_the_equilibrium_the_field_is_a_quarter_turn():
    # sigmoid(0) = 1/2: G moves by psi / 2, D by -theta / 2, at right angles to the radius.
    theta, psi = 1e-4, 2e-4
    g, d = dg.vector_field(theta, psi)
    assert g == pytest.approx(psi / 2, rel=1e-6) and d == pytest.approx(-theta / 2, rel=1e-6)
    assert abs(g * theta + d * psi) < 1e-12


def test_the_field_is_the_gradient_of_the_value():
    theta, psi, h = 0.7, -1.3, 1e-6

    def value(t, p):
        return np.log(0.5) + np.log(1 / (1 + np.exp(p * t)))

    g, d = dg.vector_field(theta, psi)
    assert g == pytest.approx(-(value(theta + h, psi) - value(theta - h, psi)) / (2 * h))
    assert d == pytest.approx((value(theta, psi + h) - value(theta, psi - h)) / (2 * h))
    g_ns, _ = dg.vector_field(theta, psi, loss="non_saturating")
    log_d = np.log(1 / (1 + np.exp(-psi * (theta + h)))) - np.log(
        1 / (1 + np.exp(-psi * (theta - h)))
    )
    assert g_ns == pytest.approx(log_d / (2 * h))


@pytest.mark.parametrize("settings", [{}, {"noise": 0.4, "r1": 0.2}, {"loss": "non_saturating"}])
def test_a_path_steps_along_the_field(settings):
    g, d = dg.vector_field(np.array([[0.7]]), np.array([[-0.4]]), **settings)
    points = dg.path(0.7, -0.4, lr=0.01, steps=1, **settings)
    np.testing.assert_allclose(points[1], [0.7 + 0.01 * g[0, 0], -0.4 + 0.01 * d[0, 0]])


def test_near_the_equilibrium_each_simultaneous_step_grows_the_radius_by_the_formula():
    # Jacobian [[0, 1/2], [-1/2, 0]]: eigenvalues ±i/2, so |1 + lr i/2| = sqrt(1 + lr²/4).
    lr, steps = 0.1, 400
    r = dg.radius(dg.path(1e-4, 0.0, lr=lr, steps=steps))
    assert r[-1] / r[0] == pytest.approx((1 + lr**2 / 4) ** (steps / 2), rel=1e-4)


def test_simultaneous_steps_spiral_out_and_alternating_ones_circle():
    out = dg.radius(dg.path(1.0, 1.0, lr=0.1, steps=500))
    assert out[-1] > 1.4 * out[0] and np.all(np.diff(out) > 0)
    circle = dg.radius(dg.path(1.0, 1.0, lr=0.1, steps=500, order="alternating"))
    assert 0.9 * circle[0] < circle.min() and circle.max() < 1.1 * circle[0]


@pytest.mark.parametrize("order", dg.ORDERS)
@pytest.mark.parametrize("cure", [{"r1": 0.3}, {"noise": 0.5}])
def test_a_gradient_penalty_or_instance_noise_spirals_in(order, cure):
    r = dg.radius(dg.path(1.0, 1.0, lr=0.1, steps=500, order=order, **cure))
    assert r[-1] < 0.15 * r[0]


def test_instance_noise_zero_is_no_noise():
    a = dg.path(0.5, -0.2, lr=0.05, steps=20, noise=0.0)
    b = dg.path(0.5, -0.2, lr=0.05, steps=20)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, dg.path(0.5, -0.2, lr=0.05, steps=20, noise=0.3))


def test_bad_input_says_what_is_allowed():
    with pytest.raises(ValueError, match="order"):
        dg.path(1, 1, lr=0.1, steps=5, order="together")
    with pytest.raises(ValueError, match="lr"):
        dg.path(1, 1, lr=0.0, steps=5)
    with pytest.raises(ValueError, match="loss"):
        dg.vector_field(1, 1, loss="hinge")
    with pytest.raises(ValueError, match="r1"):
        dg.vector_field(1, 1, r1=-1)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        dg.radius(np.zeros((3, 3)))
    with pytest.raises(FloatingPointError, match="smaller lr"):
        dg.path(1e200, 1e200, lr=1e200, steps=50)
