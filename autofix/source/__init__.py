"""The source path: Keras training scripts read and rewritten with libcst.

Nothing in this package imports TensorFlow or Keras.
"""
