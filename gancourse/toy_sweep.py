"""Many small GANs on a 2-D toy at once: one recipe, several seeds, measured as they train.

Notebook 06 compares six losses and five stabilisers, each over several seeds. Trained one
by one, that is dozens of runs; here all seeds of a recipe train side by side as one
computation, which is several times faster on a CPU than training them one after another,
and trains each seed as it would train alone (only the random batches drawn differ).

How: a :class:`StackedMLP` holds one small MLP per seed, with weights stacked along a first
axis. Seen from outside it takes and returns flat batches, ``(seeds * batch, features)``,
rows ``i * batch ... (i + 1) * batch - 1`` belonging to seed ``i``. So the losses of
``gancourse.losses`` or TF-GAN and a gradient penalty work on it unchanged: every loss here
is a mean over examples, and a seed's rows only reach its own weights. Each loss is
multiplied by the number of seeds, so every seed's weights get exactly the gradient its own
loss would give it.

A :class:`Recipe` says what is trained: D's and G's losses, an optional gradient penalty or
weight clipping, D steps per G step, two learning rates, one-sided label smoothing (a loss
option), instance noise, spectral normalisation. :func:`train_recipe` trains one recipe and
returns a :class:`SweepResult`: modes covered and the share of good samples at regular steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from . import argchecks, toy_metrics
from .data import GaussianMixture
from .training import clip_weights, with_instance_noise

__all__ = [
    "CRITIC_FAMILY",
    "GAN_FAMILY",
    "SWEEP_STEPS",
    "Recipe",
    "StackedMLP",
    "SweepResult",
    "good_share",
    "loss_recipes",
    "stabiliser_recipes",
    "sweep_toy",
    "train_recipe",
]

LossFn = Callable[..., Any]
PenaltyFn = Callable[[Any, Any, Any], Any]

#: A sample is good when it lies within this many standard deviations of a mode's centre.
GOOD_WITHIN_STDS = 3.0


@dataclass(frozen=True)
class Recipe:
    """One way to train a toy GAN: losses, and the stabilisers in use.

    ``penalty(critic, real, fake)`` is added to D's loss when given (a gradient penalty);
    ``clip`` clips every weight of D to [-clip, clip] after each D update (the original WGAN);
    ``instance_noise`` is the standard deviation of Gaussian noise added to every point D
    sees, real or generated; ``spectral_norm`` divides each of D's weight matrices by its
    largest singular value (one power iteration per step, as Keras' SpectralNormalization).
    """

    d_loss: LossFn
    g_loss: LossFn
    penalty: PenaltyFn | None = None
    clip: float | None = None
    d_steps: int = 1
    d_learning_rate: float = 1e-3
    g_learning_rate: float = 1e-3
    beta_1: float = 0.5
    beta_2: float = 0.999
    instance_noise: float = 0.0
    spectral_norm: bool = False

    def __post_init__(self) -> None:
        for name in ("d_loss", "g_loss"):
            if not callable(getattr(self, name)):
                raise ValueError(
                    f"{name} must be a function of logits, got {getattr(self, name)!r}."
                )
        if self.penalty is not None and not callable(self.penalty):
            raise ValueError(
                f"penalty must be a function (critic, real, fake) or None, got {self.penalty!r}."
            )
        if self.clip is not None:
            argchecks.positive_float("clip", self.clip)
        argchecks.positive_int("d_steps", self.d_steps)
        argchecks.positive_float("d_learning_rate", self.d_learning_rate)
        argchecks.positive_float("g_learning_rate", self.g_learning_rate)
        argchecks.in_range("beta_1", self.beta_1, 0.0, 1.0)
        argchecks.in_range("beta_2", self.beta_2, 0.0, 1.0)
        argchecks.in_range("instance_noise", self.instance_noise, 0.0, 10.0)


def _glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Return one Glorot-uniform matrix, the initialisation of a Keras Dense layer."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


class StackedMLP:
    """One MLP per seed (LeakyReLU 0.2 between Dense layers), all evaluated in one pass.

    Called on a flat batch ``(len(seeds) * n, sizes[0])`` it returns ``(len(seeds) * n,
    sizes[-1])``; member ``i`` sees rows ``i * n ... (i + 1) * n - 1`` only. Member ``i``
    starts from the weights ``np.random.default_rng([seeds[i], tag])`` draws (``tag`` keeps
    G's and D's draws apart), so a seed's start does not depend on the other seeds.
    """

    def __init__(
        self, sizes: Sequence[int], seeds: Sequence[int], spectral_norm: bool = False, tag: int = 0
    ) -> None:
        sizes = [argchecks.positive_int(f"sizes[{i}]", s) for i, s in enumerate(sizes)]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {sizes}.")
        if not seeds:
            raise ValueError("seeds must list at least one seed.")
        self.members = len(seeds)
        self.spectral_norm = bool(spectral_norm)
        rngs = [np.random.default_rng([int(s), tag]) for s in seeds]
        self.kernels, self.biases, self.directions = [], [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            stacked = np.stack([_glorot(r, fan_in, fan_out) for r in rngs])
            self.kernels.append(tf.Variable(stacked))
            self.biases.append(tf.Variable(np.zeros((self.members, 1, fan_out), np.float32)))
            # Power iteration's current guess of each kernel's top right-singular vector.
            u = np.stack([r.normal(size=fan_out) for r in rngs]).astype(np.float32)
            self.directions.append(tf.Variable(u / np.linalg.norm(u, axis=1, keepdims=True)))

    @property
    def trainable_variables(self) -> list[tf.Variable]:
        """Return the kernels and biases (the power-iteration vectors are not trained)."""
        return self.kernels + self.biases

    def normalised_kernel(self, i: int, training: bool = False) -> tf.Tensor:
        """Return kernel ``i`` divided by each member's largest singular value (estimated)."""
        w, u = self.kernels[i], self.directions[i]
        v = tf.math.l2_normalize(tf.einsum("sio,so->si", w, u), axis=1)
        u_new = tf.math.l2_normalize(tf.einsum("sio,si->so", w, v), axis=1)
        u_new, v = tf.stop_gradient(u_new), tf.stop_gradient(v)
        if training:
            u.assign(u_new)
        sigma = tf.einsum("si,sio,so->s", v, w, u_new)
        return w / sigma[:, None, None]

    def __call__(self, x: Any, training: bool = False) -> tf.Tensor:
        h = tf.reshape(tf.convert_to_tensor(x, tf.float32), [self.members, -1, x.shape[-1]])
        for i, bias in enumerate(self.biases):
            kernel = self.normalised_kernel(i, training) if self.spectral_norm else self.kernels[i]
            h = tf.einsum("sbi,sio->sbo", h, kernel) + bias
            if i < len(self.biases) - 1:
                h = tf.nn.leaky_relu(h, 0.2)
        return tf.reshape(h, [-1, h.shape[-1]])


class _Adam:
    """Adam on a list of variables, as Keras computes it, in a few graph operations.

    Keras' own optimizer takes longer to trace than a whole toy recipe takes to train in
    quick mode; the update is the same: moments ``m``, ``v`` and the bias-corrected step
    ``rate * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + 1e-7)``.
    """

    def __init__(
        self, variables: list[tf.Variable], rate: float, beta_1: float, beta_2: float
    ) -> None:
        self.variables = variables
        self.rate, self.beta_1, self.beta_2 = rate, beta_1, beta_2
        self.m = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.t = tf.Variable(0.0)

    def apply(self, grads: list[tf.Tensor]) -> None:
        """Take one Adam step along ``grads`` (one per variable, in order)."""
        t = self.t.assign_add(1.0)
        scale = self.rate * tf.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
        for var, m, v, g in zip(self.variables, self.m, self.v, grads, strict=True):
            m.assign_add((g - m) * (1.0 - self.beta_1))
            v.assign_add((tf.square(g) - v) * (1.0 - self.beta_2))
            var.assign_sub(scale * m / (tf.sqrt(v) + 1e-7))


def good_share(samples: Any, mixture: GaussianMixture) -> float:
    """Return the share of ``samples`` within 3 standard deviations of some mode's centre."""
    radius = GOOD_WITHIN_STDS * float(np.max(mixture.stds))
    counts = toy_metrics.mode_counts(samples, mixture.means, radius)
    return float(counts.sum() / len(samples))


@dataclass
class SweepResult:
    """What :func:`train_recipe` measured: arrays over (seed, checkpoint)."""

    name: str
    seeds: list[int]
    steps: np.ndarray  # (T,) G updates done at each checkpoint
    modes: np.ndarray  # (S, T) modes covered
    good: np.ndarray  # (S, T) share of samples within 3 std of a mode
    samples: np.ndarray  # (S, N, 2) each seed's samples at the end
    seconds: float
    total_modes: int


def _mixture_sampler(mixture: GaussianMixture) -> Callable[[int, tf.random.Generator], tf.Tensor]:
    """Return a function drawing ``n`` points of ``mixture`` inside TensorFlow."""
    means = tf.constant(np.asarray(mixture.means, np.float32))
    stds = tf.constant(np.asarray(mixture.stds, np.float32))
    logits = tf.math.log(tf.constant(np.asarray(mixture.weights, np.float32)))[None, :]

    def sample(n: int, gen: tf.random.Generator) -> tf.Tensor:
        seed = gen.uniform_full_int([2], tf.int32)
        which = tf.random.stateless_categorical(logits, n, seed)[0]
        noise = gen.normal([n, means.shape[1]])
        return tf.gather(means, which) + tf.gather(stds, which)[:, None] * noise

    return sample


def train_recipe(
    recipe: Recipe,
    mixture: GaussianMixture,
    seeds: Sequence[int] = (0, 1, 2),
    steps: int = 2000,
    *,
    name: str = "",
    checkpoints: int = 10,
    batch_size: int = 64,
    hidden: Sequence[int] = (64, 64),
    noise_dim: int = 2,
    eval_samples: int = 1000,
    progress: bool = True,
) -> SweepResult:
    """Train ``recipe`` on ``mixture`` once per seed, side by side; return the measurements.

    ``steps`` G updates (each after ``recipe.d_steps`` D updates), measured at ``checkpoints``
    evenly spaced points: modes covered (``toy_metrics.modes_covered``, radius 3 std) and the
    share of good samples (:func:`good_share`), from ``eval_samples`` samples per seed.
    """
    if not isinstance(recipe, Recipe):
        raise ValueError(f"recipe must be a toy_sweep.Recipe, got {type(recipe).__name__}.")
    if not isinstance(mixture, GaussianMixture) or np.asarray(mixture.means).shape[1] != 2:
        raise ValueError(
            "mixture must be a 2-D Gaussian mixture, such as data.toy_distribution('ring')."
        )
    seeds = [int(s) for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct integers, at least one, got {seeds}.")
    steps = argchecks.positive_int("steps", steps)
    checkpoints = min(argchecks.positive_int("checkpoints", checkpoints), steps)
    batch = argchecks.positive_int("batch_size", batch_size)
    hidden = [argchecks.positive_int(f"hidden[{i}]", h) for i, h in enumerate(hidden)]
    noise_dim = argchecks.positive_int("noise_dim", noise_dim)
    eval_samples = argchecks.positive_int("eval_samples", eval_samples)
    members = len(seeds)

    generator = StackedMLP([noise_dim, *hidden, 2], seeds, tag=1)
    critic = StackedMLP([2, *hidden, 1], seeds, recipe.spectral_norm, tag=2)
    d_opt = _Adam(critic.trainable_variables, recipe.d_learning_rate, recipe.beta_1, recipe.beta_2)
    g_opt = _Adam(
        generator.trainable_variables, recipe.g_learning_rate, recipe.beta_1, recipe.beta_2
    )
    gen = tf.random.Generator.from_seed(seeds[0] * 7919 + members)
    real_points = _mixture_sampler(mixture)
    n = members * batch

    def noisy(x: tf.Tensor) -> tf.Tensor:
        return with_instance_noise(x, recipe.instance_noise, gen.normal)

    def d_update() -> tf.Tensor:
        real = real_points(n, gen)
        fake = generator(gen.normal([n, noise_dim]), training=True)
        real, fake = noisy(real), noisy(fake)
        with tf.GradientTape() as tape:
            loss = recipe.d_loss(critic(real, training=True), critic(fake, training=True))
            if recipe.penalty is not None:
                loss += recipe.penalty(critic, real, fake)
            loss = loss * members
        grads = tape.gradient(loss, critic.trainable_variables)
        d_opt.apply(grads)
        clip_weights(critic, recipe.clip)
        return loss / members

    def g_update() -> tf.Tensor:
        with tf.GradientTape() as tape:
            fake = noisy(generator(gen.normal([n, noise_dim]), training=True))
            loss = recipe.g_loss(critic(fake, training=True)) * members
        grads = tape.gradient(loss, generator.trainable_variables)
        g_opt.apply(grads)
        return loss / members

    def one_step(d_loss: tf.Tensor, g_loss: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        # recipe.d_steps D updates as a graph loop (traced once, not d_steps times), then G's.
        _, d_loss = tf.while_loop(
            lambda i, _: i < recipe.d_steps, lambda i, _: (i + 1, d_update()), (0, d_loss)
        )
        return d_loss, g_update()

    # Without autograph: tracing the losses (TF-GAN's are long) takes a fraction of the time.
    @tf.function(autograph=False)
    def train_chunk(count: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        _, d_loss, g_loss = tf.while_loop(
            lambda i, *_: i < count,
            lambda i, d, g: (i + 1, *one_step(d, g)),
            (tf.constant(0), tf.constant(0.0), tf.constant(0.0)),
        )
        return d_loss, g_loss

    @tf.function(autograph=False)
    def draw() -> tf.Tensor:
        return generator(gen.normal([members * eval_samples, noise_dim]))

    radius = GOOD_WITHIN_STDS * float(np.max(mixture.stds))
    marks = np.linspace(0, steps, checkpoints + 1).round().astype(int)[1:]
    modes = np.zeros((members, len(marks)), np.int64)
    good = np.zeros((members, len(marks)))
    start, done = time.perf_counter(), 0
    bar = tqdm(total=steps, desc=name or "training", disable=not progress, leave=False)
    for t, mark in enumerate(marks):
        train_chunk(tf.constant(int(mark - done)))
        bar.update(int(mark - done))
        done = int(mark)
        points = draw().numpy().reshape(members, eval_samples, 2)
        for s in range(members):
            modes[s, t] = toy_metrics.modes_covered(points[s], mixture.means, radius)
            good[s, t] = good_share(points[s], mixture)
    bar.close()
    return SweepResult(
        name=name,
        seeds=seeds,
        steps=marks,
        modes=modes,
        good=good,
        samples=points,
        seconds=time.perf_counter() - start,
        total_modes=len(mixture.means),
    )


# --------------------------------------------------------------------------- notebook 06's recipes

#: G steps of notebook 06's sweeps in full mode.
SWEEP_STEPS = 2000
#: Settings shared by the classifier-style losses (minimax, non-saturating, least squares,
#: hinge): one D step per G step, Adam with beta_1 0.5 as in DCGAN, at a larger rate.
GAN_FAMILY: dict[str, Any] = {"d_learning_rate": 1e-3, "g_learning_rate": 1e-3, "beta_1": 0.5}
#: Settings shared by the Wasserstein critics (clipped, or with a gradient penalty): five
#: critic steps per G step and Adam's betas (0.5, 0.9) as in the WGAN-GP paper, and the rate
#: that did best of those tried (1e-4, 1e-3, 2e-3; docs/benchmarks.md).
CRITIC_FAMILY: dict[str, Any] = {
    "d_steps": 5,
    "d_learning_rate": 2e-3,
    "g_learning_rate": 2e-3,
    "beta_1": 0.5,
    "beta_2": 0.9,
}
#: The original WGAN's weight clip (the paper's value).
CLIP = 0.01
#: The gradient penalty's weight. The WGAN-GP paper uses 10; on the ring, 10 covered fewer
#: modes within 2,000 steps than 1 did (docs/benchmarks.md).
PENALTY_WEIGHT = 1.0


#: The grid's modes are wider in the sweeps than the lab's (0.05): with narrow modes no loss
#: covered more than 3 of the 25 within 8,000 steps (docs/benchmarks.md).
GRID_STD = 0.2


def sweep_toy(name: str) -> GaussianMixture:
    """Return notebook 06's toy ``name``: the ring of 8, or the grid of 25 with wider modes."""
    from .data import toy_distribution

    name = argchecks.choice("name", name, ("ring", "grid"))
    return toy_distribution(name, std=GRID_STD) if name == "grid" else toy_distribution(name)


def loss_recipes() -> dict[str, Recipe]:
    """Return notebook 06's six losses as recipes, with the course's loss functions."""
    from . import losses as L

    def penalty(critic: Any, real: Any, fake: Any) -> tf.Tensor:
        return L.gradient_penalty(critic, real, fake, weight=PENALTY_WEIGHT)

    wd, wg = L.wasserstein_discriminator_loss, L.wasserstein_generator_loss
    return {
        "minimax": Recipe(L.minimax_discriminator_loss, L.minimax_generator_loss, **GAN_FAMILY),
        "non-saturating": Recipe(
            L.minimax_discriminator_loss, L.non_saturating_generator_loss, **GAN_FAMILY
        ),
        "least squares": Recipe(
            L.least_squares_discriminator_loss, L.least_squares_generator_loss, **GAN_FAMILY
        ),
        "hinge": Recipe(L.hinge_discriminator_loss, L.hinge_generator_loss, **GAN_FAMILY),
        "Wasserstein, clipped": Recipe(wd, wg, clip=CLIP, **CRITIC_FAMILY),
        "Wasserstein-GP": Recipe(wd, wg, penalty=penalty, **CRITIC_FAMILY),
    }


def stabiliser_recipes() -> dict[str, Recipe]:
    """Return notebook 06's baseline (non-saturating) and each stabiliser added to it alone."""
    from functools import partial

    from . import losses as L

    d, g = L.minimax_discriminator_loss, L.non_saturating_generator_loss
    faster_d = {**GAN_FAMILY, "d_learning_rate": 4 * GAN_FAMILY["d_learning_rate"]}
    return {
        "baseline": Recipe(d, g, **GAN_FAMILY),
        "label smoothing 0.9": Recipe(partial(d, label_smoothing=0.2), g, **GAN_FAMILY),
        "instance noise 0.1": Recipe(d, g, instance_noise=0.1, **GAN_FAMILY),
        "2 D steps": Recipe(d, g, d_steps=2, **GAN_FAMILY),
        "D learns 4x faster": Recipe(d, g, **faster_d),
        "spectral norm": Recipe(d, g, spectral_norm=True, **GAN_FAMILY),
    }
