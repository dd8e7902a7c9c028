"""The price and metadata catalogs: which data is in use, how fresh (`catalogs`)."""
