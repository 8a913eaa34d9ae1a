"""The document de synthèse: the model, its builder, its rewrites, versions and consents."""
