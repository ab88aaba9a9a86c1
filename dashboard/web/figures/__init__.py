"""Figure builders: plain plotly dicts (no validation cost), one module per chart type."""
