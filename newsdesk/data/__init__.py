"""Rule catalogs and word lists kept as data (TOML/TSV), shipped with the package."""
