"""Groundwork: the helper that builds this desk replaces these."""
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


desk = scan = leader = remove = clear = send = _todo
