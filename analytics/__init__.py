"""How progress is measured: aggregate queries to DataFrames, metrics, plotly figure builders. No Streamlit."""
