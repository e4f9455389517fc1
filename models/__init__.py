"""The model shipped with segclf (installed as the ``segclf.models`` package data)."""
