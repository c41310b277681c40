"""newsdesk: pure, Prefect-free curation steps for raw news-article text.

The steps and their order are declared in :mod:`newsdesk.pipeline`; the Prefect flows live in the top-level
``flows/`` folder (installed as ``newsdesk.flows``), the table contracts in ``schemas/`` (``newsdesk.schemas``).
"""
__version__ = "0.1.0"
