"""Training a small network on a toy data set, one step at a time, with undo.

This is classic micrograd's demo notebook as an object a screen or the command line can
drive. One step is the notebook's loop body:

    scores = [model(x) for x in X]                     # forward, every sample
    loss = max_margin_loss(scores, y) + l2(parameters)  # the data loss, plus a pull to 0
    model.zero_grad()                                   # forget the last step's gradients
    loss.backward()                                     # d(loss)/d(p) for every parameter
    for p in parameters:
        p.data -= lr * p.grad                           # the update: downhill, a step lr

``TrainConfig()`` is the notebook's run: ``MLP(2, [16, 16, 1])`` with the weights
``random.seed(1337)`` gives it, 100 moons points, max-margin loss plus ``1e-4 * sum(p*p)``,
every sample in every step, and a learning rate falling from 1.0 to 0.1. (The points come
from ``micrograd.data.make_moons``, not scikit-learn's, so the losses are not the notebook's
print-out; on the notebook's own points they are: see tests/micrograd/test_train.py.)

    >>> trainer = Trainer(TrainConfig(steps=3, sizes=(2, 4, 1)))
    >>> first = trainer.train_step()
    >>> first.step, trainer.step
    (1, 1)
    >>> trainer.back(), trainer.step
    (True, 0)
    >>> trainer.train_step() == first   # the same step again (seconds aside)
    True

The class also answers what a training screen shows: the loss and accuracy now
(``loss_and_accuracy``), the network's score anywhere in the plane without building a graph
(``score``, ``scores_grid``: the decision boundary), the largest gradients, and one
sample's loss as a graph of its own for the explorer (``sample_program``).
"""

from __future__ import annotations

import math
import random
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from micrograd.data import Dataset, make_blobs, make_circles, make_moons, make_xor
from micrograd.expr import Program
from micrograd.fmt import fmt_rate
from micrograd.nn import (
    ACTIVATIONS,
    MLP,
    accuracy,
    add_up,
    l2,
    max_margin_loss,
    mse,
    parameter_count,
)
from micrograd.ops import OPS
from micrograd.presets import MAX_MLP_PARAMETERS
from micrograd.snapshot import copy_graph
from micrograd.value import Value

#: The data sets by name: each makes ``(X, y)`` from ``n`` and ``seed``, labels -1 or +1.
DATASETS: dict[str, Callable[..., Dataset]] = {
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "blobs": make_blobs,
}

#: The losses by name. For a label y of -1 or +1 and a score s, one sample costs
#: max-margin: relu(1 - y*s) (the notebook's; 0 once s is on y's side by 1 or more);
#: mse: (s - y)**2; bce: log(1 + exp(-y*s)) (logistic regression's loss, the binary cross
#: entropy of sigmoid(s) for labels written -1/+1). The data loss is the mean over the batch.
LOSSES = ("max-margin", "mse", "bce")

#: A learning rate that trains with each loss on the default network. Squared errors push
#: hardest where a score is far off: at 1.0 mse blows up on moons (the loss passes 1e18).
SUGGESTED_LR = {"max-margin": 1.0, "mse": 0.05, "bce": 1.0}

#: Limits that keep a run in reach of a laptop: a step with the defaults builds a graph of
#: about 66,000 nodes (0.08 s); 10,000 samples make it 6.6 million.
MAX_SAMPLES = 10_000
MAX_STEPS = 100_000
#: Samples in a step times parameters: about the nodes a step builds, halved. 4,000,000 is
#: a graph of some 8 million nodes, a few seconds and a gigabyte or so a step.
MAX_STEP_WORK = 4_000_000
#: How many numbers the undo history keeps (a data and a grad per parameter per step):
#: 80 MB, which with the default network is the last 14,836 steps.
UNDO_FLOATS = 10_000_000

