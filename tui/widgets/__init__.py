"""The explorer's widgets: the graph canvas, the node table and the step log."""
