"""Interactive views for the course, built from core ipywidgets only (ipywidgets 7.7 and 8).

* :class:`EpochStepper`: a training run epoch by epoch, sample grid beside the loss curves.
* :class:`SampleViewer`: new samples from a generator, latent interpolation, digit choice.
* :class:`ToyGANLab`: a GAN on a 1-D or 2-D toy, trained one button press at a time.
* :class:`Quiz`: a multiple-choice (one button per option) or numeric question with
  immediate feedback, usable by keyboard.
* :class:`RegressionPanel`: learning rate, epochs and batch size of a linear regression.
* :class:`DiracGANView`: the Dirac-GAN's gradient steps, redrawn as step size, penalty,
  noise, order and loss change.
* :class:`CodeExplorer`: an InfoGAN's codes by hand, a menu for the category and a slider
  per continuous value, the digits redrawn at once.

Every widget keeps its state on the object (the epoch shown, the image bytes, the feedback
text), so tests and scripts can drive it without a browser; shows its images at their true
size, sharp on 2x screens; and leaves a picture and text of itself where widgets cannot
render (see ``_base``). Importing this package does not import TensorFlow; the
widgets that train import it when they first need it.
"""

from .codes import CodeExplorer
from .dirac import DiracGANView
from .quiz import Quiz
from .regression import RegressionPanel
from .stepper import EpochStepper
from .toylab import ToyGANLab
from .viewer import SampleViewer, interpolate_latent

__all__ = [
    "CodeExplorer",
    "DiracGANView",
    "EpochStepper",
    "Quiz",
    "RegressionPanel",
    "SampleViewer",
    "ToyGANLab",
    "interpolate_latent",
]
