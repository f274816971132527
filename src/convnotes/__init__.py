"""convnotes: the code behind the bilingual (English/Persian) convolution notes.

Each submodule does one job and can be read in one sitting:

``conv``      reference 2D/3D cross-correlation and convolution
``pooling``   max/average/min/global/adaptive pooling and a MinPooling2D layer
``filters``   classic image kernels applied with OpenCV
``params``    output-shape and parameter arithmetic for Keras layers
``layers``    LocallyConnected1D/2D for Keras 3
``data``      CIFAR-10 loading (safe unpickling) and the digits fallback
``models``    the tuned CIFAR-10 CNN and its Keras Tuner HyperModel
``training``  tf.data pipelines, training, evaluation and run records
``tuning``    Keras Tuner helpers, Hyperband schedules
``plots``     figures whose labels follow the page language
``i18n``      the two languages of the book
``book``      helpers used by the book's code cells
``cli``       the ``convnotes`` command
"""

__version__ = "0.1.0"
