"""The builder: a form that makes a neuron or an MLP with ``micrograd.presets``.

Every field is checked as it is typed, and a problem is shown in one line next to the field
(``expected 3 numbers, got 2``), so the learner never has to guess why Build did nothing.
The checks are plain functions (``check_neuron``, ``check_mlp``) that tests call directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from micrograd import presets
from micrograd.expr import Program
from micrograd.nn import ACTIVATIONS, parameter_count
from micrograd.presets import LOSSES, MAX_NEURON_INPUTS, mlp, neuron
from tui.screens.modal import BuildScreen
from tui.widgets.footer import Footer

#: An MLP with more parameters than this is built in a worker thread, with a note.
BUILD_IN_THREAD_ABOVE = 5_000


class FieldError(ValueError):
    """A field's text is not valid; the message fits on one line next to it."""


# --- checking the fields (pure) -------------------------------------------------------------


def parse_int(text: str, low: int, high: int) -> int:
    """A whole number in ``low..high``."""
    text = text.strip()
    if not text:
        raise FieldError("required: a whole number")
    try:
        value = int(text)
    except ValueError:
        raise FieldError(f"not a whole number: {text!r}") from None
    if not low <= value <= high:
        raise FieldError(f"must be {low} to {high:,}, got {value:,}")
    return value


def parse_number(text: str) -> float | None:
    """One finite number, or ``None`` for an empty field."""
    numbers = parse_numbers(text, 1)
    return None if numbers is None else numbers[0]


def parse_numbers(text: str, count: int | None = None) -> list[float] | None:
    """Comma-separated numbers (``count`` of them, if given), read by
    ``presets.parse_numbers`` as ``--values`` is, or ``None`` for an empty field."""
    if not text.strip():
        return None
    try:
        values = presets.parse_numbers(text, "numbers")
    except ValueError as error:
        raise FieldError(str(error).removeprefix("numbers: ")) from None
    if count is not None and len(values) != count:
        plural = "" if count == 1 else "s"
        raise FieldError(f"expected {count} number{plural}, got {len(values)}")
    return values


def parse_sizes(text: str) -> list[int]:
    """Layer sizes like ``2,4,1``, read by ``presets.parse_sizes`` as ``--sizes`` is, so the
    form and the command line refuse the same lists with the same message."""
    try:
        return presets.parse_sizes(text)
    except ValueError as error:
        # The form names the field itself ("Layer sizes: ..."), so not "sizes: " again.
        raise FieldError(str(error).removeprefix("sizes: ")) from None


#: The largest seed the form accepts (any whole number works; this keeps messages short).
MAX_SEED = 999_999_999


class _Checker:
    """Runs field checks in order, keeping the value of each that passed and the message of
    each that did not, so one bad field does not hide the others."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.errors: dict[str, str] = {}

    def __call__(self, name: str, check: Callable[[str], Any]) -> Any:
        try:
            return check(self.fields.get(name, ""))
        except FieldError as error:
            self.errors[name] = str(error)
            return None


def _seed(text: str) -> int:
    return parse_int(text or "0", 0, MAX_SEED)


def check_neuron(fields: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The keyword arguments for ``presets.neuron`` and the errors, by field name.

    Fields: ``inputs`` (a count), ``activation``, ``values``, ``weights``, ``bias`` and
    ``seed``; values, weights and bias may be empty (drawn from the seed).

        >>> check_neuron({"inputs": "2", "activation": "relu", "values": "1, x"})[1]
        {'values': "'x' is not a number"}
    """
    field = _Checker(fields)
    n = field("inputs", lambda text: parse_int(text, 1, MAX_NEURON_INPUTS))
    kwargs = {
        "n_inputs": n,
        "activation": fields.get("activation") or "tanh",
        "inputs": field("values", lambda text: parse_numbers(text, n)),
        "weights": field("weights", lambda text: parse_numbers(text, n)),
        "bias": field("bias", parse_number),
        "seed": field("seed", _seed),
    }
    return kwargs, field.errors


