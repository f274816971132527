"""convnotes: the code behind the bilingual (English/Persian) convolution notes.

Each submodule does one job and can be read in one sitting:

``conv``       reference 2D/3D cross-correlation and convolution
``pooling``    max/average/min/global/adaptive pooling
``filters``    classic image kernels applied with OpenCV
``shapes``     output sizes of convolution, pooling and transposed convolution
``params``     output-shape and parameter arithmetic for Keras layers
``layers``     Keras layers: MinPooling2D, LocallyConnected1D/2D for Keras 3
``data``       CIFAR-10 loading (safe unpickling) and the digits fallback
``models``     the tuned CIFAR-10 CNN and its Keras Tuner HyperModel
``training``   tf.data pipelines, training, evaluation and run records
``tuning``     Keras Tuner helpers, Hyperband schedules, ``convnotes tune``
``machine``    the machine and TensorFlow CPU path a result came from
``benchmarks`` timing of the reference implementations (``convnotes benchmark``)
``exercises``  generated exercises with answer keys
``presentation`` figures, tables, animations, recorded-run and search reports, and the
               words of both languages (imports the rest, never imported by a
               computation module)
``i18n``       the two languages of the book
``book``       helpers used by the book's code cells
``cli``        the ``convnotes`` command
``_tf``        quiet TensorFlow/Keras import on one explicit CPU path

Importing the package fixes TensorFlow's CPU path (see :mod:`convnotes._tf`) before
anything can import TensorFlow, so every module and subprocess takes the same one.
"""

from convnotes import _tf

_tf.choose_cpu_path()

__version__ = "0.1.0"
