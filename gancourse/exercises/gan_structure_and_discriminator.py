"""Exercises of notebook 03: the discriminator's loss, the weights a D step updates, and D*.

Each ``check_*`` takes the student's function and returns a Feedback (see ``_core``). Wrong
answers that students typically give (a missing minus sign, real and fake swapped, a sum
instead of a mean, G's weights in a D step, ...) are recognised and named. TensorFlow is
imported only by the check that needs models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._core import Mistake, call, diagnose, exercise, number

# --------------------------------------------------------------------------- Exercise 1


def _discriminator_loss(d_real, d_fake):
    return -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))


@exercise("Exercise 1: the discriminator's loss J_D", _discriminator_loss)
def check_discriminator_loss(fn: Callable[[Any, Any], Any]) -> str:
    """Check J_D = -mean log D(x) - mean log(1 - D(G(z))) from D's probabilities."""
    one_real, one_fake = np.array([0.9]), np.array([0.2])
    want = _discriminator_loss(one_real, one_fake)
    got = number(call(fn, one_real.copy(), one_fake.copy()), "Your J_D")
    where = "for D(x) = 0.9 and D(G(z)) = 0.2"
    wrongs = [
        (-want, f"{where} the loss should be {want:.3f}, yours is {got:.3f}.",
         "J_D is a loss to minimise, so it is never negative: did you forget a minus sign?"),
        (-np.log(0.9) - np.log(0.2),
         f"{where} you used log D(G(z)); J_D needs log(1 - D(G(z))).",
         "D wants to say 0 for fakes, so it is rewarded by 1 - D(G(z)) being large."),
        (-np.log(0.1) - np.log(0.2),
         f"{where} real and fake are swapped: yours is {got:.3f}, J_D is {want:.3f}.",
         "Real samples have target 1 (use log D(x)), fakes target 0 (use log(1 - D(G(z))))."),
        (-np.log(0.9), f"{where} yours is only the real term, -log D(x).",
         "Add the fake term, -mean log(1 - D(G(z)))."),
        (-np.log(0.8), f"{where} yours is only the fake term, -log(1 - D(G(z))).",
         "Add the real term, -mean log D(x)."),
        (want / 2, f"{where} yours is half of J_D.",
         "Add the real and the fake mean; do not average all the terms together."),
        (want / np.log(10), f"{where} yours is {got:.3f}: that is log to base 10.",
         "Use the natural logarithm, np.log."),
        (want / np.log(2), f"{where} yours is {got:.3f}: that is log to base 2.",
         "Use the natural logarithm, np.log."),
    ]  # fmt: skip
    diagnose(got, want, f"{where} J_D", wrongs)
    d_real, d_fake = np.array([0.9, 0.6, 0.8, 0.7]), np.array([0.2, 0.4])
    want = _discriminator_loss(d_real, d_fake)
    got = number(call(fn, d_real.copy(), d_fake.copy()), "Your J_D")
    real_terms, fake_terms = -np.log(d_real), -np.log(1 - d_fake)
    where = "for a batch of 4 real and 2 fake samples"
    wrongs = [
        (real_terms.sum() + fake_terms.sum(), f"{where} yours is the sum over the batch.",
         "Take the mean of each term (np.mean), so the loss does not grow with the batch size."),
        (np.concatenate([real_terms, fake_terms]).mean(),
         f"{where} yours averages all six terms together.",
         "Average the real and the fake terms separately, then add the two means."),
    ]  # fmt: skip
    diagnose(got, want, f"{where} J_D", wrongs)
    return f"J_D = {want:.4f} for that batch; a perfect D would bring it down to 0."


# --------------------------------------------------------------------------- Exercise 2


def _weights_for_the_d_step(generator, discriminator):
    return discriminator.trainable_variables


