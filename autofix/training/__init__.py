"""Training helpers shared by verification, the probe and ``autofix.Monitor``: seeded fresh copies,
budgeted arms and their scores (:mod:`.arms`), probe measurements (:mod:`.probe`), threshold metric
reports (:mod:`.metrics`), and the start-up hook of script runs (:mod:`._fit_hook`)."""
