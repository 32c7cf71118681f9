"""micrograd.train: the notebook's training loop as a Trainer that steps, undoes and resets,
and the plain-float views of the network a training screen draws."""

from __future__ import annotations

import math
import random
from collections import deque
from pathlib import Path

import pytest

import micrograd.train as train
from micrograd.data import make_moons
from micrograd.graph import paused_gc
from micrograd.nn import MLP, add_up, l2, max_margin_loss
from micrograd.train import (
    CSV_HEADER,
    DATASETS,
    LOSSES,
    SUGGESTED_LR,
    StepRecord,
    TrainConfig,
    Trainer,
    batch_loss,
    csv_lines,
    loss_term,
    loss_term_float,
    to_csv_row,
)
from micrograd.value import Value

FIXTURE = Path(__file__).parent / "fixtures" / "demo_moons.csv"


def state(trainer: Trainer) -> list[tuple[float, float]]:
    return [(p.data, p.grad) for p in trainer.parameters]


def run(trainer: Trainer, steps: int) -> list[StepRecord]:
    # With the cyclic collector paused, as the training screen and the lesson check train: a
    # step's graph has no reference cycles, and the collector's passes over its nodes were a
    # third of the time.
    with paused_gc():
        for _ in range(steps):
            trainer.train_step()
    return trainer.history


@pytest.fixture(scope="module")
def default_run() -> Trainer:
    """The default config trained for its 100 steps (about 7 s: shared by the tests)."""
    trainer = Trainer()
    run(trainer, 100)
    return trainer


# --- the defaults are the notebook's ----------------------------------------------------------


def test_default_weights_are_classic_micrograds_from_random_seed_1337() -> None:
    random.seed(5)
    before = random.getstate()
    trainer = Trainer()
    assert random.getstate() == before  # the random module is left alone
    random.seed(1337)
    classic = MLP(2, [16, 16, 1])
    assert [p.data for p in trainer.parameters] == [p.data for p in classic.parameters()]
    assert (trainer.X, trainer.y) == make_moons(n=100, seed=1337)
    assert [trainer.lr_at(k) for k in range(100)] == [1.0 - 0.9 * k / 100 for k in range(100)]


@pytest.mark.slow
def test_defaults_reach_full_accuracy_within_100_steps(default_run: Trainer) -> None:
    history = default_run.history
    assert [r.step for r in history] == list(range(1, 101))
    first = next(r.step for r in history if r.accuracy == 1.0)
    assert first == 45  # seed 1337: every point right first in update 45's record (step 44)
    assert all(r.accuracy == 1.0 for r in history[74:]) and history[73].accuracy < 1.0
    loss, acc = default_run.loss_and_accuracy()
    assert acc == 1.0 and loss < 0.02 < history[0].loss


@pytest.mark.slow
def test_the_same_config_is_the_same_run_bit_for_bit(default_run: Trainer) -> None:
    # Ten steps (not another hundred, a minute on a busy machine) against the default run's.
    again, once_more = Trainer(), Trainer()
    run(again, 10)
    run(once_more, 10)
    assert again.history == default_run.history[:10]  # every field but seconds, exactly
    assert [r.loss for r in again.history] == [r.loss for r in default_run.history[:10]]
    assert state(again) == state(once_more)


@pytest.mark.slow
def test_the_loss_sequence_is_the_engines_own_loop_written_out() -> None:
    """The notebook's loop by hand, with nn's functions, on the same data and weights."""
    X, y = make_moons(n=100, seed=1337)
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    losses, accuracies = [], []
    with paused_gc():  # as run() trains
        for k in range(20):
            scores = [model(x) for x in X]
            total_loss = max_margin_loss(scores, y) + l2(model.parameters(), 1e-4)
            accuracies.append(sum((s.data > 0) == (yi > 0)
                                  for s, yi in zip(scores, y, strict=True)) / len(y))
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9 * k / 100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            losses.append(total_loss.data)
    trainer = Trainer()
    history = run(trainer, 20)
    assert [r.loss for r in history] == losses
    assert [r.accuracy for r in history] == accuracies
    assert state(trainer) == [(p.data, p.grad) for p in model.parameters()]


