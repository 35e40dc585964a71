"""What users do: every write checks permission, validates, runs in one transaction and is audited.

No Streamlit here. Functions are keyword-only and take a Session (or an Engine for whole units of work).
"""
