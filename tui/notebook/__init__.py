"""The explorer in a Jupyter notebook: ``Explorer(L)`` (or ``explore(L)`` in a kernel) shows
the graph and steps its forward and backward pass with buttons, as the terminal does.

The widget needs the ``notebook`` extra (anywidget, ipywidgets); the rest of the package
never does. ``tui.notebook.timeline`` (the widget's Python side: the stepping, the drawing,
the step log) needs neither, so it is tested without them. ``Explorer`` loads when first
asked for, and without the extra says how to install it.
"""

from __future__ import annotations

__all__ = ["INSTALL", "Explorer", "MissingExtraError"]

#: How to install the widget's extra, with either installer.
INSTALL = "pip install 'micrograd-tui[notebook]' (or: uv add 'micrograd-tui[notebook]')"


class MissingExtraError(ImportError):
    """The notebook widget's packages (anywidget, ipywidgets) are not installed."""


def __getattr__(name: str):
    if name == "Explorer":
        try:
            import anywidget  # noqa: F401
            import ipywidgets  # noqa: F401
        except ImportError as error:
            raise MissingExtraError(
                f"the notebook explorer needs {error.name or 'anywidget'}: {INSTALL}, then "
                "restart the kernel"
            ) from None
        from tui.notebook.widget import Explorer

        return Explorer
    raise AttributeError(f"module 'tui.notebook' has no attribute {name!r}")
