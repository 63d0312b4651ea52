"""The Ray executor: its glue on a fake Ray (GPUs, addresses, shutdown), and a real local Ray with 2 CPUs."""

from __future__ import annotations

import sys
import types

import pytest

import autofix
from autofix.training.arms import Data
from autofix.verify.executors import ArmJob, InProcessExecutor, RayExecutor

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.keras


class _Ref:
    """An object reference: hashable, holds the task's result."""

    def __init__(self, value):
        self.value = value


class _FakeRay(types.ModuleType):
    """Just enough of Ray's API to run the executor's glue in-process."""

    def __init__(self, resources=None, initialized=False):
        super().__init__("ray")
        self.started = {} if initialized else None
        self.resources = resources
        self.options = self.kwargs = None
        self.shut = False

    def is_initialized(self):
        return self.started is not None

    def init(self, **kwargs):
        self.started = self.kwargs = kwargs
        if self.resources is None:
            self.resources = {"CPU": float(kwargs.get("num_cpus") or 1)}

    def shutdown(self):
        self.started, self.shut = None, True

    def cluster_resources(self):
        return dict(self.resources)

    def nodes(self):
        return [{"Alive": True, "Resources": self.resources}]

    def put(self, value):
        return value

    def get(self, ref):
        return ref.value

    def wait(self, refs, num_returns=1):
        return refs[:num_returns], refs[num_returns:]

    def remote(self, **options):
        self.options = options

        def wrap(fn):
            return types.SimpleNamespace(remote=lambda *args: _Ref(fn(*args)))
        return wrap


@pytest.fixture
def fake_ray(monkeypatch):
    """Install a fake ``ray`` module (``fake_ray(resources, initialized)`` makes it)."""
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setattr("autofix.verify.executors._limit_threads", lambda threads: None)

    def make(resources=None, initialized=False):
        fake = _FakeRay(resources, initialized)
        monkeypatch.setitem(sys.modules, "ray", fake)
        return fake
    return make


def _data(binary_data):
    x, y = binary_data
    return Data(x[:64], y[:64], x[64:128], y[64:128], y[64:128])


def test_glue_trains_like_in_process_and_shuts_down_the_ray_it_started(fake_ray, binary_data, dense_model):
    fake = fake_ray()
    data, job = _data(binary_data), ArmJob("a", dense_model(), None, 0, 8)
    with RayExecutor(data, workers=1) as executor:
        ray_result = executor.run([job])[0]
    local = InProcessExecutor(data).run([job])[0]
    assert ray_result.error is None and ray_result.score == local.score and ray_result.steps == 8
    assert fake.shut and "address" not in fake.kwargs and fake.kwargs["num_cpus"] == executor.threads
    assert fake.options["num_gpus"] == 0 and fake.options["num_cpus"] == executor.threads
    assert fake.options["runtime_env"]["env_vars"]["OMP_NUM_THREADS"] == str(executor.threads)


def test_a_gpu_per_arm_when_the_cluster_has_gpus(fake_ray, binary_data):
    fake = fake_ray({"CPU": 16.0, "GPU": 4.0}, initialized=True)
    executor = RayExecutor(_data(binary_data))
    assert fake.options["num_gpus"] == 1 and (executor.workers, executor.threads) == (4, 4)
    executor.close()
    assert not fake.shut, "a Ray the caller initialised is never shut down"


def test_address_from_the_environment_or_the_caller(fake_ray, binary_data, monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "ray://head:10001")
    fake = fake_ray({"CPU": 8.0})
    RayExecutor(_data(binary_data), workers=2).close()
    assert fake.kwargs["address"] == "ray://head:10001" and fake.shut, "RAY_ADDRESS is honoured"
    monkeypatch.delenv("RAY_ADDRESS")
    fake = fake_ray({"CPU": 8.0})
    executor = RayExecutor(_data(binary_data), workers=2, address="auto")
    assert fake.started["address"] == "auto" and "num_cpus" not in fake.started
    assert (executor.workers, executor.threads) == (2, 4), "the cluster's CPUs are divided, not this machine's"


def test_a_local_ray_with_2_cpus_gives_the_same_verdicts(binary_data, slow_sgd):
    ray = pytest.importorskip("ray")
    started_here = not ray.is_initialized()
    x, y = binary_data
    runs = {}
    for executor in ("inprocess", "ray"):
        result = autofix.fix(slow_sgd(), x, y, fit_kwargs={"batch_size": 32}, verify=True, steps=32,
                             strategies=["AS103", "AS104"], executor=executor, workers=2)
        report = result.verification.search
        assert report.executor == executor and report.trials
        runs[executor] = ([(t.code, t.round, t.steps, round(t.score, 6), t.outcome) for t in report.trials],
                          [(v.candidate, v.accepted, v.reason) for v in result.verification.verdicts])
    assert runs["inprocess"] == runs["ray"]
    if started_here:
        assert not ray.is_initialized(), "the Ray the executor started is shut down"
