"""gancourse.plots.gan_diagram: the GAN's data flow, with each training step highlighted."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from gancourse import plots


def _texts(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts + [ax.title])


@pytest.mark.parametrize("step", plots.GAN_DIAGRAM_STEPS)
def test_diagram_names_both_players_and_is_released_from_pyplot(step):
    fig = plots.gan_diagram(step)
    text = _texts(fig)
    assert "Generator G" in text and "Discriminator D" in text
    assert fig.number not in plt.get_fignums()


def test_each_step_says_who_learns_and_where_the_gradient_goes():
    assert "counterfeiter" in _texts(plots.gan_diagram())
    d_step = _texts(plots.gan_diagram("discriminator"))
    assert "Generator G\n(frozen)" in d_step and "Discriminator D\n(learns)" in d_step
    assert "D only" in d_step
    g_step = _texts(plots.gan_diagram("generator"))
    assert "Generator G\n(learns)" in g_step and "Discriminator D\n(frozen)" in g_step
    assert "through D into G" in g_step and "not used" in g_step


def test_diagram_draws_into_given_axes_and_rejects_unknown_steps():
    fig, ax = plt.subplots()
    assert plots.gan_diagram("generator", ax=ax) is fig
    plt.close(fig)
    with pytest.raises(ValueError, match="Unknown step 'both'"):
        plots.gan_diagram("both")
