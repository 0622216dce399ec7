"""Note drafting: schema, layouts, the local model, evidence linking and the guard."""
