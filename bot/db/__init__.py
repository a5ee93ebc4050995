"""Database layer: models, engine, search index, schema and its migrations."""
