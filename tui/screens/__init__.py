"""The explorer's screens: help, node details, editor, builder, export, gradient check."""