def _variables(answer: Any) -> list:
    """Return ``answer`` as a list of variables, or raise a Mistake saying what it is."""
    if hasattr(answer, "trainable_variables") and not hasattr(answer, "numpy"):
        raise Mistake(
            "you returned a model; the optimizer needs its variables.",
            "Return model.trainable_variables, the list of the model's weight tensors.",
        )
    if not isinstance(answer, (list, tuple)):
        raise Mistake(
            f"expected a list of variables, got {type(answer).__name__}.",
            "Return something like model.trainable_variables.",
        )
    for item in answer:
        if hasattr(item, "trainable_variables"):
            raise Mistake(
                "your list holds a model; the optimizer needs its variables.",
                "Return model.trainable_variables, not [model].",
            )
        if not hasattr(item, "assign"):
            raise Mistake(
                f"your list holds a {type(item).__name__}, not a variable.",
                "Return something like model.trainable_variables.",
            )
    return list(answer)


@exercise("Exercise 2: which weights does a discriminator step update?", _weights_for_the_d_step)
def check_weights_for_the_d_step(fn: Callable[[Any, Any], Any]) -> str:
    """Check that a D step updates all of D's trainable weights and none of G's."""
    from ..models import toy_discriminator, toy_generator

    generator, discriminator = toy_generator(1, name="G"), toy_discriminator(1, name="D")
    chosen = {id(v) for v in _variables(call(fn, generator, discriminator))}
    g_ids = {id(v) for v in generator.trainable_variables}
    d_ids = {id(v) for v in discriminator.trainable_variables}
    if not chosen:
        raise Mistake(
            "your list is empty: nothing would learn.", "Which player learns in a D step?"
        )
    if chosen & g_ids and not chosen & d_ids:
        raise Mistake(
            "those are the generator's weights. In a D step G is frozen: only D learns.",
            "Use the discriminator's trainable_variables.",
        )
    if chosen & g_ids:
        raise Mistake(
            "your list also holds G's weights, so the D step would change G as well.",
            "Keep G frozen while D learns: return D's weights only.",
        )
    if not chosen <= d_ids:
        raise Mistake("your list holds variables that belong to neither model.")
    if chosen != d_ids:
        raise Mistake(
            f"your list holds {len(chosen)} of D's {len(d_ids)} weight tensors; the rest "
            "would never learn.",
            "Return all of them: discriminator.trainable_variables.",
        )
    return "Only D's weights move; G only supplies the fakes."


# --------------------------------------------------------------------------- Exercise 3


def _optimal_discriminator(p_data, p_g):
    return p_data / (p_data + p_g)


@exercise("Exercise 3: the optimal discriminator D*(x)", _optimal_discriminator)
def check_optimal_discriminator(fn: Callable[[Any, Any], Any]) -> str:
    """Check D*(x) = p_data(x) / (p_data(x) + p_g(x)) on a few pairs of densities."""
    p_data, p_g = np.array([0.3, 0.1, 0.0, 0.2, 0.5]), np.array([0.1, 0.3, 0.2, 0.2, 0.0])
    want = _optimal_discriminator(p_data, p_g)
    with np.errstate(divide="ignore", invalid="ignore"):
        wrongs = [
            (p_g / (p_data + p_g),
             "yours is p_g / (p_data + p_g): that is the chance of being fake, 1 - D*.",
             "D outputs the probability that x is real, so p_data goes on top."),
            (p_data / p_g, "yours is the ratio p_data / p_g, which can exceed 1.",
             "Divide by the sum p_data + p_g, so that D* is a probability."),
            (p_data - p_g, "yours is p_data - p_g, which can be negative.",
             "Divide p_data by the sum p_data + p_g."),
            (p_data / (p_data + p_g) ** 2, "you divided by (p_data + p_g) twice.",
             "D* = p_data / (p_data + p_g)."),
        ]  # fmt: skip
    values = call(fn, p_data.copy(), p_g.copy())
    where = "for p_data = [0.3, 0.1, 0, 0.2, 0.5] and p_g = [0.1, 0.3, 0.2, 0.2, 0]"
    diagnose(values, want, f"{where} D*", wrongs, "D* = p_data / (p_data + p_g).")
    return (
        "D* is 1/2 wherever p_data and p_g agree, 0 where only G puts samples, 1 where only data."
    )