def check_mlp(fields: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The keyword arguments for ``presets.mlp`` and the errors, by field name.

    Fields: ``sizes`` (``2,4,1``), ``activation``, ``values`` (one per input, optional),
    ``target`` (one per output, optional), ``loss`` and ``seed``.

        >>> check_mlp({"sizes": "2,x,1"})[1]
        {'sizes': "'x' is not a whole number"}
    """
    field = _Checker(fields)
    sizes = field("sizes", parse_sizes)
    n_in, n_out = (sizes[0], sizes[-1]) if sizes else (None, None)
    target = field("target", lambda text: parse_numbers(text, n_out))
    kwargs = {
        "sizes": sizes,
        "activation": fields.get("activation") or "tanh",
        "inputs": field("values", lambda text: parse_numbers(text, n_in)),
        "target": target[0] if target is not None and len(target) == 1 else target,
        "loss": fields.get("loss") or "mse",
        "seed": field("seed", _seed),
    }
    return kwargs, field.errors


# --- the form -------------------------------------------------------------------------------

#: (kind, field, label, default, placeholder, note shown while the field is fine)
_FIELDS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "neuron": [
        ("inputs", "Inputs", "3", "how many", "how many inputs, 1 to 1,000"),
        ("activation", "Activation", "tanh", "", "o = activation(n)"),
        ("values", "Input values", "", "random", "optional: x1, x2, …"),
        ("weights", "Weights", "", "random", "optional: w1, w2, …"),
        ("bias", "Bias", "", "random", "optional: one number"),
        ("seed", "Seed", "0", "0", "draws what is left empty"),
    ],
    "mlp": [
        ("sizes", "Layer sizes", "2,3,1", "2,3,1", "inputs, then each layer's neurons"),
        ("activation", "Hidden activation", "tanh", "", "the last layer is linear"),
        ("values", "Input values", "", "random", "optional: x1, x2, …"),
        ("target", "Target", "", "none", "optional: adds a loss"),
        ("loss", "Loss", "mse", "", "mse: mean, sse: sum of squares"),
        ("seed", "Seed", "0", "0", "weights and inputs"),
    ],
}

#: One line at the top of each tab: what the form makes.
_INTROS = {
    "neuron": "o = activation(x1*w1 + … + xn*wn + b); empty fields are drawn from the seed",
    "mlp": "an MLP from micrograd.nn on one input; with a target the output is the loss",
}

_CHOICES = {"activation": tuple(ACTIVATIONS), "loss": LOSSES}


class BuilderScreen(BuildScreen):
    """Build a neuron or an MLP from a form; ctrl+b or Build builds, escape cancels."""

    BINDINGS = [
        Binding("ctrl+b", "build", "Build", tooltip="Build the graph from the form"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing the graph"),
    ]

    BUILD_BUTTON = "#builder-build"

    def compose(self) -> ComposeResult:
        with Vertical(id="builder-dialog") as dialog:
            dialog.border_title = "Build a neuron or an MLP"
            with TabbedContent(id="builder-kind", initial="neuron"):
                with TabPane("Neuron", id="neuron"):
                    yield from self._form("neuron")
                with TabPane("MLP", id="mlp"):
                    yield from self._form("mlp")
            yield Static("", id="builder-message", markup=False)
            with Horizontal(id="builder-buttons"):
                yield Button("Build", id="builder-build", variant="primary", compact=True)
                yield Button("Cancel", id="builder-cancel", compact=True)
                yield Static("tab: next field · enter builds", id="builder-hint")
        yield Footer()

    def _form(self, kind: str) -> ComposeResult:
        with VerticalScroll(classes="builder-form", can_focus=False):
            yield Static(_INTROS[kind], classes="builder-intro", markup=False)
            for name, label, default, placeholder, note in _FIELDS[kind]:
                field_id = f"{kind}-{name}"
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    if name in _CHOICES:
                        yield Select(
                            [(choice, choice) for choice in _CHOICES[name]], value=default,
                            allow_blank=False, compact=True, id=field_id,
                        )
                    else:
                        yield Input(default, placeholder=placeholder, compact=True, id=field_id)
                    yield Static(note, id=f"{field_id}-note", classes="field-note", markup=False)

    def on_mount(self) -> None:
        try:
            self.query_one("#neuron-inputs", Input).focus()
        except NoMatches:  # mounted as the app closed: its widgets are already gone
            pass

    # --- reading and checking the form ----------------------------------------------------

    @property
    def kind(self) -> str:
        """``'neuron'`` or ``'mlp'``: the tab that is open."""
        return self.query_one(TabbedContent).active or "neuron"

    def fields(self, kind: str) -> dict[str, str]:
        """Each field's text (a Select's value) by name."""
        values = {}
        for name, *_ in _FIELDS[kind]:
            widget = self.query_one(f"#{kind}-{name}")
            values[name] = str(widget.value) if isinstance(widget, Select) else widget.value
        return values

    def check(self, kind: str) -> tuple[dict[str, Any], dict[str, str]]:
        """Check the form of ``kind`` and show each field's error (or its note) beside it."""
        check_form = check_neuron if kind == "neuron" else check_mlp
        kwargs, errors = check_form(self.fields(kind))
        for name, _label, _default, _placeholder, note in _FIELDS[kind]:
            shown = self.query_one(f"#{kind}-{name}-note", Static)
            shown.update(f"✗ {errors[name]}" if name in errors else note)
            shown.set_class(name in errors, "-error")
            shown.tooltip = errors.get(name)
        return kwargs, errors

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed) -> None:
        kind = (event.control.id or "").split("-", 1)[0]
        if kind in _FIELDS:
            self.check(kind)
            self._message("")

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self._message("")

    def _message(self, text: str, note: bool = False) -> None:
        message = self.query_one("#builder-message", Static)
        message.update(text)
        message.set_class(note, "-note")

    # --- building --------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#builder-build")
    def action_build(self) -> None:
        if self.building:
            return
        kind = self.kind
        kwargs, errors = self.check(kind)
        if errors:
            first, label = next((name, label) for name, label, *_ in _FIELDS[kind]
                                if name in errors)
            self.query_one(f"#{kind}-{first}").focus()
            self._message(f"✗ {label}: {errors[first]}. Fix it, then build again.")
            self.app.bell()
            return
        make = neuron if kind == "neuron" else mlp
        sizes = kwargs.get("sizes", [])
        parameters = parameter_count(sizes)
        build = partial(self._make, make, kwargs)
        if parameters <= BUILD_IN_THREAD_ABOVE:
            self.built(build())
            return
        self._message(f"building… ({parameters:,} parameters)", note=True)
        self.build_in_background(build)

    @staticmethod
    def _make(make: Callable[..., Program], kwargs: dict[str, Any]) -> Program | ValueError:
        try:
            return make(**kwargs)
        except ValueError as error:  # the presets' own checks: shown, never a crash
            return error
        except ArithmeticError as error:  # e.g. a target so large its square overflows
            return ValueError(str(error))

    def build_failed(self, error: Exception) -> None:
        self._message(f"✗ {error}")

    @on(Button.Pressed, "#builder-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
