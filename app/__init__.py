"""Offline German/English voice calendar. Every stage runs from `python -m app <verb>`."""
