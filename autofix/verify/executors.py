"""Executors for verification arms: in-process (default), a process pool, or Ray.

Arms are independent trials: each rebuilds its model from the config with
``keras.utils.set_random_seed(seed)`` (fresh weights), trains a fixed number
of steps on given rows and is scored on the held-out rows
(:func:`autofix.training.arms.train_arm`).  So an arm needs only the model's
config and compile config, its fit() settings, the seed, the step count and
the indices of its training rows: that is what an :class:`ArmJob` ships to a
worker (no weights, no callbacks).  The base :class:`~autofix.training.arms.Data`
is sent once per worker.

* ``"inprocess"``: arms run one after the other in this process.
* ``"processes"``: a ``concurrent.futures.ProcessPoolExecutor`` with spawned
  workers (each imports Keras afresh, a few seconds); the CPU threads are
  divided among the workers.  Registered custom layers must be importable in
  a fresh interpreter (their module imported by ``autofix`` users' code is not
  re-run there).
* ``"ray"``: Ray tasks (``pip install 'autofix[ray]'``), one per arm, a GPU each
  when the cluster has GPUs; the Ray already initialised, else ``RAY_ADDRESS``
  (or ``RayExecutor(address=...)``), else a local Ray started with the CPUs given
  (and shut down at :meth:`RayExecutor.close`).

``run(jobs, on_result, on_start)`` calls ``on_result`` as each arm finishes;
``on_start`` only where an arm's start is known (in-process), for progress.

The same seed gives the same arms, and so the same verdicts, on every executor
(checked by ``tests/verify/test_search.py`` for the pool and
``tests/verify/test_ray_executor.py`` for a local Ray).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

from ..training.arms import ArmResult, Data, fit_settings

#: Names accepted by :func:`make_executor`.
EXECUTORS = ("inprocess", "processes", "ray")


@dataclass
class ArmJob:
    """One arm to train: which model, how, and on which training rows of the base data."""

    name: str
    model: Any
    fit_kwargs: dict[str, Any] | None
    seed: int
    steps: int
    #: Indices of the base data's training rows this arm trains on (in order); None: all.
    keep: Any = None
    relabel: bool = False
    seconds_cap: float | None = None
    #: Free-form tag the caller uses to find the result again (e.g. the strategy code).
    tag: Any = field(default=None, compare=False)


def subset(data: Data, keep: Any) -> Data:
    """The base data with only the training rows ``keep`` (held-out rows unchanged)."""
    if keep is None:
        return data
    keep = np.asarray(keep)
    return Data(data.x[keep], data.y[keep], data.x_val, data.y_val, data.classes_val)


def _train(job: ArmJob, data: Data, model: Any) -> ArmResult:
    from ..training.arms import train_arm

    return train_arm(job.name, model, subset(data, job.keep), fit_kwargs=job.fit_kwargs, seed=job.seed,
                     steps=job.steps, seconds_cap=job.seconds_cap, relabel=job.relabel)


class InProcessExecutor:
    """Arms one after the other in this process (the default)."""

    name = "inprocess"
    workers = 1

    def __init__(self, data: Data):
        self.data = data

    def run(self, jobs: list[ArmJob], on_result: Callable[[ArmJob, ArmResult], None] | None = None,
            on_start: Callable[[ArmJob], None] | None = None) -> list[ArmResult]:
        out = []
        for job in jobs:
            if on_start:
                on_start(job)
            result = _train(job, self.data, job.model)
            if on_result:
                on_result(job, result)
            out.append(result)
        return out

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- shipping a model to another process ---------------------------------------------
def _payload(job: ArmJob) -> tuple:
    """What a worker needs to rebuild and train the arm (plain, picklable data)."""
    import keras

    model = job.model
    kind = "sequential" if isinstance(model, keras.Sequential) else "functional"
    compile_config = model.get_compile_config() if getattr(model, "compiled", False) else None
    fit = fit_settings(job.fit_kwargs)
    return (job.name, kind, model.get_config(), compile_config, fit, job.seed, job.steps,
            None if job.keep is None else np.asarray(job.keep), job.relabel, job.seconds_cap)


def rebuild(kind: str, config: dict, compile_config: dict | None) -> Any:
    import keras

    cls = keras.Sequential if kind == "sequential" else keras.Model
    model = cls.from_config(config)
    if compile_config is not None:
        model.compile_from_config(compile_config)
    return model


def run_payload(payload: tuple, data: Data) -> ArmResult:
    """Train one shipped arm (in a worker); failures come back as an errored arm, like in-process."""
    name, kind, config, compile_config, fit, seed, steps, keep, relabel, cap = payload
    start = time.perf_counter()
    try:
        model = rebuild(kind, config, compile_config)
    except Exception as exc:
        return ArmResult(name, seed, -float("inf"), 0, time.perf_counter() - start,
                         error=f"could not rebuild in the worker: {type(exc).__name__}: {exc}"[:300])
    return _train(ArmJob(name, model, fit, seed, steps, keep, relabel, cap), data, model)


def _thread_env(threads: int) -> dict[str, str]:
    """The environment variables that give a fresh process ``threads`` CPU threads."""
    env = {key: str(threads) for key in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "MKL_NUM_THREADS",
                                         "OPENBLAS_NUM_THREADS")}
    return {**env, "TF_NUM_INTEROP_THREADS": "1",
            "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3")}


def _limit_threads(threads: int) -> None:
    """Give this process ``threads`` CPU threads (call before Keras/TensorFlow is imported)."""
    os.environ.update(_thread_env(threads))


_WORKER_DATA: Data | None = None


def _init_worker(data: Data, threads: int) -> None:
    global _WORKER_DATA
    _limit_threads(threads)
    _WORKER_DATA = data
    import keras  # noqa: F401  (import once, before the first task)

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # already initialised
            pass


def _worker_run(payload: tuple) -> ArmResult:
    assert _WORKER_DATA is not None, "worker not initialised"
    return run_payload(payload, _WORKER_DATA)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def split_cpus(workers: int | None, cpus: int | None = None) -> tuple[int, int]:
    """(workers, threads per worker) dividing ``cpus`` (default: this machine's) among the workers."""
    cpus = cpus or _cpus()
    workers = max(1, min(workers or cpus, cpus))
    return workers, max(1, cpus // workers)


class ProcessExecutor:
    """Arms in a pool of spawned worker processes (``ProcessPoolExecutor``, ``mp_context=spawn``)."""

    name = "processes"

    def __init__(self, data: Data, workers: int | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers, self.threads = split_cpus(workers)
        self.data = data
        self._started = False
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker, initargs=(data, self.threads))

    def _start(self) -> None:
        """Spawn every worker now, with the thread limits in its environment (a spawned child reads
        its environment before it imports TensorFlow, which ``autofix.verify`` pulls in)."""
        if self._started:
            return
        self._started = True
        saved = dict(os.environ)
        try:
            _limit_threads(self.threads)
            for future in [self._pool.submit(os.getpid) for _ in range(self.workers)]:
                future.result()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def run(self, jobs: list[ArmJob], on_result: Callable[[ArmJob, ArmResult], None] | None = None,
            on_start: Callable[[ArmJob], None] | None = None) -> list[ArmResult]:
        from concurrent.futures import as_completed

        self._start()
        futures = {self._pool.submit(_worker_run, _payload(job)): i for i, job in enumerate(jobs)}
        out: list[ArmResult | None] = [None] * len(jobs)
        for future in as_completed(futures):
            index = futures[future]
            try:
                out[index] = future.result()
            except Exception as exc:  # a worker died: the arm loses, with the reason
                out[index] = ArmResult(jobs[index].name, jobs[index].seed, -float("inf"), 0, 0.0,
                                       error=f"worker failed: {type(exc).__name__}: {exc}"[:300])
            if on_result:
                on_result(jobs[index], out[index])
        return out  # type: ignore[return-value]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


RAY_MISSING = ("executor='ray' needs Ray, which is not installed: pip install 'autofix[ray]' "
               "(or pip install ray); executor='processes' runs arms in parallel without it")


def _import_ray():
    try:
        import ray
    except ImportError as exc:
        raise ImportError(RAY_MISSING) from exc
    return ray


def _node_cpus(ray) -> int | None:
    """The fewest CPUs of one live node (a task asking for more never runs), or None if unknown."""
    try:
        counts = [node["Resources"].get("CPU", 0) for node in ray.nodes() if node.get("Alive", True)]
    except Exception:  # noqa: BLE001 - an older or partial Ray API: no per-node cap
        return None
    counts = [int(c) for c in counts if c >= 1]
    return min(counts) if counts else None


class RayExecutor:
    """Arms as Ray tasks, one per arm, ``threads`` CPUs each and one GPU each when the cluster has GPUs.

    Uses the Ray this process is already connected to; else connects to ``address`` (or
    ``RAY_ADDRESS``) when given; else starts a local Ray with ``workers`` x threads CPUs.  Only a
    Ray this executor started or connected to is shut down by :meth:`close`.  On a cluster, every
    node needs ``autofix`` and Keras installed (the tasks import them).
    """

    name = "ray"

    def __init__(self, data: Data, workers: int | None = None, address: str | None = None):
        ray = _import_ray()
        self.ray = ray
        address = address or os.environ.get("RAY_ADDRESS") or None
        self.owned = not ray.is_initialized()
        if self.owned and address:
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
        elif self.owned:
            local, threads = split_cpus(workers)
            ray.init(num_cpus=local * threads, include_dashboard=False, ignore_reinit_error=True,
                     log_to_driver=False)
        resources = ray.cluster_resources()
        self.gpus = int(resources.get("GPU", 0))
        cpus = int(resources.get("CPU", 0)) or _cpus()
        limit = self.gpus or cpus  # arms that run at once
        self.workers, self.threads = split_cpus(min(workers or limit, limit), cpus)
        self.threads = min(self.threads, _node_cpus(ray) or self.threads)
        self._data = ray.put(data)
        threads = self.threads

        def ray_arm(payload, base):
            _limit_threads(threads)
            return run_payload(payload, base)

        # the thread limits reach the worker's environment before it imports TensorFlow; with GPUs
        # Ray pins one per task (CUDA_VISIBLE_DEVICES) and gives each GPU task a fresh worker
        self._remote = ray.remote(num_cpus=threads, num_gpus=1 if self.gpus else 0,
                                  runtime_env={"env_vars": _thread_env(threads)})(ray_arm)

    def run(self, jobs: list[ArmJob], on_result: Callable[[ArmJob, ArmResult], None] | None = None,
            on_start: Callable[[ArmJob], None] | None = None) -> list[ArmResult]:
        pending = {self._remote.remote(_payload(job), self._data): i for i, job in enumerate(jobs)}
        out: list[ArmResult | None] = [None] * len(jobs)
        while pending:
            [ref], _ = self.ray.wait(list(pending), num_returns=1)
            index = pending.pop(ref)
            try:
                out[index] = self.ray.get(ref)
            except Exception as exc:  # a task or its worker failed: the arm loses, with the reason
                out[index] = ArmResult(jobs[index].name, jobs[index].seed, -float("inf"), 0, 0.0,
                                       error=f"ray task failed: {type(exc).__name__}: {exc}"[:300])
            if on_result:
                on_result(jobs[index], out[index])
        return out  # type: ignore[return-value]

    def close(self) -> None:
        """Shut down the Ray this executor started (never one the caller had initialised)."""
        if self.owned and self.ray.is_initialized():
            self.ray.shutdown()
        self.owned = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


Executor = InProcessExecutor | ProcessExecutor | RayExecutor


def make_executor(kind: Any, data: Data, workers: int | None = None):
    """An executor by name (``"inprocess"``, ``"processes"``, ``"ray"``), or ``kind`` itself when it
    already is an executor class or factory (called with ``data`` and ``workers``)."""
    if kind is None or kind == "inprocess":
        return InProcessExecutor(data)
    if kind == "processes":
        return ProcessExecutor(data, workers)
    if kind == "ray":
        return RayExecutor(data, workers)
    if callable(kind):
        return kind(data, workers)
    raise ValueError(f"unknown executor {kind!r}; use one of {', '.join(EXECUTORS)}")


def run_jobs(executor, jobs: Iterable[ArmJob], on_result=None, on_start=None) -> list[ArmResult]:
    """``executor.run`` (``on_start`` is called per arm where the executor knows when it starts: in-process)."""
    return executor.run(list(jobs), on_result, on_start)
