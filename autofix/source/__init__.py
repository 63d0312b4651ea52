"""The source path: Keras training scripts checked with stdlib ``ast``, rewritten with libcst.

Nothing in this package imports TensorFlow or Keras.
"""
