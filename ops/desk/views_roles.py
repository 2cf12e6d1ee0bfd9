"""Groundwork: the helper that builds this desk replaces these."""
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


roles = end = _todo