def test_on_the_notebooks_own_points_it_starts_at_the_notebooks_loss() -> None:
    rows = [line for line in FIXTURE.read_text().splitlines() if not line.startswith("#")][1:]
    trainer = Trainer()
    trainer.X = [[float(a), float(b)] for a, b, _ in (row.split(",") for row in rows)]
    trainer.y = [int(row.split(",")[2]) for row in rows]
    history = run(trainer, 1)
    # The notebook prints step 0 loss 0.8958441028683222, accuracy 50.0%. (It averages as
    # sum * (1/n), nn as sum / n: the last bits may differ.) Its step 99 is checked once, in
    # test_classic, on the notebook's own code; the Trainer's loop is that code (above).
    assert history[0].loss == pytest.approx(0.8958441028683222, abs=1e-15)
    assert history[0].accuracy == 0.5


# --- back, reset, batches ----------------------------------------------------------------------


def test_back_restores_parameters_and_grads_exactly() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 8, 1), steps=10))
    assert trainer.back() is False and trainer.step == 0
    run(trainer, 3)
    before, records = state(trainer), list(trainer.history)
    fourth = trainer.train_step()
    assert state(trainer) != before
    assert trainer.back() is True
    assert state(trainer) == before
    assert trainer.step == 3 and trainer.history == records
    assert trainer.train_step() == fourth  # the same step again
    for _ in range(4):
        assert trainer.back()
    assert trainer.back() is False
    assert all(p.grad == 0.0 for p in trainer.parameters)


def test_reset_goes_back_to_step_0_with_the_same_weights() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 8, 1)))
    start = state(trainer)
    first = trainer.train_step()
    run(trainer, 4)
    trainer.reset()
    assert trainer.step == 0 and trainer.history == [] and trainer.back() is False
    assert state(trainer) == start
    assert trainer.train_step() == first


def test_a_failed_step_changes_nothing(monkeypatch) -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1)))
    run(trainer, 2)
    before = state(trainer)

    def interrupted(self: Value) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Value, "backward", interrupted)
    with pytest.raises(KeyboardInterrupt):
        trainer.train_step()  # zero_grad has run: the grads must come back
    assert state(trainer) == before and trainer.step == 2 and len(trainer.history) == 2


class _Interrupting(list):
    """A history whose next append is interrupted, as by ctrl+c between two lines."""

    def append(self, item: object) -> None:
        raise KeyboardInterrupt


class _InterruptingDeque(deque):
    def append(self, item: object) -> None:
        raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["the record", "the history", "the undo"])
def test_an_interrupt_while_the_step_is_counted_leaves_it_untaken(monkeypatch, where) -> None:
    """ctrl+c can come between any two lines: `train --no-ui` once said "stopped at step 9"
    with 8 rows written, the step counted and its record not kept."""
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1)))
    run(trainer, 2)
    before, history = state(trainer), list(trainer.history)
    if where == "the record":
        def interrupted(*args: object) -> None:
            raise KeyboardInterrupt
        monkeypatch.setattr(train, "StepRecord", interrupted)
    elif where == "the history":
        trainer.history = _Interrupting(trainer.history)
    else:
        trainer._undo = _InterruptingDeque(trainer._undo, maxlen=trainer._undo.maxlen)
    with pytest.raises(KeyboardInterrupt):
        trainer.train_step()
    assert state(trainer) == before and trainer.step == 2 and trainer.history == history
    assert len(trainer._undo) == 2
    monkeypatch.undo()
    trainer.history, trainer._undo = list(trainer.history), deque(
        trainer._undo, maxlen=trainer._undo.maxlen)
    assert trainer.back() and trainer.step == 1 and len(trainer.history) == 1


def test_undo_reaches_as_far_as_its_budget(monkeypatch) -> None:
    config = TrainConfig(sizes=(2, 4, 1))
    parameters = 4 * 3 + 5
    monkeypatch.setattr(train, "UNDO_FLOATS", 2 * parameters * 2)  # two steps' worth
    trainer = Trainer(config)
    run(trainer, 5)
    assert trainer.back() and trainer.back()
    assert trainer.back() is False and trainer.step == 3
    trainer.reset()  # the start is kept apart from the undo history
    assert trainer.step == 0 and state(trainer) == state(Trainer(config))


def test_batches_are_seeded_by_step_and_come_back_after_back_and_reset() -> None:
    config = TrainConfig(batch=10, sizes=(2, 8, 1))
    trainer = Trainer(config)
    batches = [trainer.batch_at(k) for k in range(5)]
    assert all(len(b) == 10 and len(set(b)) == 10 and b == sorted(b) for b in batches)
    assert len({tuple(b) for b in batches}) == 5
    history = run(trainer, 5)
    other = Trainer(config)
    assert run(other, 5) == history and state(other) == state(trainer)
    trainer.back()
    trainer.back()
    assert trainer.train_step() == history[3]
    trainer.reset()
    assert run(trainer, 5) == history
    assert Trainer(TrainConfig(batch=10, seed=2)).batch_at(0) != batches[0]
    assert Trainer().batch_at(0) == list(range(100))


