"""Database layer: models, engine, schema."""