#: Step k is the network after k updates (step 0: the starting weights), on the screen, in
#: the lessons and in --no-ui's lines. Row k of the log is update k, the one that makes
#: step k: the loss and accuracy it started from (step k-1's), the rate it used, its time.
CSV_HEADER = "step,loss_before,accuracy_before,lr,seconds"


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; the same config gives the same run.

    ``sizes`` are the inputs (2: a point's coordinates), the hidden layers and the output
    (1: a score whose sign is the predicted label). ``lr`` is the learning rate, falling
    linearly to a tenth of it over ``steps`` when ``decay`` is on (the notebook's
    ``1.0 - 0.9*k/100``). ``l2`` is the weight of ``sum(p*p)`` in the loss. ``batch`` is how
    many samples a step uses, drawn at random (None: all of them). ``seed`` decides the data,
    the starting weights and the batches. ``zero_grad=False`` skips ``model.zero_grad()``
    before ``backward()``: the classic bug, gradients piling up from step to step.
    """

    data: str = "moons"
    samples: int = 100
    sizes: tuple[int, ...] = (2, 16, 16, 1)
    activation: str = "relu"
    loss: str = "max-margin"
    lr: float = 1.0
    decay: bool = True
    l2: float = 1e-4
    batch: int | None = None
    steps: int = 100
    seed: int = 1337
    zero_grad: bool = True

    def check(self) -> None:
        """Raise a ``ValueError`` whose one-line message names the first bad field."""
        if self.data not in DATASETS:
            raise ValueError(f"unknown data set {self.data!r} (data sets: {', '.join(DATASETS)})")
        if not _whole(self.samples) or not 2 <= self.samples <= MAX_SAMPLES:
            raise ValueError(
                f"samples must be a whole number from 2 to {MAX_SAMPLES:,}, got {self.samples!r}"
            )
        _check_sizes(self.sizes)
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r} "
                             f"(activations: {', '.join(ACTIVATIONS)})")
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r} (losses: {', '.join(LOSSES)})")
        if not _number(self.lr) or not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"lr must be a number > 0, got {self.lr!r}")
        if not _number(self.l2) or not (self.l2 >= 0 and math.isfinite(self.l2)):
            raise ValueError(f"l2 must be a number >= 0, got {self.l2!r}")
        if self.batch is not None and (
            not _whole(self.batch) or not 1 <= self.batch <= self.samples
        ):
            raise ValueError(
                f"batch must be a whole number from 1 to samples ({self.samples}), "
                f"got {self.batch!r}"
            )
        if not _whole(self.steps) or not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(
                f"steps must be a whole number from 1 to {MAX_STEPS:,}, got {self.steps!r}"
            )
        if not _whole(self.seed):
            raise ValueError(f"seed must be a whole number, got {self.seed!r}")
        per_step = self.batch or self.samples
        work = per_step * parameter_count(self.sizes)
        if work > MAX_STEP_WORK:
            raise ValueError(
                f"a step would push {per_step:,} samples through "
                f"{parameter_count(self.sizes):,} parameters ({work:,}; the limit is "
                f"{MAX_STEP_WORK:,}): use fewer samples, a smaller batch or a smaller network"
            )


@dataclass(frozen=True)
class StepRecord:
    """What one step did, for the loss curve and the log.

    ``step`` counts steps taken including this one (1 for the first): the record is update
    k, which makes step k. ``loss`` is the loss the step minimised (its batch's data loss plus
    the L2 term) and ``accuracy`` the fraction of all samples classified right, both at the
    weights before the update (step k-1's), as the notebook prints them. ``lr`` is the rate
    the update used; ``seconds`` the step's wall time, left out of ``==`` so that two runs of
    the same config compare equal.
    """

    step: int
    loss: float
    accuracy: float
    lr: float
    seconds: float = field(compare=False)


class Trainer:
    """A training run that moves one step at a time, forwards or back.

    The model is ``MLP(2, sizes[1:], activation=...)`` with ``seed=config.seed``: a
    ``random.Random(seed)`` of its own, which draws exactly the weights ``random.seed(seed)``
    gives classic micrograd, without touching the ``random`` module's state. The data is
    ``DATASETS[config.data](n=config.samples, seed=config.seed)``. A batch of step k is
    drawn from ``random.Random(f"batch {k} of seed {seed}")``: a function of the step, so
    going back and forward again, or starting over, meets the same batches.

    Undo keeps every parameter's data and grad from before each step (in ``array``s, exact
    floats), up to ``UNDO_FLOATS`` numbers; past that the oldest steps cannot be undone.
    """

    def __init__(self, config: TrainConfig | None = None) -> None:
        config = TrainConfig() if config is None else config
        config.check()
        self.config = config
        self.X, self.y = DATASETS[config.data](n=config.samples, seed=config.seed)
        self.model = MLP(2, list(config.sizes[1:]), activation=config.activation,
                         seed=config.seed)
        #: The model's parameters, in ``model.parameters()`` order.
        self.parameters: list[Value] = self.model.parameters()
        self.step = 0
        self.history: list[StepRecord] = []
        #: Whether a step clears the gradients before ``backward()``; settable at any time.
        self.zero_grad = config.zero_grad
        self._start = self._snapshot()
        depth = max(1, UNDO_FLOATS // (2 * len(self.parameters)))
        self._undo: deque[tuple[array, array]] = deque(maxlen=depth)

    # --- the step -----------------------------------------------------------------------

    @property
    def done(self) -> bool:
        """Whether the planned ``config.steps`` have been taken (more steps still work)."""
        return self.step >= self.config.steps

    def lr_at(self, k: int) -> float:
        """The learning rate of step ``k`` (0 for the first): with decay the notebook's
        ``lr * (1 - 0.9*k/steps)``, which stays at ``lr / 10`` past the planned steps."""
        if not self.config.decay:
            return self.config.lr
        return self.config.lr * (1.0 - 0.9 * min(k, self.config.steps) / self.config.steps)

    def batch_at(self, k: int) -> list[int]:
        """The samples step ``k`` uses, by index: all of them, or ``config.batch`` drawn at
        random, in data order."""
        n = len(self.X)
        if self.config.batch is None:
            return list(range(n))
        rng = random.Random(f"batch {k} of seed {self.config.seed}")
        return sorted(rng.sample(range(n), self.config.batch))

    def train_step(self) -> StepRecord:
        """Take one step (forward, loss, zero_grad, backward, update) and record it.

        If anything fails on the way (a ``MathError``, ctrl+c), every parameter is put back
        as it was: a step is taken whole or not at all.
        """
        k = self.step
        lr = self.lr_at(k)
        indices = self.batch_at(k)
        before = self._snapshot()
        start = time.perf_counter()
        try:
            scores = [self.model(self.X[i]) for i in indices]
            loss = batch_loss(scores, [self.y[i] for i in indices], self.config.loss)
            if self.config.l2 > 0:
                loss = loss + l2(self.parameters, self.config.l2)
            if len(indices) == len(self.X):
                right = accuracy(scores, self.y)
            else:  # the others' scores too, at these weights, without a graph
                right = accuracy(self.scores(), self.y)
            if self.zero_grad:
                self.model.zero_grad()
            loss.backward()
            for p in self.parameters:
                p.data -= lr * p.grad
            record = StepRecord(k + 1, loss.data, right, lr, time.perf_counter() - start)
            # The counting is inside the try too: ctrl+c can come between any two lines,
            # and a step counted without its record is half a step.
            self.history.append(record)
            self._undo.append(before)
            self.step = k + 1
        except BaseException:
            self._restore(before)
            del self.history[k:]
            if self._undo and self._undo[-1] is before:
                self._undo.pop()  # (if it pushed the oldest out, undo reaches a step less)
            self.step = k
            raise
        return record

    def back(self) -> bool:
        """Undo the last step: every parameter's data and grad as before it, its record
        gone. False (and nothing changes) at step 0 or past the undo history's reach."""
        if self.step == 0 or not self._undo:
            return False
        self._restore(self._undo.pop())
        self.step -= 1
        self.history.pop()
        return True

    def reset(self) -> None:
        """Back to step 0: the starting weights, no gradients, no history. The batches to
        come are the same as the first time; ``zero_grad`` stays as it is set."""
        self._restore(self._start)
        self.step = 0
        self.history.clear()
        self._undo.clear()

    # --- what a screen shows ------------------------------------------------------------

    def loss_and_accuracy(self) -> tuple[float, float]:
        """The loss over all samples (data loss plus the L2 term) and the accuracy, at the
        current weights, in plain floats: the numbers the next full-batch step will print."""
        scores = self.scores()
        loss_name = self.config.loss
        terms = [loss_term_float(s, y, loss_name) for s, y in zip(scores, self.y, strict=True)]
        loss = _add_up(terms) / len(terms)
        if self.config.l2 > 0:
            loss = loss + self.config.l2 * _add_up([p.data * p.data for p in self.parameters])
        return loss, accuracy(scores, self.y)

    def score(self, x0: float, x1: float) -> float:
        """The network's score for the point (x0, x1) at the current weights, in plain
        floats: what ``model([x0, x1]).data`` gives, without a graph of 700 nodes."""
        return forward_floats(self._layers(), (x0, x1))

    def scores_grid(
        self, x_range: tuple[float, float], y_range: tuple[float, float], cols: int, rows: int
    ) -> list[list[float]]:
        """The score at the centre of every cell of a ``cols`` x ``rows`` grid over the
        ranges: a list of rows, the top one (largest y) first, as a screen draws them. Its
        sign is the predicted label; where it changes sign is the decision boundary."""
        if cols < 1 or rows < 1:
            raise ValueError(f"a grid needs at least 1 column and 1 row, got {cols}x{rows}")
        (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
        xs = [x_lo + (j + 0.5) * (x_hi - x_lo) / cols for j in range(cols)]
        ys = [y_hi - (i + 0.5) * (y_hi - y_lo) / rows for i in range(rows)]
        layers = self._layers()  # read the weights once for the whole grid
        return [[forward_floats(layers, (x, y)) for x in xs] for y in ys]

    def bounds(
        self, margin: float = 0.25
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The data's x range and y range, each widened by ``margin`` on both sides."""
        xs = [point[0] for point in self.X]
        ys = [point[1] for point in self.X]
        return (min(xs) - margin, max(xs) + margin), (min(ys) - margin, max(ys) + margin)

    def largest_grads(self, n: int) -> list[tuple[str, float, float]]:
        """The ``n`` parameters with the largest ``|grad|``, largest first, as (label, data,
        grad): where the last backward pass pushes hardest."""
        ranked = sorted(self.parameters, key=lambda p: abs(p.grad), reverse=True)
        return [(p.label, p.data, p.grad) for p in ranked[:max(n, 0)]]

    def sample_program(self, index: int) -> Program:
        """Sample ``index``'s own loss term at the current weights, as a fresh graph for the
        explorer: inputs ``x0`` and ``x1`` (as the weights are numbered, ``L0.N3.w0`` meets
        ``x0``), the network, and ``loss`` = the term, every grad 0.

        It is the sample's data loss only: the step's loss averages these over the batch and
        adds ``l2 * sum(p*p)``, so a parameter's grad in the step is the mean of its grads
        here plus ``2 * l2 * p``. The graph is a copy (``copy_graph``) with the parameters as
        new leaves of the same labels and data: stepping it never touches the model.
        """
        if not 0 <= index < len(self.X):
            raise IndexError(f"sample {index} is not one of 0 to {len(self.X) - 1}")
        x0, x1 = self.X[index]
        label = self.y[index]
        score = self.model([Value(x0, label="x0"), Value(x1, label="x1")])
        term = loss_term(score, label, self.config.loss)  # type: ignore[arg-type]
        term.label = "loss"
        copy = copy_graph(term)
        copy.zero_grad()  # the copied parameters came with the model's grads
        return Program.of_graph(copy, f"sample {index} (y = {label:+d}) at step {self.step}")

    # --- helpers ------------------------------------------------------------------------

    def scores(self) -> list[float]:
        """Every sample's score at the current weights, in plain floats (its sign is the
        predicted label)."""
        layers = self._layers()
        return [forward_floats(layers, point) for point in self.X]

    def _layers(self) -> list[list[FloatNeuron]]:
        """The network's current numbers as plain floats (see ``forward_floats``)."""
        return [
            [(
                [w.data for w in neuron.w],
                neuron.b.data,
                None if neuron.activation == "linear" else OPS[neuron.activation].forward,
            ) for neuron in layer.neurons]
            for layer in self.model.layers
        ]

    def _snapshot(self) -> tuple[array, array]:
        return (array("d", [p.data for p in self.parameters]),
                array("d", [p.grad for p in self.parameters]))

    def _restore(self, snapshot: tuple[array, array]) -> None:
        for p, data, grad in zip(self.parameters, *snapshot, strict=True):
            p.data = data
            p.grad = grad


# --- losses, as a graph and in plain floats --------------------------------------------

def batch_loss(scores: Sequence[Value], labels: Sequence[int], loss: str) -> Value:
    """The data loss of a batch: the mean of its samples' terms (``LOSSES``). Max-margin and
    mse are ``micrograd.nn``'s own functions; bce is the mean of ``loss_term`` here."""
    if loss == "max-margin":
        return max_margin_loss(scores, labels)
    if loss == "mse":
        return mse(scores, labels)
    if loss == "bce":
        return add_up([loss_term(s, y, loss) for s, y in zip(scores, labels, strict=True)]) / (
            len(scores)
        )
    raise ValueError(f"unknown loss {loss!r} (losses: {', '.join(LOSSES)})")


def loss_term(score: Value, y: int, loss: str) -> Value:
    """One sample's term of the data loss, built from the engine's ops: the same expression
    ``nn.max_margin_loss`` and ``nn.mse`` average, or the logistic loss for bce."""
    if loss == "max-margin":
        return (1 - y * score).relu()
    if loss == "mse":
        d = score - y
        return d * d
    if loss == "bce":
        # log(1 + exp(-m)) for the margin m = y*s; for m < 0 written -m + log(1 + exp(m)),
        # the same number, so exp never sees a large positive argument (and never overflows).
        margin = y * score
        if margin.data >= 0:
            return (1 + (-margin).exp()).log()
        return -margin + (1 + margin.exp()).log()
    raise ValueError(f"unknown loss {loss!r} (losses: {', '.join(LOSSES)})")


def loss_term_float(score: float, y: int, loss: str) -> float:
    """``loss_term`` in plain floats, operation for operation (so the numbers are equal)."""
    if loss == "max-margin":
        margin = 1.0 - y * score
        return margin if margin > 0 else 0.0
    if loss == "mse":
        d = score - y
        return d * d
    if loss == "bce":
        margin = y * score
        if margin >= 0:
            return math.log(1.0 + math.exp(-margin))
        return -margin + math.log(1.0 + math.exp(margin))
    raise ValueError(f"unknown loss {loss!r} (losses: {', '.join(LOSSES)})")


# --- the network in plain floats ---------------------------------------------------------

#: A neuron's numbers: its weights, its bias, and its activation on a float (None: linear).
FloatNeuron = tuple[list[float], float, Callable[[float], float] | None]


def forward_floats(layers: Sequence[Sequence[FloatNeuron]], point: Sequence[float]) -> float:
    """An MLP's output for one point, in plain floats, the way ``nn.Neuron`` computes it:
    ``w0*x0``, then ``+ w_i*x_i`` for each further input, then ``+ b``, then the activation
    (the op table's own forward function). Same operations in the same order, so the same
    float as the graph, at a fraction of the cost: no nodes are made."""
    x: Sequence[float] = point
    for layer in layers:
        out = []
        for w, b, activation in layer:
            n = w[0] * x[0]
            for i in range(1, len(w)):
                n = n + w[i] * x[i]
            n = n + b
            out.append(n if activation is None else activation(n))
        x = out
    return x[0]


# --- the log as CSV ----------------------------------------------------------------------

def to_csv_row(record: StepRecord) -> str:
    """One record as a line of CSV (no newline): the loss and accuracy written to round-trip
    exactly, the rate without the noise of its arithmetic (``0.109``, not
    ``0.10899999999999987``: 12 significant digits).

    >>> to_csv_row(StepRecord(100, 0.25, 1.0, 1.0 - 0.9 * 99 / 100, 0.5))
    '100,0.25,1.0,0.109,0.5'
    """
    return (f"{record.step},{record.loss!r},{record.accuracy!r},{fmt_rate(record.lr)},"
            f"{record.seconds!r}")



def csv_lines(records: Iterable[StepRecord]) -> Iterator[str]:
    """The header and a row per record, each line ending in a newline: a whole CSV file."""
    yield CSV_HEADER + "\n"
    for record in records:
        yield to_csv_row(record) + "\n"


# --- helpers ---------------------------------------------------------------------------

def _add_up(numbers: Sequence[float]) -> float:
    """Floats added left to right from the first, as ``nn.add_up`` adds Values, so the sum is
    the graph's to the last bit. Not ``sum()``: from Python 3.12 it adds floats with
    compensation, which is more accurate and therefore differs."""
    total = numbers[0]
    for number in numbers[1:]:
        total = total + number
    return total


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_sizes(sizes: object) -> None:
    if not isinstance(sizes, tuple | list) or not all(_whole(s) for s in sizes):
        raise ValueError(f"sizes must be whole numbers like (2, 16, 16, 1), got {sizes!r}")
    shown = ",".join(map(str, sizes))
    if len(sizes) < 2:
        raise ValueError(f"sizes needs the inputs and at least one layer, like 2,1; got {shown}")
    if sizes[0] != 2:
        raise ValueError(f"sizes must start with 2 (a point has two coordinates), got {shown}")
    if sizes[-1] != 1:
        raise ValueError(f"sizes must end with 1 (one score a point), got {shown}")
    if min(sizes) < 1:
        raise ValueError(f"every layer needs at least 1 neuron, got {shown}")
    count = parameter_count(sizes)
    if count > MAX_MLP_PARAMETERS:
        raise ValueError(f"an MLP {shown} has {count:,} parameters; the limit is "
                         f"{MAX_MLP_PARAMETERS:,}")
