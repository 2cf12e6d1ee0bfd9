"""Desk services: the only writers of desk drafts, claims and roles; teams, dispatches and loans go through ops.dispatch.services."""
