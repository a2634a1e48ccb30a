"""Billing's API: statements, spend limits and the internal sending check."""