@pytest.mark.parametrize("batch", [None, 7])
def test_a_records_loss_and_accuracy_are_at_the_weights_before_the_update(batch) -> None:
    trainer = Trainer(TrainConfig(batch=batch, sizes=(2, 8, 8, 1), samples=40))
    for _ in range(5):
        loss, acc = trainer.loss_and_accuracy()
        record = trainer.train_step()
        assert record.accuracy == acc  # over all samples, in either mode
        if batch is None:
            assert record.loss == loss  # the same float: the graph's operations, in order


@pytest.mark.slow
def test_without_zero_grad_the_gradients_pile_up() -> None:
    config = TrainConfig(sizes=(2, 8, 8, 1))
    good, buggy = Trainer(config), Trainer(config)
    buggy.zero_grad = False
    good.train_step()
    buggy.train_step()
    first = [p.grad for p in good.parameters]
    assert [p.grad for p in buggy.parameters] == first  # from 0: no difference yet
    good.train_step()
    buggy.train_step()  # the same weights as good's second step, the same loss
    second = [p.grad for p in good.parameters]
    piled = [p.grad for p in buggy.parameters]
    assert piled != second
    assert piled == pytest.approx([a + b for a, b in zip(first, second, strict=True)],
                                  rel=1e-12, abs=1e-15)
    run(good, 28)
    run(buggy, 28)
    assert buggy.history[-1].loss > 2 * good.history[-1].loss
    assert buggy.history[-1].accuracy < good.history[-1].accuracy


def test_zero_grad_can_be_switched_between_steps() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1), zero_grad=False))
    assert trainer.zero_grad is False
    trainer.zero_grad = True
    fresh = Trainer(TrainConfig(sizes=(2, 4, 1)))
    run(trainer, 3)
    assert trainer.history == run(fresh, 3)


def test_learning_rate_decays_to_a_tenth_and_stays() -> None:
    trainer = Trainer(TrainConfig(lr=0.5, steps=10, sizes=(2, 1)))
    assert trainer.lr_at(0) == 0.5
    assert trainer.lr_at(10) == trainer.lr_at(500) == pytest.approx(0.05)
    flat = Trainer(TrainConfig(lr=0.5, decay=False, sizes=(2, 1)))
    assert {flat.lr_at(k) for k in range(200)} == {0.5}
    run(trainer, 11)
    assert trainer.done and trainer.history[-1].lr == trainer.lr_at(10)


# --- the network in plain floats ---------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("sizes", [(2, 16, 16, 1), (2, 1), (2, 5, 3, 1)])
def test_score_is_the_graphs_output_exactly(activation: str, sizes: tuple[int, ...]) -> None:
    trainer = Trainer(TrainConfig(sizes=sizes, activation=activation, samples=30))
    run(trainer, 2)
    rng = random.Random(0)
    points = trainer.X + [[rng.uniform(-3, 3), rng.uniform(-3, 3)] for _ in range(20)]
    for x0, x1 in points:
        assert trainer.score(x0, x1) == trainer.model([x0, x1]).data


def test_scores_grid_runs_top_row_first_over_cell_centres() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 6, 1)))
    run(trainer, 3)
    (x_lo, x_hi), (y_lo, y_hi) = trainer.bounds()
    grid = trainer.scores_grid((x_lo, x_hi), (y_lo, y_hi), 8, 5)
    assert len(grid) == 5 and all(len(row) == 8 for row in grid)
    dx, dy = (x_hi - x_lo) / 8, (y_hi - y_lo) / 5
    assert grid[0][0] == trainer.model([x_lo + dx / 2, y_hi - dy / 2]).data  # top left
    assert grid[4][7] == pytest.approx(trainer.score(x_hi - dx / 2, y_lo + dy / 2), abs=1e-12)
    for i in range(5):
        for j in range(8):
            x, y = x_lo + (j + 0.5) * dx, y_hi - (i + 0.5) * dy
            assert grid[i][j] == pytest.approx(trainer.model([x, y]).data, abs=1e-12)
    with pytest.raises(ValueError, match="at least 1 column"):
        trainer.scores_grid((0, 1), (0, 1), 0, 3)


