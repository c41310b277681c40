"""newsdesk: pure, Prefect-free curation steps for raw news-article text.

Orchestration lives in the top-level ``flows`` package; table contracts in ``schemas``.
"""
__version__ = "0.1.0"
