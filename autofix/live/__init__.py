"""The live path: a ``keras.Model`` in, its spec out (:mod:`.extract`), edits in, a rebuilt model out
(:mod:`.rebuild`), and the fix loop over both (:mod:`.repair`).  Imports Keras."""
