"""The data contract: one TOML file per table. Everything else derives from these files.

Load them through :mod:`newsdesk.schema`, which turns them into Arrow schemas, DuckDB comments and
validation rules.
"""
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent
