"""Placeholder: replaced by the Python port of the reference filter."""


def should_process(path, targets):
    return True