def test_bounds_hold_every_point_with_the_margin() -> None:
    trainer = Trainer()
    (x_lo, x_hi), (y_lo, y_hi) = trainer.bounds(margin=0.5)
    assert min(p[0] for p in trainer.X) - 0.5 == x_lo and max(p[0] for p in trainer.X) + 0.5 == x_hi
    assert min(p[1] for p in trainer.X) - 0.5 == y_lo and max(p[1] for p in trainer.X) + 0.5 == y_hi


def test_largest_grads_come_largest_first_with_labels() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1)))
    assert [g for _, _, g in trainer.largest_grads(3)] == [0.0, 0.0, 0.0]
    trainer.train_step()
    top = trainer.largest_grads(5)
    assert len(top) == 5
    magnitudes = [abs(g) for _, _, g in top]
    assert magnitudes == sorted(magnitudes, reverse=True)
    assert magnitudes[0] == max(abs(p.grad) for p in trainer.parameters)
    by_label = {p.label: p for p in trainer.parameters}
    assert all(by_label[label].data == d and by_label[label].grad == g for label, d, g in top)
    assert len(trainer.largest_grads(1000)) == len(trainer.parameters)
    assert trainer.largest_grads(0) == []


# --- one sample's graph ------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
def test_sample_programs_add_up_to_the_steps_gradients(loss: str) -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 6, 4, 1), samples=20, loss=loss, lr=0.05))
    run(trainer, 2)
    before = state(trainer)
    n = len(trainer.X)
    totals = {p.label: 0.0 for p in trainer.parameters}
    for index in range(n):
        program = trainer.sample_program(index)
        out = program.output
        assert out.label == "loss" and out.grad == 0.0
        score = trainer.score(*trainer.X[index])
        assert out.data == loss_term_float(score, trainer.y[index], loss)
        assert {"x0", "x1", "loss", "L0.N0.w0", "L2.N0.b"} <= set(program.names)
        assert program.names["x0"].kind == "input"
        assert program.names["x0"].data == trainer.X[index][0]
        out.backward()
        for p in trainer.parameters:
            totals[p.label] += program.names[p.label].grad
    assert state(trainer) == before  # the model's own parameters: untouched
    l2_pull = {p.label: 2 * trainer.config.l2 * p.data for p in trainer.parameters}
    trainer.train_step()  # leaves the grads of the loss at the weights above
    for p in trainer.parameters:
        assert totals[p.label] / n + l2_pull[p.label] == pytest.approx(p.grad, abs=1e-12)


def test_sample_program_is_named_and_checked() -> None:
    trainer = Trainer(TrainConfig(sizes=(2, 4, 1)))
    run(trainer, 3)
    program = trainer.sample_program(17)
    assert program.title == f"sample 17 (y = {trainer.y[17]:+d}) at step 3"
    parameters = {p.label: p for p in trainer.parameters}
    for label, node in program.names.items():
        if label in parameters:
            assert node is not parameters[label] and node.data == parameters[label].data
            assert node.kind == "parameter"
    with pytest.raises(IndexError, match="sample 100 is not one of 0 to 99"):
        trainer.sample_program(100)


# --- losses --------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
def test_the_batch_loss_is_the_mean_of_the_terms(loss: str) -> None:
    rng = random.Random(1)
    scores = [Value(rng.uniform(-3, 3)) for _ in range(9)]
    labels = [rng.choice((-1, 1)) for _ in range(9)]
    terms = [loss_term(s, y, loss) for s, y in zip(scores, labels, strict=True)]
    assert batch_loss(scores, labels, loss).data == (add_up(terms) / 9).data
    assert [t.data for t in terms] == [
        loss_term_float(s.data, y, loss) for s, y in zip(scores, labels, strict=True)
    ]


def test_bce_is_the_logistic_loss_and_never_overflows() -> None:
    for score, y in [(0.3, 1), (0.3, -1), (-2.0, 1), (2000.0, -1), (-2000.0, -1)]:
        expected = math.log1p(math.exp(-y * score)) if -y * score < 700 else -y * score
        term = loss_term(Value(score), y, "bce")
        assert term.data == pytest.approx(expected, rel=1e-12)
        assert loss_term_float(score, y, "bce") == term.data
        term.backward()  # no MathError on the way back either
    s = Value(0.7)
    loss_term(s, 1, "bce").backward()
    assert s.grad == pytest.approx(-1 / (1 + math.exp(0.7)))


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_other_losses_train(loss: str) -> None:
    trainer = Trainer(TrainConfig(loss=loss, lr=SUGGESTED_LR[loss], steps=50, sizes=(2, 8, 8, 1)))
    history = run(trainer, 50)
    final_loss, final_accuracy = trainer.loss_and_accuracy()
    assert final_loss < 0.5 * history[0].loss
    assert final_accuracy >= 0.85


