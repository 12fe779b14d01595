"""Consultation analysis: Norwegian text preparation, tagging to the strategy, campaigns,
emergent themes and optional AI drafting.

Pure Python (no Django): data in, data out. Django apps store the results and show them.
"""
