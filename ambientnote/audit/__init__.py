"""The append-only, hash-chained audit log: record, anchor, verify, export."""