@pytest.mark.parametrize("data", list(DATASETS))
def test_every_data_set_trains(data: str) -> None:
    trainer = Trainer(TrainConfig(data=data, sizes=(2, 8, 8, 1), samples=40))
    history = run(trainer, 20)
    assert sorted(set(trainer.y)) == [-1, 1]
    assert trainer.loss_and_accuracy()[0] < history[0].loss


# --- the config's checks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"data": "spirals"}, "unknown data set 'spirals' (data sets: moons, circles, xor, blobs)"),
        ({"samples": 1}, "samples must be a whole number from 2 to 10,000, got 1"),
        ({"samples": 10_001}, "samples must be a whole number from 2 to 10,000, got 10001"),
        ({"samples": 2.5}, "samples must be a whole number"),
        ({"sizes": (3, 4, 1)}, "sizes must start with 2 (a point has two coordinates), got 3,4,1"),
        ({"sizes": (2, 4, 2)}, "sizes must end with 1 (one score a point), got 2,4,2"),
        ({"sizes": (2,)}, "sizes needs the inputs and at least one layer"),
        ({"sizes": (2, 0, 1)}, "every layer needs at least 1 neuron, got 2,0,1"),
        ({"sizes": (2, 400, 400, 1)}, "an MLP 2,400,400,1 has 162,001 parameters; the limit"),
        ({"sizes": "2,4,1"}, "sizes must be whole numbers"),
        ({"activation": "gelu"}, "unknown activation 'gelu' (activations: tanh, relu"),
        ({"loss": "hinge"}, "unknown loss 'hinge' (losses: max-margin, mse, bce)"),
        ({"lr": 0.0}, "lr must be a number > 0, got 0.0"),
        ({"lr": -1.0}, "lr must be a number > 0, got -1.0"),
        ({"lr": math.nan}, "lr must be a number > 0, got nan"),
        ({"lr": math.inf}, "lr must be a number > 0, got inf"),
        ({"l2": -1e-4}, "l2 must be a number >= 0, got -0.0001"),
        ({"batch": 0}, "batch must be a whole number from 1 to samples (100), got 0"),
        ({"batch": 101}, "batch must be a whole number from 1 to samples (100), got 101"),
        ({"steps": 0}, "steps must be a whole number from 1 to 100,000, got 0"),
        ({"steps": 100_001}, "steps must be a whole number from 1 to 100,000"),
        ({"seed": 1.5}, "seed must be a whole number, got 1.5"),
        ({"samples": 10_000, "sizes": (2, 64, 64, 1)}, "a step would push 10,000 samples"),
    ],
)
def test_config_check_says_what_is_wrong_in_one_line(changes: dict, message: str) -> None:
    config = TrainConfig(**changes)
    with pytest.raises(ValueError) as error:
        config.check()
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError):
        Trainer(config)


def test_a_good_config_passes() -> None:
    TrainConfig().check()
    TrainConfig(samples=10_000, batch=100, l2=0.0, decay=False, lr=3).check()


# --- the CSV log ---------------------------------------------------------------------------------


def test_csv_rows_round_trip() -> None:
    record = StepRecord(12, 0.1 + 0.2, 0.87, 1 / 3, 0.0123)
    row = to_csv_row(record)
    assert row == "12,0.30000000000000004,0.87,0.333333333333,0.0123"  # lr: 12 digits
    step, loss, acc, lr, seconds = row.split(",")
    assert StepRecord(int(step), float(loss), float(acc), round(1 / 3, 12),
                      float(seconds)) == StepRecord(12, 0.1 + 0.2, 0.87, float(lr), 0.0123)
    assert list(csv_lines([record, record])) == [CSV_HEADER + "\n", row + "\n", row + "\n"]
    assert CSV_HEADER == "step,loss_before,accuracy_before,lr,seconds"


def test_records_compare_without_their_seconds() -> None:
    assert StepRecord(1, 0.5, 1.0, 0.1, 0.2) == StepRecord(1, 0.5, 1.0, 0.1, 9.0)
    assert StepRecord(1, 0.5, 1.0, 0.1, 0.2) != StepRecord(1, 0.5, 0.9, 0.1, 0.2)
