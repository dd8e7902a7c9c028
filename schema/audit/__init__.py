"""The audit log domain: `auditLog`, who changed what (read-only; entries are written by the
catalog's write operations themselves)."""
